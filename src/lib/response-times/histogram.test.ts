import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { addSample, bucketBounds, bucketOf, BUCKETS, emptyHistogram, merge, quantile } from './histogram.js';

test('each duration falls in the bucket whose bounds hold it', () => {
  fc.assert(
    fc.property(fc.double({ min: 0, max: 2_000_000, noNaN: true }), (m) => {
      const [lo, hi] = bucketBounds(bucketOf(m));
      assert.ok(m >= lo - 1e-9 && m < hi * (1 + 1e-9), `${m} in [${lo}, ${hi})`);
    }),
  );
  assert.equal(bucketOf(0.5), 0);
  assert.equal(bucketOf(1), 1);
  assert.equal(bucketOf(10_000_000), BUCKETS - 1);
});

test('one sample is its own median and 90th percentile, exactly', () => {
  const h = emptyHistogram();
  addSample(h, 137.25);
  assert.equal(quantile(h, 0.5), 137.25);
  assert.equal(quantile(h, 0.9), 137.25);
  assert.equal(quantile(emptyHistogram(), 0.5), null);
});

test('percentiles of many samples are within a bucket width of the exact ones', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0.1, max: 500_000, noNaN: true }), { minLength: 20, maxLength: 400 }), (xs) => {
      const h = emptyHistogram();
      for (const x of xs) addSample(h, x);
      const sorted = [...xs].sort((a, b) => a - b);
      for (const q of [0.5, 0.9]) {
        const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
        const est = quantile(h, q)!;
        // A bucket spans a factor of 2^(1/3) ≈ 1.26; below one minute, one minute.
        assert.ok(est <= Math.max(exact * 1.26, exact + 1) + 1e-6 && est >= Math.min(exact / 1.26, exact - 1) - 1e-6, `q${q}: ${est} vs ${exact}`);
      }
    }),
  );
});

test('merging histograms is adding their samples', () => {
  const a = emptyHistogram();
  const b = emptyHistogram();
  const both = emptyHistogram();
  [3, 30, 300].forEach((x) => (addSample(a, x), addSample(both, x)));
  [5, 50].forEach((x) => (addSample(b, x), addSample(both, x)));
  merge(a, b);
  assert.deepEqual(a, both);
});
