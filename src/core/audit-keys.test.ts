import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAuditKeys, MAC_KEY_FILE, SIGNING_KEY_FILE } from './audit-keys.js';
import { InvalidError } from './errors.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'vigil-audit-keys-'));

test('missing keys are generated once beside the SQLite database, mode 0600, and said so', () => {
  const dir = tempDir();
  const logs: string[] = [];

  const first = loadAuditKeys({ sqlitePath: join(dir, 'vigil.db') }, (m) => logs.push(m));
  const second = loadAuditKeys({ sqlitePath: join(dir, 'vigil.db') }, (m) => logs.push(m));

  assert.equal(statSync(join(dir, MAC_KEY_FILE)).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, SIGNING_KEY_FILE)).mode & 0o777, 0o600);
  assert.equal(first.keyId, second.keyId);
  assert.ok(first.macKey.equals(second.macKey));
  assert.equal(first.algorithm, 'ed25519');
  assert.equal(logs.filter((l) => l.startsWith('generated')).length, 2);
});

test('configured keys are used and nothing is generated', () => {
  const dir = tempDir();
  const pem = join(dir, 'signing.pem');
  writeFileSync(pem, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });

  const keys = loadAuditKeys({ sqlitePath: join(dir, 'vigil.db'), auditKey: 'k'.repeat(40), auditSigningKeyFile: pem }, () => {});

  assert.equal(keys.algorithm, 'ecdsa-p256');
  assert.equal(keys.macKey.toString(), 'k'.repeat(40));
  assert.throws(() => statSync(join(dir, MAC_KEY_FILE)));
});

const refusals: Array<[string, (dir: string) => Parameters<typeof loadAuditKeys>[0], RegExp]> = [
  ['setting both auditKey and auditKeyFile', (dir) => ({ sqlitePath: join(dir, 'v.db'), auditKey: 'k'.repeat(40), auditKeyFile: join(dir, 'k') }), /not both/],
  ['a key file that does not exist', (dir) => ({ sqlitePath: join(dir, 'v.db'), auditKeyFile: join(dir, 'absent') }), /cannot read audit HMAC key file/],
  [
    'a short key in its file',
    (dir) => {
      writeFileSync(join(dir, 'k'), 'short\n');
      return { sqlitePath: join(dir, 'v.db'), auditKeyFile: join(dir, 'k') };
    },
    /too short/,
  ],
  [
    'an RSA signing key',
    (dir) => {
      writeFileSync(join(dir, 'rsa.pem'), generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
      return { sqlitePath: join(dir, 'v.db'), auditSigningKeyFile: join(dir, 'rsa.pem') };
    },
    /must be an Ed25519 or ECDSA P-256 private key, not rsa/,
  ],
  [
    'a signing key file that is not PEM',
    (dir) => {
      writeFileSync(join(dir, 'x.pem'), 'nonsense');
      return { sqlitePath: join(dir, 'v.db'), auditSigningKeyFile: join(dir, 'x.pem') };
    },
    /not a readable unencrypted PEM private key/,
  ],
];
for (const [what, config, message] of refusals) {
  test(`${what} is refused with one line`, () => {
    const dir = tempDir();

    assert.throws(
      () => loadAuditKeys(config(dir), () => {}),
      (err: Error) => err instanceof InvalidError && message.test(err.message) && !err.message.includes('\n'),
    );
  });
}
