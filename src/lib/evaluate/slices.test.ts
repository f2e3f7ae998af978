// Judging a never-seen list in slices must give `evaluate`'s answer and let the event loop turn
// while it works: a server evaluating one host's 20,000 packages keeps answering everyone else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Definition } from '../vuln-model/types.js';
import { compileFeed } from './compile.js';
import { createEvaluator } from './engine.js';
import type { HostInput } from './types.js';
import { watchLoop } from '../../../test/support/loop-gaps.js';

const PACKAGES = 20_000;
const definitions: Definition[] = Array.from({ length: 2_000 }, (_, i) => ({
  id: `def-${i}`,
  format: 'oval',
  vendor: 'redhat',
  cves: [`CVE-2024-${10_000 + i}`],
  severity: 'medium',
  notes: [],
  affected: [{ release: 'rhel:9', package: `lib-${i * 7}`, nameKind: 'binary', scheme: 'rpm', fixed: '0:2.0-1.el9', fixState: 'fixed' }],
}));
const host = (seed: number): HostInput => ({
  os: 'rhel:9',
  packages: Array.from({ length: PACKAGES }, (_, i) => ({ name: `lib-${i}`, version: `0:${1 + ((i + seed) % 3)}.0-1.el9`, arch: 'x86_64' })),
  runningKernel: '5.14.0-362.el9.x86_64',
});

test('sliced evaluation gives the same findings as evaluate, and a slice is shared with it', async () => {
  const feed = compileFeed(definitions);
  const sliced = await createEvaluator(feed).evaluateInSlices(host(1));
  const plain = createEvaluator(feed, { caching: false }).evaluate(host(1));

  assert.ok(plain.findings.length > 500, `only ${plain.findings.length} findings`);
  assert.deepEqual(sliced.findings, plain.findings);
  assert.deepEqual(sliced.notes, plain.notes);

  const ev = createEvaluator(feed);
  await ev.evaluateInSlices({ ...host(2), packageSetId: 'set-2' });
  assert.equal(ev.evaluate({ ...host(2), packageSetId: 'set-2' }).reused, true, 'the prepared list is found again by its id');
});

test('the event loop turns while a never-seen list is judged, never waiting more than a few slices', async () => {
  const ev = createEvaluator(compileFeed(definitions));
  const loop = watchLoop();

  const result = await ev.evaluateInSlices(host(3), 1);
  const gaps = loop.stop();

  assert.ok(result.findings.length > 500);
  // The whole list is far more than one slice of work: the loop must have turned many times.
  assert.ok(gaps.length >= 5, `the loop turned ${gaps.length} times`);
  // Slices of 1 ms: every wait but one stays short on a loaded machine; the one left may be a
  // garbage collection, which is not the evaluation's to prevent, and has a bound of its own.
  const [worst, next] = [...gaps].sort((a, b) => b - a) as [number, number];
  assert.ok(next < 40, `the loop waited ${next.toFixed(1)} ms twice`);
  assert.ok(worst < 100, `the loop waited ${worst.toFixed(1)} ms`);
});
