// Holding a report for review (issue 9, hole 2). Anyone may send a report naming an unknown
// site, so the quarantine is bounded per sender (its client address, IPv6 by /64) over the last
// day and in total while pending, by count and by stored bytes; a report over a bound is refused
// and nothing is kept. Held reports are stored gzip-compressed.
import { isIP } from 'node:net';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { sql } from 'kysely';
import type { Db, Dialect, Executor } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import { newId } from '../../core/ids.js';
import { RateLimitedError, StorageFullError } from '../../core/errors.js';
import type { HostReport } from '../../lib/pakiti-report/index.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export interface QuarantineLimits {
  /** Reports held from one sender in the last 24 hours (whatever became of them). */
  senderMaxReports: number;
  /** Bytes stored for one sender in the last 24 hours. */
  senderMaxBytes: number;
  /** Reports pending review, from everyone. */
  maxReports: number;
  /** Bytes pending review, from everyone. */
  maxBytes: number;
}

export const DEFAULT_QUARANTINE_LIMITS: QuarantineLimits = {
  senderMaxReports: 20,
  senderMaxBytes: 20 * 1024 * 1024,
  maxReports: 2000,
  maxBytes: 500 * 1024 * 1024,
};

/** Which bound refused a report: the `reason` label of vigil_quarantine_refused_total. */
export const QUARANTINE_REFUSALS = ['sender-reports', 'sender-bytes', 'total-reports', 'total-bytes'] as const;
export type QuarantineRefusal = (typeof QUARANTINE_REFUSALS)[number];

/** Over a sender's bound (429, with Retry-After). */
export class QuarantineSenderLimitError extends RateLimitedError {
  constructor(
    readonly refusal: QuarantineRefusal,
    message: string,
    retryAfterSeconds: number,
  ) {
    super(message, retryAfterSeconds);
  }
}

/** Over the total bound (507). */
export class QuarantineFullError extends StorageFullError {
  constructor(
    readonly refusal: QuarantineRefusal,
    message: string,
  ) {
    super(message, { quarantineLimit: refusal });
  }
}

/** Whether an error is a quarantine bound refusing a report (its message is meant for the sender). */
export const isQuarantineRefusal = (err: unknown): err is QuarantineSenderLimitError | QuarantineFullError =>
  err instanceof QuarantineSenderLimitError || err instanceof QuarantineFullError;

const MAX_HOSTNAME = 253;
const SENDER_WINDOW_MS = 24 * 3600 * 1000;
/** Serialises quarantine writes across processes on PostgreSQL, so concurrent reports cannot all pass a bound. */
const LOCK_KEY = 0x5649_4751; // "VIGQ"

/** The per-sender key of a client address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64,
 *  since one host commonly holds a whole /64. */
export function senderKey(address: string | undefined): string {
  const a = (address ?? '').trim().replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) return mapped[1]!;
  if (isIP(a) === 4) return a;
  if (isIP(a) !== 6) return 'unknown';
  const [head, tail] = a.includes('::') ? (a.split('::') as [string, string]) : [a, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  // An embedded IPv4 tail stands for two groups.
  const width = (gs: string[]) => gs.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...Array<string>(8 - width(h) - width(t)).fill('0'), ...t];
  return `${all
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

/** Reads a held report back. */
export async function decodeHeldReport(gz: Buffer): Promise<HostReport> {
  return JSON.parse((await gunzipAsync(gz)).toString('utf8')) as HostReport;
}

export function createQuarantineStore({ db, dialect, clock, limits }: { db: Db; dialect: Dialect; clock: Clock; limits: QuarantineLimits }) {
  const listeners: Array<(reason: QuarantineRefusal) => void> = [];

  /** The bound a new report of `bytes` from `sender` would break, if any. */
  async function overBound(ex: Executor, sender: string, bytes: number, nowMs: number) {
    const mine = await ex
      .selectFrom('report_quarantine')
      .where('sender', '=', sender)
      .where('received_at', '>', new Date(nowMs - SENDER_WINDOW_MS).toISOString())
      .select((eb) => [
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.sum<number | string | null>('size_bytes').as('bytes'),
        eb.fn.min('received_at').as('oldest'),
      ])
      .executeTakeFirstOrThrow();
    // The sender may try again when its oldest report of the window leaves it.
    const retryAfter = Math.max(60, Math.ceil(((mine.oldest ? Date.parse(mine.oldest) : nowMs) + SENDER_WINDOW_MS - nowMs) / 1000));
    if (Number(mine.n) + 1 > limits.senderMaxReports) {
      return new QuarantineSenderLimitError(
        'sender-reports',
        `quarantine full for this sender: ${limits.senderMaxReports} reports held in the last 24 hours; report not kept`,
        retryAfter,
      );
    }
    if (Number(mine.bytes ?? 0) + bytes > limits.senderMaxBytes) {
      return new QuarantineSenderLimitError(
        'sender-bytes',
        `quarantine full for this sender: ${limits.senderMaxBytes} bytes held in the last 24 hours; report not kept`,
        retryAfter,
      );
    }
    const pending = await ex
      .selectFrom('report_quarantine')
      .where('status', '=', 'pending')
      .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.sum<number | string | null>('size_bytes').as('bytes')])
      .executeTakeFirstOrThrow();
    if (Number(pending.n) + 1 > limits.maxReports) {
      return new QuarantineFullError('total-reports', `quarantine full: ${limits.maxReports} reports await review; report not kept`);
    }
    if (Number(pending.bytes ?? 0) + bytes > limits.maxBytes) {
      return new QuarantineFullError('total-bytes', `quarantine full: ${limits.maxBytes} bytes await review; report not kept`);
    }
    return undefined;
  }

  function refuse(error: QuarantineSenderLimitError | QuarantineFullError): never {
    for (const listener of listeners) listener(error.refusal);
    throw error;
  }

  return {
    /** Calls `listener` each time a report is refused (for the metrics). */
    onRefused(listener: (reason: QuarantineRefusal) => void): void {
      listeners.push(listener);
    },

    /** Keeps a report for review, or throws QuarantineSenderLimitError (429) or
     *  QuarantineFullError (507) having kept nothing. */
    async hold(report: HostReport, reason: string, address: string | undefined): Promise<{ quarantineId: string }> {
      const sender = senderKey(address);
      const nowMs = clock.now().getTime();
      // A sender already over a bound costs two reads, not the compression of its report.
      const early = await overBound(db, sender, 0, nowMs);
      if (early) refuse(early);
      const gz = await gzipAsync(JSON.stringify(report));
      const row = {
        quarantine_id: newId(),
        received_at: new Date(nowMs).toISOString(),
        claimed_site: report.site ?? '',
        hostname: report.host.slice(0, MAX_HOSTNAME),
        reason,
        report_json: '',
        report_gz: gz,
        sender,
        size_bytes: gz.length,
        status: 'pending',
      };
      const refusal = await db.transaction().execute(async (trx) => {
        if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_KEY})`.execute(trx);
        const over = await overBound(trx, sender, gz.length, nowMs);
        if (!over) await trx.insertInto('report_quarantine').values(row).execute();
        return over;
      });
      if (refusal) refuse(refusal);
      return { quarantineId: row.quarantine_id };
    },

    /** Drops the content of reports reviewed more than `days` ago (the entry and its audit trail
     *  stay), so released and rejected reports do not fill the disk over the years. */
    async purgeReviewed(days = REVIEWED_KEEP_DAYS): Promise<number> {
      const cutoff = new Date(clock.now().getTime() - days * 86_400_000).toISOString();
      const result = await db
        .updateTable('report_quarantine')
        .set({ report_gz: Buffer.alloc(0), size_bytes: 0 })
        .where('status', '<>', 'pending')
        .where('reviewed_at', '<', cutoff)
        .where('size_bytes', '>', 0)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}

/** How long a reviewed report's content is kept after the review. */
export const REVIEWED_KEEP_DAYS = 30;
export type QuarantineStore = ReturnType<typeof createQuarantineStore>;
