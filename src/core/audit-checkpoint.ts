// Signed checkpoints of the audit chain's head (issue 9): a short text naming (seq, head hash,
// time, key) signed with the audit signing key. Exported, a checkpoint lets anyone holding the
// public key check with openssl alone that the log up to seq has not changed since, and
// `vigil audit verify` checks every stored one against the chain.
import { sign, verify } from 'node:crypto';
import type { AuditCheckpointTable } from '../db/schema.js';
import type { AuditKeys } from './audit-keys.js';
import { InvalidError } from './errors.js';

export interface CheckpointStatement {
  seq: number;
  head: string;
  time: string;
  keyId: string;
}

const MAGIC = 'vigil-audit-checkpoint/1';

/** The signed text; one field per line, LF-terminated, so it reads and diffs as it is. */
export function checkpointText(s: CheckpointStatement): string {
  return `${MAGIC}\nseq: ${s.seq}\nhead: ${s.head}\ntime: ${s.time}\nkey: sha256:${s.keyId}\n`;
}

/** Parses a checkpoint text strictly (exactly the form checkpointText writes). */
export function parseCheckpointText(text: string): CheckpointStatement {
  const m =
    /^vigil-audit-checkpoint\/1\nseq: (0|[1-9]\d{0,15})\nhead: ([0-9a-f]{64})\ntime: (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z)\nkey: sha256:([0-9a-f]{64})\n$/.exec(
      text,
    );
  if (!m) throw new InvalidError('not a vigil audit checkpoint (vigil-audit-checkpoint/1)');
  return { seq: Number(m[1]), head: m[2]!, time: m[3]!, keyId: m[4]! };
}

// Ed25519 signs the text itself (openssl pkeyutl -rawin); ECDSA signs its SHA-256 (openssl dgst).
const digestOf = (keys: Pick<AuditKeys, 'algorithm'>) => (keys.algorithm === 'ed25519' ? null : 'sha256');

export function signCheckpoint(keys: AuditKeys, text: string): Buffer {
  return sign(digestOf(keys), Buffer.from(text, 'utf8'), keys.signingKey);
}

export function checkpointSignatureValid(keys: AuditKeys, text: string, signature: Buffer): boolean {
  try {
    return verify(digestOf(keys), Buffer.from(text, 'utf8'), keys.publicKey, signature);
  } catch {
    return false; // a malformed signature is an invalid one
  }
}

/** A checkpoint as verification sees it, from the database or from an exported directory. */
export interface CheckpointEvidence {
  source: string;
  statement: string;
  signature: Buffer;
  row?: AuditCheckpointTable;
}

/** What is wrong with a checkpoint by itself (its text, its signature, its key); undefined if nothing. */
export function checkpointSignatureProblem(keys: AuditKeys, c: CheckpointEvidence): { seq: number; reason: string } | undefined {
  let s: CheckpointStatement;
  try {
    s = parseCheckpointText(c.statement);
  } catch {
    return { seq: c.row?.seq ?? 0, reason: `${c.source}: not a well-formed checkpoint text` };
  }
  if (s.keyId !== keys.keyId) return { seq: s.seq, reason: `${c.source}: signed by key sha256:${s.keyId}, not by this Vigil's audit signing key` };
  if (!checkpointSignatureValid(keys, c.statement, c.signature)) return { seq: s.seq, reason: `${c.source}: the signature does not match the checkpoint text` };
  if (c.row && (c.row.seq !== s.seq || c.row.head_hash !== s.head || c.row.at !== s.time || c.row.key_id !== s.keyId)) {
    return { seq: s.seq, reason: `${c.source}: its columns differ from its signed text` };
  }
  return undefined;
}

export const evidenceOf = (row: AuditCheckpointTable): CheckpointEvidence => ({
  source: `checkpoint at event ${row.seq}`,
  statement: row.statement,
  signature: Buffer.from(row.signature, 'base64'),
  row,
});
