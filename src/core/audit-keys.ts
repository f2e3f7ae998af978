// The audit log's keys, held outside the database (issue 9): an HMAC key for the chain's links
// and a private key (Ed25519, or ECDSA P-256) signing checkpoints of the chain's head. Someone
// who can write the database but holds neither cannot rewrite the log unnoticed.
// Read from the configuration; when none is configured they are generated once, mode 0600,
// beside the SQLite database (or in auditKeyDir), never into the database.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import { InvalidError } from './errors.js';

export interface AuditKeys {
  /** HMAC-SHA256 key of the chain's links. */
  macKey: Buffer;
  signingKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as SPKI PEM, for export. */
  publicPem: string;
  /** sha256 of the public key's SPKI DER, hex: names the key in each checkpoint. */
  keyId: string;
  /** 'ed25519' or 'ecdsa-p256'. */
  algorithm: 'ed25519' | 'ecdsa-p256';
  /** A file outside the database, beside the keys, where each signed checkpoint's (seq, hash)
   *  is appended: removing recent events and every stored checkpoint cannot undo it. */
  witnessFile?: string | undefined;
}

export type AuditKeyConfig = Pick<Config, 'sqlitePath' | 'databaseUrl' | 'auditKey' | 'auditKeyFile' | 'auditSigningKeyFile' | 'auditKeyDir'>;

const MIN_MAC_KEY_CHARS = 32;
export const MAC_KEY_FILE = 'audit-hmac.key';
export const SIGNING_KEY_FILE = 'audit-signing-key.pem';
export const WITNESS_FILE = 'audit-witness.log';

/** Builds the keys from a MAC key and a private key (PEM or KeyObject); checks the key type. */
export function auditKeysFrom(macKey: string | Buffer, signingKey: string | KeyObject, where = 'audit signing key'): AuditKeys {
  const mac = typeof macKey === 'string' ? Buffer.from(macKey.trim(), 'utf8') : macKey;
  if (mac.length < MIN_MAC_KEY_CHARS) throw new InvalidError(`audit HMAC key is too short (at least ${MIN_MAC_KEY_CHARS} characters)`);
  let priv: KeyObject;
  try {
    priv = typeof signingKey === 'string' ? createPrivateKey(signingKey) : signingKey;
  } catch (err) {
    throw new InvalidError(`${where}: not a readable unencrypted PEM private key (${(err as Error).message})`);
  }
  const type = priv.asymmetricKeyType;
  const curve = priv.asymmetricKeyDetails?.namedCurve;
  let algorithm: AuditKeys['algorithm'];
  if (type === 'ed25519') algorithm = 'ed25519';
  else if (type === 'ec' && (curve === 'prime256v1' || curve === 'P-256')) algorithm = 'ecdsa-p256';
  else throw new InvalidError(`${where}: must be an Ed25519 or ECDSA P-256 private key, not ${type}${curve ? ` ${curve}` : ''}`);
  const publicKey = createPublicKey(priv);
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    macKey: mac,
    signingKey: priv,
    publicKey,
    algorithm,
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: createHash('sha256').update(der).digest('hex'),
  };
}

/** Fresh keys held in memory only: tests, and databases that are themselves in memory. */
export function ephemeralAuditKeys(): AuditKeys {
  return auditKeysFrom(randomBytes(32).toString('hex'), generateKeyPairSync('ed25519').privateKey);
}

function readSecretFile(path: string, what: string, log: (msg: string) => void): string {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a regular file');
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      log(`warning: ${what} ${path} can be read by others (mode ${(st.mode & 0o777).toString(8)}); chmod 600 it`);
    }
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new InvalidError(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
  return text;
}

/** Writes a new secret file with mode 0600, atomically: two processes starting at once end up
 *  with the one file (the loser reads the winner's), never a half-written one. */
function createSecretFile(path: string, content: string): boolean {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600, flag: 'wx' });
  chmodSync(tmp, 0o600);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * Loads the audit keys named by the configuration, generating the missing ones into the key
 * directory (auditKeyDir, else the SQLite database's directory). Throws InvalidError with one
 * line for a bad setting or file.
 */
export function loadAuditKeys(config: AuditKeyConfig, log: (msg: string) => void): AuditKeys {
  if (config.auditKey && config.auditKeyFile) throw new InvalidError('set auditKey (VIGIL_AUDIT_KEY) or auditKeyFile (VIGIL_AUDIT_KEY_FILE), not both');
  const inMemory = !config.databaseUrl && !config.auditKeyDir && config.sqlitePath === ':memory:';
  if (inMemory && !config.auditKey && !config.auditKeyFile && !config.auditSigningKeyFile) {
    log('warning: in-memory database: audit keys are generated for this process only');
    return ephemeralAuditKeys();
  }
  const dir = resolve(config.auditKeyDir ?? dirname(config.sqlitePath));
  const generated: string[] = [];
  const secretFile = (configured: string | undefined, name: string, make: () => string, what: string): string => {
    if (configured) return readSecretFile(configured, what, log);
    const path = join(dir, name);
    if (!existsSync(path) && createSecretFile(path, make())) generated.push(path);
    return readSecretFile(path, what, log);
  };

  const mac = config.auditKey ?? secretFile(config.auditKeyFile, MAC_KEY_FILE, () => `${randomBytes(32).toString('hex')}\n`, 'audit HMAC key file');
  const pem = secretFile(
    config.auditSigningKeyFile,
    SIGNING_KEY_FILE,
    () => generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    'audit signing key file',
  );
  const keys = { ...auditKeysFrom(mac, pem, config.auditSigningKeyFile ?? join(dir, SIGNING_KEY_FILE)), witnessFile: join(dir, WITNESS_FILE) };
  for (const path of generated) {
    log(
      `generated ${path} (mode 0600): keep it and back it up apart from the database; the audit log cannot be verified without it` +
        (config.databaseUrl ? '. Every Vigil process on this PostgreSQL database must use the same key (auditKeyFile / auditSigningKeyFile)' : ''),
    );
  }
  return keys;
}
