import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isSmimeEnvelope } from './smime.js';

const report = readFileSync(new URL('../../../test/fixtures/reports/rocky9-wn.txt', import.meta.url));
let dir = '';
let encrypted = Buffer.alloc(0);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

// The exact command of the Pakiti client (CESNET/pakiti-client), with a throwaway key pair.
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-smime-'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=test', '-days', '1', '-keyout', 'key.pem', '-out', 'cert.pem');
  writeFileSync(join(dir, 'report.txt'), report);
  openssl('smime', '-encrypt', '-binary', '-aes-256-cbc', '-outform', 'DER', '-in', 'report.txt', '-out', 'report.der', 'cert.pem');
  encrypted = readFileSync(join(dir, 'report.der'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

test('a report encrypted with openssl smime -outform DER is detected', () => {
  assert.equal(isSmimeEnvelope(encrypted), true);
});

test('the detected envelope decrypts back to the plaintext report', () => {
  openssl('smime', '-decrypt', '-binary', '-inform', 'DER', '-inkey', 'key.pem', '-in', 'report.der', '-out', 'back.txt');

  assert.deepEqual(readFileSync(join(dir, 'back.txt')), report);
});

test('a plaintext report is not an envelope', () => {
  assert.equal(isSmimeEnvelope(report), false);
});

test('signed data (another PKCS#7 type) is not an envelope', () => {
  openssl('smime', '-sign', '-binary', '-outform', 'DER', '-in', 'report.txt', '-out', 'signed.der', '-signer', 'cert.pem', '-inkey', 'key.pem');

  assert.equal(isSmimeEnvelope(readFileSync(join(dir, 'signed.der'))), false);
});

test('a truncated envelope header and random bytes are not envelopes', () => {
  assert.equal(isSmimeEnvelope(encrypted.subarray(0, 8)), false);
  assert.equal(isSmimeEnvelope(Buffer.from([0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03])), false);
  assert.equal(isSmimeEnvelope(Buffer.alloc(0)), false);
});

test('the same envelope in BER indefinite-length form is detected', () => {
  const oid = Buffer.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03]);

  assert.equal(isSmimeEnvelope(Buffer.concat([Buffer.from([0x30, 0x80]), oid, Buffer.from([0xa0, 0x80, 0, 0, 0, 0])])), true);
});
