// Response times as log-scale histograms of minutes, so that the median and 90th percentile
// over a million tasks are the sum of a few thousand stored histograms rather than a sort of a
// million rows. Bucket 0 holds answers under a minute; bucket k ≥ 1 holds [2^((k-1)/3),
// 2^(k/3)) minutes (three buckets per doubling, each 26 % wide); the last is open-ended (from
// about 1.5 years). A percentile is interpolated inside its bucket and clamped to the observed
// minimum and maximum, so it is exact for one sample and within a bucket's width otherwise.

export const BUCKETS = 60;
const PER_DOUBLING = 3;

/** The bucket of a duration in minutes. */
export function bucketOf(minutes: number): number {
  if (!(minutes >= 1)) return 0;
  return Math.min(BUCKETS - 1, 1 + Math.floor(Math.log2(minutes) * PER_DOUBLING + 1e-9));
}

/** The lower and upper bound (minutes) of a bucket. */
export function bucketBounds(k: number): [number, number] {
  if (k <= 0) return [0, 1];
  return [2 ** ((k - 1) / PER_DOUBLING), k === BUCKETS - 1 ? Infinity : 2 ** (k / PER_DOUBLING)];
}

export interface Histogram {
  counts: number[];
  n: number;
  min: number;
  max: number;
  sum: number;
}

export const emptyHistogram = (): Histogram => ({ counts: new Array<number>(BUCKETS).fill(0), n: 0, min: Infinity, max: -Infinity, sum: 0 });

export function addSample(h: Histogram, minutes: number): void {
  h.counts[bucketOf(minutes)]! += 1;
  h.n += 1;
  h.min = Math.min(h.min, minutes);
  h.max = Math.max(h.max, minutes);
  h.sum += minutes;
}

export function merge(into: Histogram, other: Histogram): void {
  for (let k = 0; k < BUCKETS; k++) into.counts[k]! += other.counts[k]!;
  into.n += other.n;
  into.min = Math.min(into.min, other.min);
  into.max = Math.max(into.max, other.max);
  into.sum += other.sum;
}

/** The q-quantile (0 < q ≤ 1) in minutes, or null for an empty histogram. */
export function quantile(h: Histogram, q: number): number | null {
  if (h.n === 0) return null;
  const rank = q * h.n;
  let seen = 0;
  for (let k = 0; k < BUCKETS; k++) {
    const c = h.counts[k]!;
    if (c === 0) continue;
    if (seen + c >= rank) {
      const [lo, hi] = bucketBounds(k);
      const low = Math.max(lo, h.min);
      const high = Math.min(hi, h.max);
      // Geometric interpolation inside the bucket, the scale the buckets are drawn on.
      const f = Math.min(1, Math.max(0, (rank - seen) / c));
      const value = low > 0 && Number.isFinite(high) ? low * (high / low) ** f : low + (high - low) * f;
      return Math.min(h.max, Math.max(h.min, value));
    }
    seen += c;
  }
  return h.max;
}
