// The audit log's keys and checkpoints through the `vigil` command (issue 9), on a temporary
// SQLite database: keys generated beside it, a checkpoint exported and checked with openssl.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { eventHash, GENESIS_HASH } from '../src/core/audit.js';
import type { AuditEventTable } from '../src/db/schema.js';
import { vigilCommand } from './support/server-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = join(root, 'test/fixtures/gocdb/federation.xml');

function vigil(dbPath: string, args: string[]) {
  const r = spawnSync(process.execPath, [...vigilCommand, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, VIGIL_SQLITE_PATH: dbPath, VIGIL_DATABASE_URL: '', VIGIL_LOG_LEVEL: 'silent' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('keys are generated beside the database, and an exported checkpoint verifies with openssl alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-cli-'));
  const db = join(dir, 'vigil.db');
  const out = join(dir, 'checkpoints');

  const migrated = vigil(db, ['migrate']);
  const imported = vigil(db, ['import', 'gocdb', fixture]);
  const signed = vigil(db, ['audit', 'checkpoint']);
  const exported = vigil(db, ['audit', 'checkpoints', '--export', out]);
  const seq = /seq: (\d+)/.exec(signed.stdout)?.[1];
  const openssl = spawnSync(
    'openssl',
    ['pkeyutl', '-verify', '-pubin', '-inkey', 'audit-pub.pem', '-rawin', '-in', `checkpoint-${seq}.txt`, '-sigfile', `checkpoint-${seq}.sig`],
    { cwd: out, encoding: 'utf8' },
  );
  const verify = vigil(db, ['audit', 'verify', '--checkpoints', out]);

  assert.match(migrated.stderr, /generated .*audit-hmac\.key \(mode 0600\)/);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(statSync(join(dir, 'audit-hmac.key')).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'audit-signing-key.pem')).mode & 0o777, 0o600);
  assert.equal(readFileSync(db).includes(readFileSync(join(dir, 'audit-hmac.key'), 'utf8').trim()), false, 'the HMAC key is not in the database');
  assert.equal(signed.code, 0, signed.stderr);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(openssl.status, 0, openssl.stderr);
  assert.match(openssl.stdout, /Signature Verified Successfully/);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /audit log intact: \d+ events verified, 2 signed checkpoints/);
});

test('a log rewritten with the exported hash function fails `vigil audit verify`', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-cli-'));
  const db = join(dir, 'vigil.db');
  vigil(db, ['import', 'gocdb', fixture]);

  const sqlite = new Database(db);
  let prev = GENESIS_HASH;
  for (const row of sqlite.prepare('select * from audit_event order by seq').all() as AuditEventTable[]) {
    const { hash: _old, ...rest } = { ...row, prev_hash: prev, actor_label: row.seq === 3 ? 'mallory' : row.actor_label };
    prev = eventHash(rest);
    sqlite.prepare('update audit_event set actor_label = ?, prev_hash = ?, hash = ? where seq = ?').run(rest.actor_label, rest.prev_hash, prev, row.seq);
  }
  sqlite.prepare('update audit_head set hash = ?').run(prev);
  sqlite.close();
  const verify = vigil(db, ['audit', 'verify']);

  assert.equal(verify.code, 1);
  assert.match(verify.stderr, /^vigil: audit log broken at event 1: content does not match its keyed \(HMAC\) link\n$/);
});
