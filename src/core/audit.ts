// The audit log: every state change appends (actor, action, object, before/after, time) in the
// same transaction as the change. Each event's SHA-256 covers the previous event's hash, and
// the head row holds the last sequence number and hash, so an edited, deleted or truncated
// event is detectable by `vigil audit verify`.
import { createHash } from 'node:crypto';
import type { Db, Executor } from '../db/database.js';
import type { AuditEventTable } from '../db/schema.js';
import type { Clock } from './clock.js';
import type { Actor } from './policy.js';

export interface AuditEntry {
  actor: Actor;
  action: string;
  objectType: string;
  objectId: string;
  before?: unknown;
  after?: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

export function eventHash(e: Omit<AuditEventTable, 'hash'>): string {
  const canonical = JSON.stringify([e.seq, e.at, e.actor_id, e.actor_label, e.action, e.object_type,
    e.object_id, e.before_json, e.after_json, e.prev_hash]);
  return createHash('sha256').update(canonical).digest('hex');
}

const toJson = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export function createAudit(clock: Clock) {
  /** Appends events in order, in the caller's transaction; bulk imports pass many at once. */
  async function recordMany(trx: Executor, entries: AuditEntry[]): Promise<number[]> {
    if (entries.length === 0) return [];
    // Bumping the head first takes its row lock (PostgreSQL) or the write lock (SQLite):
    // concurrent writers queue here and the chain stays linear.
    const head = await trx.updateTable('audit_head').set((eb) => ({ seq: eb('seq', '+', entries.length) }))
      .where('head_id', '=', 1).returning(['seq', 'hash']).executeTakeFirstOrThrow();
    const at = clock.now().toISOString();
    let prevHash = head.hash;
    let seq = head.seq - entries.length;
    const rows = entries.map((entry) => {
      const event = {
        seq: ++seq, at, actor_id: entry.actor.personId, actor_label: entry.actor.label, action: entry.action,
        object_type: entry.objectType, object_id: entry.objectId, before_json: toJson(entry.before),
        after_json: toJson(entry.after), prev_hash: prevHash,
      };
      prevHash = eventHash(event);
      return { ...event, hash: prevHash };
    });
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('audit_event').values(rows.slice(i, i + 500)).execute();
    await trx.updateTable('audit_head').set({ hash: prevHash }).where('head_id', '=', 1).execute();
    return rows.map((r) => r.seq);
  }

  return {
    /** Appends one event; call inside the transaction that makes the change. */
    record: async (trx: Executor, entry: AuditEntry): Promise<number> => (await recordMany(trx, [entry]))[0]!,
    recordMany,
  };
}
export type Audit = ReturnType<typeof createAudit>;

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBroken?: { seq: number; reason: string };
}

/** Walks the whole chain in order; names the first broken link. */
export async function verifyAuditChain(db: Db, batch = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_event').selectAll().where('seq', '>=', expectedSeq)
      .orderBy('seq').limit(batch).execute();
    for (const row of rows) {
      const broken = (reason: string): VerifyResult => ({ ok: false, checked, firstBroken: { seq: row.seq, reason } });
      if (row.seq !== expectedSeq) {
        return { ok: false, checked, firstBroken: { seq: expectedSeq, reason: `event ${expectedSeq} is missing (next is ${row.seq})` } };
      }
      if (row.prev_hash !== prevHash) return broken('prev_hash does not match the previous event');
      const { hash, ...rest } = row;
      if (eventHash(rest) !== hash) return broken('content does not match its hash');
      prevHash = hash;
      expectedSeq++;
      checked++;
    }
    if (rows.length < batch) break;
  }
  const head = await db.selectFrom('audit_head').selectAll().where('head_id', '=', 1).executeTakeFirst();
  if (!head || head.seq !== expectedSeq - 1 || head.hash !== prevHash) {
    return { ok: false, checked, firstBroken: { seq: expectedSeq, reason: `events after ${expectedSeq - 1} are missing (head is at ${head?.seq ?? '?'})` } };
  }
  return { ok: true, checked };
}
