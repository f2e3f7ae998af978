// Group commit for the embedded database. SQLite has one writer and a commit costs about a
// millisecond whatever it holds (the WAL pages of every index it touched), so short write
// transactions that arrive together are run one after the other inside one transaction, each
// in its own savepoint, and committed once. Every caller is answered only after that commit:
// a caller told "done" is as durable as with its own transaction. A failing piece of work rolls
// back to its savepoint and fails alone. PostgreSQL runs transactions in parallel, so there
// each piece of work simply gets its own.
import type { Transaction } from 'kysely';
import type { DbHandle } from './database.js';
import type { Database } from './schema.js';

export type Work<T> = (trx: Transaction<Database>) => Promise<T>;

export interface GroupCommit {
  /** Runs `work` in a transaction (shared with other work on SQLite); resolves after the commit. */
  run<T>(work: Work<T>): Promise<T>;
}

interface Pending {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

/** At most this many pieces of work share one commit, so no caller waits behind a long queue. */
const MAX_BATCH = 64;

export function createGroupCommit(handle: Pick<DbHandle, 'db' | 'dialect'>): GroupCommit {
  const { db } = handle;
  if (handle.dialect !== 'sqlite') return { run: (work) => db.transaction().execute(work) };

  let queue: Pending[] = [];
  let flushing = false;

  async function flush(): Promise<void> {
    flushing = true;
    try {
      // Whatever arrived while the previous commit ran forms the next batch: no timer, no added
      // latency when the server is idle.
      while (queue.length > 0) {
        const batch = queue.slice(0, MAX_BATCH);
        queue = queue.slice(batch.length);
        await runBatch(batch);
      }
    } finally {
      flushing = false;
    }
  }

  async function runBatch(batch: Pending[]): Promise<void> {
    const done: Array<[Pending, unknown]> = [];
    let trx;
    try {
      trx = await db.startTransaction().execute();
    } catch (err) {
      for (const p of batch) p.reject(err);
      return;
    }
    try {
      for (const p of batch) {
        const sp = await trx.savepoint('work').execute();
        try {
          const value = await p.work(sp);
          await sp.releaseSavepoint('work').execute();
          done.push([p, value]);
        } catch (err) {
          await sp.rollbackToSavepoint('work').execute();
          await sp.releaseSavepoint('work').execute();
          p.reject(err);
        }
      }
      await trx.commit().execute();
    } catch (err) {
      // The commit or a savepoint command failed (SQLite may have rolled the whole transaction
      // back already): nothing of the batch is stored, and every caller hears so. Rejecting a
      // caller already rejected above does nothing.
      try {
        await trx.rollback().execute();
      } catch {
        // Already rolled back by SQLite itself; the error that matters is `err`.
      }
      for (const p of batch) p.reject(err);
      return;
    }
    for (const [p, value] of done) p.resolve(value);
  }

  return {
    run<T>(work: Work<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work: work as Work<unknown>, resolve: resolve as (v: unknown) => void, reject });
        if (!flushing) void flush();
      });
    },
  };
}
