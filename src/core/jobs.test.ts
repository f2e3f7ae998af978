import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createJobQueue } from './jobs.js';
import { fixedClock } from './clock.js';
import { testDatabase, onPostgres, pgUrl } from '../../test/support/db.js';
import { openDatabase } from '../db/database.js';

test('a job runs once and is marked done with full progress', async () => {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
  const queue = createJobQueue({ db: db.db, dialect: db.dialect, clock, workerId: 'w1' });
  const seen: unknown[] = [];
  const id = await queue.enqueue(db.db, 'demo', { n: 1 });

  await queue.runOne({
    demo: async (p, ctx) => {
      seen.push(p);
      await ctx.progress(0.5, 'half');
    },
  });
  const again = await queue.runOne({
    demo: async (p) => {
      seen.push(p);
    },
  });

  assert.deepEqual(seen, [{ n: 1 }]);
  assert.equal(again, false);
  const job = await queue.get(id!);
  assert.equal(job?.status, 'done');
  assert.equal(job?.progress, 1);
  await db.close();
});

test('a failing job is retried with growing delays, then marked failed', async () => {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
  const queue = createJobQueue({ db: db.db, dialect: db.dialect, clock, workerId: 'w1' });
  const id = await queue.enqueue(db.db, 'flaky', {}, { maxAttempts: 3 });
  const failing = {
    flaky: async (_payload: unknown, ctx: { progress(f: number, m?: string): Promise<void> }) => {
      await ctx.progress(0.7, 'storing 1200 definitions');
      throw new Error('feed unreachable');
    },
  };

  await queue.runOne(failing);
  const afterFirst = await queue.get(id!);
  const notYet = await queue.runOne(failing);
  clock.advance(5_000);
  await queue.runOne(failing);
  const afterSecond = await queue.get(id!);
  clock.advance(10_000);
  await queue.runOne(failing);
  const final = await queue.get(id!);

  assert.equal(afterFirst?.status, 'queued');
  assert.equal(afterFirst?.run_at, '2026-01-01T00:00:05.000Z');
  // Waiting again, it no longer shows the failed attempt's progress.
  assert.deepEqual([afterFirst?.progress, afterFirst?.progress_message], [0, null]);
  assert.equal(notYet, false);
  assert.equal(afterSecond?.run_at, '2026-01-01T00:00:15.000Z');
  assert.equal(final?.status, 'failed');
  assert.equal(final?.attempts, 3);
  assert.equal(final?.last_error, 'feed unreachable');
  await db.close();
});

test('a unique key keeps one job queued at a time and frees it when done', async () => {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
  const queue = createJobQueue({ db: db.db, dialect: db.dialect, clock, workerId: 'w1' });

  const first = await queue.enqueue(db.db, 'refresh', {}, { uniqueKey: 'refresh' });
  const duplicate = await queue.enqueue(db.db, 'refresh', {}, { uniqueKey: 'refresh' });
  await queue.runOne({ refresh: async () => undefined });
  const next = await queue.enqueue(db.db, 'refresh', {}, { uniqueKey: 'refresh' });

  assert.ok(first);
  assert.equal(duplicate, undefined);
  assert.ok(next);
  await db.close();
});

test('a job whose worker died is taken over when its lease runs out', async () => {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
  const dead = createJobQueue({ db: db.db, dialect: db.dialect, clock, workerId: 'dead' });
  const alive = createJobQueue({ db: db.db, dialect: db.dialect, clock, workerId: 'alive' });
  await dead.enqueue(db.db, 'work', {});
  await dead.claim(); // claimed, then the process "dies"

  const early = await alive.runOne({ work: async () => undefined });
  clock.advance(6 * 60_000);
  const late = await alive.runOne({ work: async () => undefined });

  assert.equal(early, false);
  assert.equal(late, true);
  await db.close();
});

test('several workers on separate connections run each job exactly once', async () => {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2026-01-01T00:00:00Z'));
  // On PostgreSQL each worker gets its own pool, as separate processes would.
  const handles = onPostgres ? [0, 1, 2].map(() => openDatabase({ databaseUrl: pgUrl, pgSchema: db.schema, poolSize: 2 })) : [db, db, db];
  const workers = handles.map((h, i) => createJobQueue({ db: h.db, dialect: h.dialect, clock, workerId: `w${i}` }));
  for (let i = 0; i < 60; i++) await workers[0]!.enqueue(db.db, 'count', { i });
  const runs = new Map<number, number>();
  const handlers = {
    count: async (p: unknown) => {
      const i = (p as { i: number }).i;
      runs.set(i, (runs.get(i) ?? 0) + 1);
    },
  };

  await Promise.all(
    workers.map(async (w) => {
      while (await w.runOne(handlers)) {
        /* drain */
      }
    }),
  );

  assert.equal(runs.size, 60);
  assert.ok([...runs.values()].every((n) => n === 1));
  if (onPostgres) for (const h of handles) await h.close();
  await db.close();
});
