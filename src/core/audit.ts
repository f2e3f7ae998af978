// The audit log: every state change appends (actor, action, object, before/after, time) in the
// same transaction as the change. Each event's link covers the previous event's link, and the
// head row holds the last sequence number and link, so an edited, deleted or truncated event is
// detectable by `vigil audit verify`.
// Links are HMAC-SHA256 with a key the database does not hold (issue 9): whoever can write the
// database cannot recompute them. Events written before that keep their plain SHA-256 links;
// the head records where the keyed links start, sealed with the key so the point cannot be
// moved. Signed checkpoints of the head (audit-checkpoint.ts) also catch a rewrite by someone
// who has the HMAC key but not the signing key, and a truncation once they are exported.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { Db, Executor } from '../db/database.js';
import type { AuditCheckpointTable, AuditEventTable, AuditHeadTable } from '../db/schema.js';
import type { AuditKeys } from './audit-keys.js';
import { checkpointSignatureProblem, checkpointText, evidenceOf, parseCheckpointText, signCheckpoint, type CheckpointEvidence } from './audit-checkpoint.js';
import type { Clock } from './clock.js';
import { newId } from './ids.js';
import type { Actor } from './access.js';

export interface AuditEntry {
  actor: Actor;
  action: string;
  objectType: string;
  objectId: string;
  before?: unknown;
  after?: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);
/** The migration adding the keyed chain; the process that applies it seals the chain's start. */
export const KEYED_CHAIN_MIGRATION = '0010_audit_keys';

type EventContent = Omit<AuditEventTable, 'hash'>;
const canonical = (e: EventContent) =>
  JSON.stringify([e.seq, e.at, e.actor_id, e.actor_label, e.action, e.object_type, e.object_id, e.before_json, e.after_json, e.prev_hash]);

/** The plain SHA-256 link of events written before the keyed chain started. */
export function eventHash(e: EventContent): string {
  return createHash('sha256').update(canonical(e)).digest('hex');
}

/** The keyed link: HMAC-SHA256 of the same canonical form under the audit key. */
export function eventMac(key: Buffer, e: EventContent): string {
  return createHmac('sha256', key).update('vigil-audit-link/1\n').update(canonical(e)).digest('hex');
}

/** Seals the keyed chain's start: its first seq and the link before it. */
export function keyedStartSeal(key: Buffer, keyedFrom: number, prevHash: string): string {
  return createHmac('sha256', key).update(`vigil-audit-keyed-start/1\n${keyedFrom}\n${prevHash}`).digest('hex');
}

/** The chain cannot take an event without losing integrity (wrong key, unsealed, rolled back). */
export class AuditIntegrityError extends Error {}

const NOT_SEALED =
  'the audit log has events but its head holds no sealed start of the keyed chain: ' +
  'its HMAC links were replaced by plain SHA-256 ones, or the upgrade to keyed links did not finish';

const sameHex = (a: string | null, b: string) => a !== null && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** What is wrong with the head's seal, if anything (a null start is judged by the caller). */
function sealProblem(keys: AuditKeys, head: AuditHeadTable): string | undefined {
  if (head.keyed_from === null) return undefined;
  const from = Number(head.keyed_from);
  if (
    !Number.isInteger(from) ||
    from < 1 ||
    head.keyed_prev_hash === null ||
    !sameHex(head.keyed_seal, keyedStartSeal(keys.macKey, from, head.keyed_prev_hash))
  ) {
    return `the sealed start of the keyed chain (event ${head.keyed_from}) does not verify: it was altered, or this is not the audit key that sealed it`;
  }
  return undefined;
}

const toJson = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));

export function createAudit(clock: Clock, keys: AuditKeys) {
  /** Appends events in order, in the caller's transaction; bulk imports pass many at once. */
  async function recordMany(trx: Executor, entries: AuditEntry[]): Promise<number[]> {
    if (entries.length === 0) return [];
    // Bumping the head first takes its row lock (PostgreSQL) or the write lock (SQLite):
    // concurrent writers queue here and the chain stays linear.
    const head = await trx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb('seq', '+', entries.length) }))
      .where('head_id', '=', 1)
      .returningAll()
      .executeTakeFirstOrThrow();
    let seq = head.seq - entries.length;
    let seal: Pick<AuditHeadTable, 'keyed_from' | 'keyed_prev_hash' | 'keyed_seal'> | undefined;
    if (head.keyed_from === null) {
      // A new log starts keyed at its first event; an old one was sealed by the upgrade.
      if (seq !== 0) throw new AuditIntegrityError(NOT_SEALED);
      seal = { keyed_from: 1, keyed_prev_hash: head.hash, keyed_seal: keyedStartSeal(keys.macKey, 1, head.hash) };
    } else {
      const problem = sealProblem(keys, head);
      if (problem) throw new AuditIntegrityError(problem);
      if (Number(head.keyed_from) > seq + 1)
        throw new AuditIntegrityError(`the audit head (event ${seq}) is behind the start of the keyed chain (event ${head.keyed_from}): events were removed`);
    }
    const at = clock.now().toISOString();
    let prevHash = head.hash;
    const rows = entries.map((entry) => {
      const event = {
        seq: ++seq,
        at,
        actor_id: entry.actor.personId,
        actor_label: entry.actor.label,
        action: entry.action,
        object_type: entry.objectType,
        object_id: entry.objectId,
        before_json: toJson(entry.before),
        after_json: toJson(entry.after),
        prev_hash: prevHash,
      };
      prevHash = eventMac(keys.macKey, event);
      return { ...event, hash: prevHash };
    });
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('audit_event')
        .values(rows.slice(i, i + 500))
        .execute();
    await trx
      .updateTable('audit_head')
      .set({ hash: prevHash, ...seal })
      .where('head_id', '=', 1)
      .execute();
    return rows.map((r) => r.seq);
  }

  return {
    keys,
    /** Appends one event; call inside the transaction that makes the change. */
    record: async (trx: Executor, entry: AuditEntry): Promise<number> => (await recordMany(trx, [entry]))[0]!,
    recordMany,
    /** Signs the chain's head, after checking the links since the last checkpoint. */
    checkpoint: (db: Db) => createCheckpoint(db, keys, clock),
  };
}
export type Audit = ReturnType<typeof createAudit>;

/**
 * Seals the start of the keyed chain at the current head when it has none: done by the process
 * that applies the keyed-chain migration (the events already there keep their SHA-256 links).
 * Returns where keyed links start and whether this call set it; throws AuditIntegrityError when
 * an existing seal does not verify under these keys.
 */
export async function sealAuditChain(db: Db, keys: AuditKeys): Promise<{ keyedFrom: number; sealedNow: boolean }> {
  return db.transaction().execute(async (trx) => {
    const head = await trx
      .updateTable('audit_head')
      .set((eb) => ({ seq: eb.ref('seq') }))
      .where('head_id', '=', 1)
      .returningAll()
      .executeTakeFirstOrThrow(); // takes the head's lock
    if (head.keyed_from !== null) {
      const problem = sealProblem(keys, head);
      if (problem) throw new AuditIntegrityError(problem);
      return { keyedFrom: Number(head.keyed_from), sealedNow: false };
    }
    const keyedFrom = head.seq + 1;
    await trx
      .updateTable('audit_head')
      .set({ keyed_from: keyedFrom, keyed_prev_hash: head.hash, keyed_seal: keyedStartSeal(keys.macKey, keyedFrom, head.hash) })
      .where('head_id', '=', 1)
      .execute();
    return { keyedFrom, sealedNow: true };
  });
}

/** Checks at start-up that this process can extend the chain: the head is sealed with this key
 *  (or the log is empty). Throws AuditIntegrityError with one line otherwise. */
export async function checkAuditKey(db: Db, keys: AuditKeys): Promise<void> {
  const head = await db.selectFrom('audit_head').selectAll().where('head_id', '=', 1).executeTakeFirstOrThrow();
  if (head.keyed_from === null) {
    if (head.seq !== 0) throw new AuditIntegrityError(NOT_SEALED);
    return;
  }
  const problem = sealProblem(keys, head);
  if (problem) throw new AuditIntegrityError(problem);
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  /** Signed checkpoints checked (stored, and any given from an export). */
  checkpoints: number;
  firstBroken?: { seq: number; reason: string };
}

export interface VerifyOptions {
  batch?: number;
  /** Exported checkpoints to check besides the stored ones. */
  evidence?: CheckpointEvidence[];
  /** Start after this already-attested event instead of at the genesis; skips checkpoints. */
  from?: { seq: number; hash: string };
}

/** Walks the chain in order: each link, the keyed chain's seal, the head and every checkpoint;
 *  names the first broken point. */
export async function verifyAuditChain(db: Db, keys: AuditKeys, options: VerifyOptions = {}): Promise<VerifyResult> {
  const { result } = await walkChain(db, keys, options);
  if (!result.ok || options.from) return result;
  const witnessed = lastWitnessed(keys);
  if (!witnessed) return result;
  // The newest checkpoint this host signed, kept outside the database: the chain must still reach
  // it, through the same event.
  const event = await db.selectFrom('audit_event').select('hash').where('seq', '=', witnessed.seq).executeTakeFirst();
  if (!event) {
    return {
      ...result,
      ok: false,
      firstBroken: { seq: witnessed.seq, reason: `event ${witnessed.seq} was signed in a checkpoint (${keys.witnessFile}) but is gone: the log was cut` },
    };
  }
  if (event.hash !== witnessed.hash) {
    return {
      ...result,
      ok: false,
      firstBroken: { seq: witnessed.seq, reason: `event ${witnessed.seq} differs from the one signed in a checkpoint (${keys.witnessFile})` },
    };
  }
  return result;
}

/** The last (seq, hash) appended to the witness file, if there is one. */
function lastWitnessed(keys: AuditKeys): { seq: number; hash: string } | undefined {
  if (!keys.witnessFile || !existsSync(keys.witnessFile)) return undefined;
  const last = readFileSync(keys.witnessFile, 'utf8').trimEnd().split('\n').pop() ?? '';
  const m = /^(\d+) ([0-9a-f]{64})$/.exec(last);
  return m ? { seq: Number(m[1]), hash: m[2]! } : undefined;
}

/** The walk behind verifyAuditChain; also returns the head it verified up to (read first, so
 *  events appended meanwhile are left for the next walk). */
async function walkChain(db: Db, keys: AuditKeys, options: VerifyOptions): Promise<{ result: VerifyResult; head?: { seq: number; hash: string } }> {
  const wrap = (result: VerifyResult) => ({ result });
  const batch = options.batch ?? 5000;
  const start = await db.selectFrom('audit_head').selectAll().where('head_id', '=', 1).executeTakeFirst();
  if (!start) return wrap({ ok: false, checked: 0, checkpoints: 0, firstBroken: { seq: 1, reason: 'the audit head row is missing' } });
  const keyedFrom = start.keyed_from === null ? null : Number(start.keyed_from);
  const sealBroken = sealProblem(keys, start);
  if (sealBroken) return wrap({ ok: false, checked: 0, checkpoints: 0, firstBroken: { seq: keyedFrom!, reason: sealBroken } });

  const evidence = options.from ? [] : [...(await db.selectFrom('audit_checkpoint').selectAll().execute()).map(evidenceOf), ...(options.evidence ?? [])];
  const signed = [];
  for (const c of evidence) {
    const problem = checkpointSignatureProblem(keys, c);
    if (problem) return wrap({ ok: false, checked: 0, checkpoints: 0, firstBroken: problem });
    signed.push({ source: c.source, ...parseCheckpointText(c.statement) });
  }
  signed.sort((a, b) => a.seq - b.seq);
  const wanted = new Set([...signed.map((s) => s.seq), ...(keyedFrom === null ? [] : [keyedFrom - 1])]);
  const hashAt = new Map<number, string>([[options.from?.seq ?? 0, options.from?.hash ?? GENESIS_HASH]]);

  let prevHash = options.from?.hash ?? GENESIS_HASH;
  let expectedSeq = (options.from?.seq ?? 0) + 1;
  let checked = 0;
  const fail = (seq: number, reason: string) => wrap({ ok: false, checked, checkpoints: 0, firstBroken: { seq, reason } });
  while (expectedSeq <= start.seq) {
    const rows = await db
      .selectFrom('audit_event')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .where('seq', '<=', start.seq)
      .orderBy('seq')
      .limit(batch)
      .execute();
    for (const row of rows) {
      if (row.seq !== expectedSeq) return fail(expectedSeq, `event ${expectedSeq} is missing (next is ${row.seq})`);
      if (row.prev_hash !== prevHash) return fail(row.seq, 'prev_hash does not match the previous event');
      const { hash, ...rest } = row;
      const keyed = keyedFrom !== null && row.seq >= keyedFrom;
      if (keyed ? eventMac(keys.macKey, rest) !== hash : eventHash(rest) !== hash) {
        return fail(row.seq, keyed ? 'content does not match its keyed (HMAC) link' : 'content does not match its hash');
      }
      if (wanted.has(row.seq)) hashAt.set(row.seq, hash);
      prevHash = hash;
      expectedSeq++;
      checked++;
    }
    if (rows.length < batch) break;
  }
  if (expectedSeq - 1 !== start.seq || start.hash !== prevHash) {
    return fail(expectedSeq, `events after ${expectedSeq - 1} are missing (head is at ${start.seq})`);
  }
  // Events beyond the head read at the start are another writer's, unless the head is still
  // behind them now (a writer commits its events and the head together).
  const last = await db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  const now = await db.selectFrom('audit_head').select('seq').where('head_id', '=', 1).executeTakeFirst();
  if (last?.seq != null && Number(last.seq) > (now?.seq ?? start.seq))
    return fail(start.seq + 1, `events after ${now?.seq ?? start.seq} are not covered by the head`);
  if (keyedFrom === null) {
    if (start.seq > 0) return fail(1, NOT_SEALED);
  } else if (keyedFrom > start.seq + 1) {
    return fail(start.seq + 1, `events from ${start.seq + 1} on were removed (the keyed chain starts at ${keyedFrom})`);
  } else if (hashAt.has(keyedFrom - 1) && hashAt.get(keyedFrom - 1) !== start.keyed_prev_hash) {
    return fail(keyedFrom - 1, 'the SHA-256 events up to here no longer match the sealed start of the keyed chain: they were rewritten');
  }
  for (const s of signed) {
    if (s.seq > start.seq) return fail(s.seq, `${s.source} (signed ${s.time}) is beyond the head (event ${start.seq}): events were removed`);
    if (hashAt.get(s.seq) !== s.head) return fail(s.seq, `${s.source}: the chain up to it was rewritten after it was signed (${s.time})`);
  }
  return { result: { ok: true, checked, checkpoints: signed.length }, head: { seq: start.seq, hash: start.hash } };
}

/** Signs the chain's current head and stores the checkpoint, after checking every link since the
 *  previous checkpoint (all of them the first time); a head already checkpointed with this key
 *  returns the stored checkpoint. */
export async function createCheckpoint(db: Db, keys: AuditKeys, clock: Clock): Promise<{ checkpoint: AuditCheckpointTable; created: boolean }> {
  const last = (await db.selectFrom('audit_checkpoint').selectAll().where('key_id', '=', keys.keyId).orderBy('seq', 'desc').limit(1).execute()).find(
    (row) => !checkpointSignatureProblem(keys, evidenceOf(row)),
  );
  const { result, head } = await walkChain(db, keys, last ? { from: { seq: last.seq, hash: last.head_hash } } : {});
  if (!result.ok || !head) throw new AuditIntegrityError(`not signing a broken audit chain: event ${result.firstBroken!.seq}: ${result.firstBroken!.reason}`);
  const existing = () => db.selectFrom('audit_checkpoint').selectAll().where('key_id', '=', keys.keyId).where('seq', '=', head.seq).executeTakeFirst();
  const before = await existing();
  if (before) return { checkpoint: before, created: false };
  const statement = checkpointText({ seq: head.seq, head: head.hash, time: clock.now().toISOString(), keyId: keys.keyId });
  const s = parseCheckpointText(statement);
  const row: AuditCheckpointTable = {
    checkpoint_id: newId(),
    seq: s.seq,
    head_hash: s.head,
    at: s.time,
    key_id: s.keyId,
    statement,
    signature: signCheckpoint(keys, statement).toString('base64'),
  };
  const inserted = await db
    .insertInto('audit_checkpoint')
    .values(row)
    .onConflict((oc) => oc.columns(['key_id', 'seq']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) {
    if (keys.witnessFile) appendFileSync(keys.witnessFile, `${row.seq} ${row.head_hash}\n`, { mode: 0o600 });
    return { checkpoint: row, created: true };
  }
  return { checkpoint: (await existing())!, created: false }; // another process signed the same head just now
}

export const listCheckpoints = (db: Db) => db.selectFrom('audit_checkpoint').selectAll().orderBy('seq').execute();
