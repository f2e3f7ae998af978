// Exported audit checkpoints: a directory of checkpoint-<seq>.txt (the signed text),
// checkpoint-<seq>.sig (the raw signature), audit-pub.pem and VERIFY.txt, checkable with
// openssl alone. An export never overwrites a different file: a checkpoint kept outside is
// evidence, and a database rewritten since must not replace it.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditKeys } from '../core/audit-keys.js';
import { checkpointSignatureProblem, evidenceOf, type CheckpointEvidence } from '../core/audit-checkpoint.js';
import type { AuditCheckpointTable } from '../db/schema.js';
import { InvalidError } from '../core/errors.js';

export const PUBLIC_KEY_FILE = 'audit-pub.pem';
const MAX_FILE = 4096;

/** The openssl command that checks one exported checkpoint (also printed in VERIFY.txt). */
export function opensslVerifyCommand(algorithm: AuditKeys['algorithm'], seq: number | string): string {
  return algorithm === 'ed25519'
    ? `openssl pkeyutl -verify -pubin -inkey ${PUBLIC_KEY_FILE} -rawin -in checkpoint-${seq}.txt -sigfile checkpoint-${seq}.sig`
    : `openssl dgst -sha256 -verify ${PUBLIC_KEY_FILE} -signature checkpoint-${seq}.sig checkpoint-${seq}.txt`;
}

function verifyText(keys: AuditKeys): string {
  return `Vigil audit checkpoints, checkable with openssl alone (docs/audit.md)

Signing key: ${keys.algorithm === 'ed25519' ? 'Ed25519' : 'ECDSA P-256 with SHA-256'}, sha256:${keys.keyId}
Compare ${PUBLIC_KEY_FILE} with the copy you pinned; its fingerprint is
  openssl pkey -pubin -in ${PUBLIC_KEY_FILE} -outform DER | openssl dgst -sha256

Check one checkpoint (run in this directory):
  ${opensslVerifyCommand(keys.algorithm, '<seq>')}
It prints "${keys.algorithm === 'ed25519' ? 'Signature Verified Successfully' : 'Verified OK'}" when the text is the one signed.

Each checkpoint names an event number and the chain's hash at that event. To check that the
log still holds those events unchanged:
  vigil audit verify --checkpoints <this directory>
`;
}

/** Writes the checkpoints signed by the current key; refuses (before writing anything) when a
 *  file there differs from what it would write, or a stored checkpoint does not verify. */
export function exportCheckpoints(dir: string, keys: AuditKeys, rows: AuditCheckpointTable[]): { written: number; unchanged: number; otherKey: number } {
  const mine = rows.filter((r) => r.key_id === keys.keyId);
  const files: Array<[string, Buffer]> = [[PUBLIC_KEY_FILE, Buffer.from(keys.publicPem)]];
  for (const row of mine) {
    const problem = checkpointSignatureProblem(keys, evidenceOf(row));
    if (problem) throw new InvalidError(`not exporting: ${problem.reason} (run vigil audit verify)`);
    files.push([`checkpoint-${row.seq}.txt`, Buffer.from(row.statement)], [`checkpoint-${row.seq}.sig`, Buffer.from(row.signature, 'base64')]);
  }
  const fresh: Array<[string, Buffer]> = [];
  let unchanged = 0;
  for (const [name, content] of files) {
    const path = join(dir, name);
    if (!existsSync(path)) {
      fresh.push([path, content]);
      continue;
    }
    if (!readFileSync(path).equals(content)) {
      throw new InvalidError(
        `not exporting: ${path} exists and differs from the database's; the chain, its checkpoints or the signing key changed since it was exported`,
      );
    }
    if (name.endsWith('.txt')) unchanged++;
  }
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of fresh) writeFileSync(path, content, { flag: 'wx' });
  writeFileSync(join(dir, 'VERIFY.txt'), verifyText(keys));
  return { written: mine.length - unchanged, unchanged, otherKey: rows.length - mine.length };
}

/** Reads an export directory's checkpoints for `vigil audit verify --checkpoints`. */
export function readExportedCheckpoints(dir: string): CheckpointEvidence[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    throw new InvalidError(`cannot read checkpoint directory ${dir}: ${(err as Error).message}`);
  }
  const read = (name: string) => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new InvalidError(`${path} is missing`);
    if (statSync(path).size > MAX_FILE) throw new InvalidError(`${path} is larger than a checkpoint file can be`);
    return readFileSync(path);
  };
  return names
    .filter((n) => /^checkpoint-\d{1,16}\.txt$/.test(n))
    .sort()
    .map((name) => ({
      source: `exported ${name}`,
      statement: read(name).toString('utf8'),
      signature: read(name.replace(/\.txt$/, '.sig')),
    }));
}
