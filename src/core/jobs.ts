// Background jobs: durable rows in the database, claimed by any server process, retried with
// exponential backoff. On PostgreSQL a claim uses FOR UPDATE SKIP LOCKED, so exactly one worker
// runs a job however many processes poll; on SQLite the single writer gives the same guarantee.
// A worker that dies leaves its lease to expire, and the job is claimed again.
import type { Db, Dialect, Executor } from '../db/database.js';
import type { JobTable } from '../db/schema.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobContext {
  jobId: string;
  attempt: number;
  /** Reports progress (0..1) and renews the lease. */
  progress(fraction: number, message?: string): Promise<void>;
}

export type JobHandler = (payload: unknown, ctx: JobContext) => Promise<void>;

export interface EnqueueOptions {
  /** While a job with this key is queued or running, another with the same key is not added. */
  uniqueKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

const LEASE_MS = 5 * 60_000;
const BACKOFF_BASE_MS = 5_000;
const BACKOFF_MAX_MS = 60 * 60_000;

export function createJobQueue(deps: { db: Db; dialect: Dialect; clock: Clock; workerId: string }) {
  const { db, dialect, clock, workerId } = deps;
  const iso = (ms = 0) => new Date(clock.now().getTime() + ms).toISOString();

  async function enqueue(ex: Executor, kind: string, payload: unknown, options: EnqueueOptions = {}): Promise<string | undefined> {
    const now = iso();
    const jobId = newId();
    const result = await ex
      .insertInto('job')
      .values({
        job_id: jobId,
        kind,
        payload_json: JSON.stringify(payload ?? null),
        status: 'queued',
        unique_key: options.uniqueKey ?? null,
        attempts: 0,
        max_attempts: options.maxAttempts ?? 5,
        run_at: (options.runAt ?? clock.now()).toISOString(),
        locked_by: null,
        locked_until: null,
        progress: 0,
        progress_message: null,
        last_error: null,
        created_at: now,
        updated_at: now,
        finished_at: null,
      })
      .onConflict((oc) => oc.column('unique_key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? jobId : undefined;
  }

  /** Takes the next due job (or one whose worker's lease ran out) for this worker. */
  async function claim(): Promise<JobTable | undefined> {
    const now = iso();
    const next = db
      .selectFrom('job')
      .select('job_id')
      .where((eb) =>
        eb.or([eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]), eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)])]),
      )
      .orderBy('run_at')
      .limit(1)
      .$if(dialect === 'postgres', (q) => q.forUpdate().skipLocked());
    return db
      .updateTable('job')
      .set((eb) => ({ status: 'running', locked_by: workerId, locked_until: iso(LEASE_MS), attempts: eb('attempts', '+', 1), updated_at: now }))
      .where('job_id', '=', (eb) => eb.selectFrom(next.as('n')).select('n.job_id'))
      .returningAll()
      .executeTakeFirst();
  }

  async function finish(job: JobTable, error?: unknown): Promise<void> {
    const now = iso();
    const mine = (q: ReturnType<typeof db.updateTable<'job'>>) => q.where('job_id', '=', job.job_id).where('locked_by', '=', workerId);
    if (!error) {
      await mine(db.updateTable('job'))
        .set({ status: 'done', progress: 1, unique_key: null, locked_by: null, locked_until: null, updated_at: now, finished_at: now })
        .execute();
      return;
    }
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 2000);
    if (job.attempts >= job.max_attempts) {
      await mine(db.updateTable('job'))
        .set({ status: 'failed', last_error: message, unique_key: null, locked_by: null, locked_until: null, updated_at: now, finished_at: now })
        .execute();
    } else {
      const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (job.attempts - 1));
      await mine(db.updateTable('job'))
        // Back in the queue: the failed attempt's progress no longer says how far the job is.
        .set({
          status: 'queued',
          last_error: message,
          run_at: iso(delay),
          progress: 0,
          progress_message: null,
          locked_by: null,
          locked_until: null,
          updated_at: now,
        })
        .execute();
    }
  }

  /** Claims and runs at most one job; returns whether one ran. */
  async function runOne(handlers: Record<string, JobHandler>, onError?: (job: JobTable, err: unknown) => void): Promise<boolean> {
    const job = await claim();
    if (!job) return false;
    const handler = handlers[job.kind];
    const ctx: JobContext = {
      jobId: job.job_id,
      attempt: job.attempts,
      progress: async (fraction, message) => {
        await db
          .updateTable('job')
          .set({ progress: Math.max(0, Math.min(1, fraction)), progress_message: message ?? null, locked_until: iso(LEASE_MS), updated_at: iso() })
          .where('job_id', '=', job.job_id)
          .where('locked_by', '=', workerId)
          .execute();
      },
    };
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      await handler(JSON.parse(job.payload_json), ctx);
      await finish(job);
    } catch (err) {
      onError?.(job, err);
      await finish(job, err);
    }
    return true;
  }

  return {
    enqueue,
    claim,
    runOne,
    get: (jobId: string) => db.selectFrom('job').selectAll().where('job_id', '=', jobId).executeTakeFirst(),
    list: (limit = 100) => db.selectFrom('job').selectAll().orderBy('created_at', 'desc').limit(limit).execute(),
    /** Jobs of these kinds queued or running now, by unique key (a job keeps its key only while under way). */
    async underWay(kinds: readonly string[]): Promise<Map<string, { status: string; progress: number; message: string | null }>> {
      const rows = await db
        .selectFrom('job')
        .select(['unique_key', 'status', 'progress', 'progress_message'])
        .where('unique_key', 'is not', null)
        .where('kind', 'in', [...kinds])
        .execute();
      return new Map(rows.map((j) => [j.unique_key!, { status: j.status, progress: j.progress, message: j.progress_message }]));
    },
    /** Job counts by status, for /metrics and the jobs page. */
    async counts(): Promise<Record<JobStatus, number>> {
      const rows = await db
        .selectFrom('job')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('status')
        .execute();
      const out: Record<JobStatus, number> = { queued: 0, running: 0, done: 0, failed: 0 };
      for (const r of rows) out[r.status as JobStatus] = Number(r.n);
      return out;
    },
  };
}
export type JobQueue = ReturnType<typeof createJobQueue>;

/** Polls for jobs until stopped; several workers in several processes may run at once. */
export function startWorker(queue: JobQueue, handlers: Record<string, JobHandler>, pollMs: number, onError: (job: JobTable, err: unknown) => void) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = (async () => {
      try {
        while (!stopped && (await queue.runOne(handlers, onError))) {
          /* drain what is due */
        }
      } catch (err) {
        onError({ job_id: '-', kind: 'worker' } as JobTable, err);
      }
      if (!stopped) timer = setTimeout(tick, pollMs);
    })();
  };
  timer = setTimeout(tick, 0);
  return {
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
