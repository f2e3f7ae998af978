import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { InvalidError } from '../../core/errors.js';
import { checkSigningIdentity, composeMail, type OutgoingMail, type SigningIdentity } from './smime-sign.js';

let dir = '';
const at = (file: string) => join(dir, file);

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A key and a certificate for it issued by `ca`, with the given extensions and validity. */
function issue(name: string, ca: string, ext: string, days = 2): void {
  writeFileSync(at(`${name}.ext`), ext);
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
  openssl(
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-set_serial',
    String(Date.now()),
    '-days',
    String(days),
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  );
}

const SIGNER_EXT = 'keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\nsubjectAltName=email:csirt@example.org\n';
let signer: SigningIdentity;

// A throwaway federation PKI: root CA, an intermediate, and signers issued under them.
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-smime-sign-'));
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=Test Root CA',
    '-days',
    '2',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  issue('intermediate', 'ca', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  issue('signer', 'ca', SIGNER_EXT);
  issue('chained', 'intermediate', SIGNER_EXT);
  issue('expired', 'ca', SIGNER_EXT, -1);
  issue('webserver', 'ca', 'extendedKeyUsage=serverAuth\n');
  signer = { certFile: at('signer.pem'), keyFile: at('signer.key') };
});

after(() => rmSync(dir, { recursive: true, force: true }));

function mail(over: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    from: 'Vigil CSIRT <csirt@example.org>',
    to: 'security@site-a.example.org',
    subject: '[TLP:AMBER] Tâche: répondre',
    messageId: '<task-42.7f3a@vigil.example.org>',
    date: new Date('2025-03-04T05:06:07Z'),
    replyTo: 'csirt-desk@example.org',
    headers: { 'X-Vigil-TLP': 'AMBER' },
    text: 'Please rotate the host keys on ce01.site-a.example.org.\nDeadline: 2025-03-06.\n',
    ...over,
  };
}

/** `openssl smime -verify` of the message against the test root: exit status and printed content. */
function verify(message: Buffer): { status: number | null; out: string; err: string } {
  writeFileSync(at('msg.eml'), message);
  const r = spawnSync('openssl', ['smime', '-verify', '-in', 'msg.eml', '-CAfile', 'ca.pem'], { cwd: dir, encoding: 'latin1' });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test('a signed message passes openssl smime -verify and prints the text', async () => {
  const message = await composeMail(mail(), signer);

  const result = verify(message);

  assert.equal(result.status, 0, result.err);
  assert.match(result.out, /Please rotate the host keys on ce01\.site-a\.example\.org\.\r?\nDeadline: 2025-03-06\./);
});

test('a signed message with one body character changed fails verification', async () => {
  const message = (await composeMail(mail(), signer)).toString('latin1');
  assert.ok(message.includes('rotate the host keys'));

  const result = verify(Buffer.from(message.replace('rotate the host keys', 'rotate the host keyz'), 'latin1'));

  assert.notEqual(result.status, 0);
});

test('the signed message is multipart/signed with SHA-256 and a detached application/pkcs7-signature', async () => {
  const message = (await composeMail(mail(), signer)).toString('latin1');

  const contentType = /^Content-Type: (.*(?:\r\n[ \t].*)*)/m.exec(message)?.[1]?.replace(/\r\n[ \t]/g, ' ');

  assert.match(contentType ?? '', /^multipart\/signed; protocol="application\/pkcs7-signature"; micalg=sha-256; boundary="[^"]+"$/);
  assert.match(message, /Content-Type: text\/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable/);
});

test('a signer under an intermediate verifies against the root when the chain file is given', async () => {
  const chained = { certFile: at('chained.pem'), keyFile: at('chained.key'), chainFile: at('intermediate.pem') };

  const withChain = verify(await composeMail(mail(), chained));
  const withoutChain = verify(await composeMail(mail(), { certFile: chained.certFile, keyFile: chained.keyFile }));

  assert.equal(withChain.status, 0, withChain.err);
  assert.notEqual(withoutChain.status, 0);
});

test('mailparser reads the same headers and text from the signed and the unsigned message', async () => {
  const input = mail();

  const signed = await simpleParser(await composeMail(input, signer));
  const unsigned = await simpleParser(await composeMail(input));

  for (const parsed of [signed, unsigned]) {
    assert.equal(parsed.subject, '[TLP:AMBER] Tâche: répondre');
    assert.equal(parsed.messageId, '<task-42.7f3a@vigil.example.org>');
    assert.equal(parsed.replyTo?.value[0]?.address, 'csirt-desk@example.org');
    assert.equal(parsed.from?.value[0]?.address, 'csirt@example.org');
    assert.equal(parsed.from?.value[0]?.name, 'Vigil CSIRT');
    assert.equal(parsed.date?.toISOString(), '2025-03-04T05:06:07.000Z');
    assert.equal(parsed.headers.get('x-vigil-tlp'), 'AMBER');
    assert.equal(parsed.text, input.text);
  }
  assert.deepEqual(
    signed.attachments.map((a) => a.contentType),
    ['application/pkcs7-signature'],
  );
});

test('the given Message-ID is the only one in the message', async () => {
  for (const identity of [signer, undefined]) {
    const message = (await composeMail(mail(), identity)).toString('latin1');

    assert.deepEqual(message.match(/^Message-ID:.*$/gim), ['Message-ID: <task-42.7f3a@vigil.example.org>']);
  }
});

test('a non-ASCII subject and sender name are RFC 2047 encoded, so the headers stay ASCII', async () => {
  const message = await composeMail(mail({ from: 'Équipe sécurité <csirt@example.org>' }));

  const head = message.toString('latin1').split('\r\n\r\n')[0] ?? '';

  assert.match(head, /^Subject: =\?UTF-8\?[QB]\?/m);
  assert.ok([...message].every((byte) => byte < 0x80));
  assert.equal((await simpleParser(message)).from?.value[0]?.name, 'Équipe sécurité');
});

test('no body line starts with "From ", which mbox writers would rewrite under the signature', async () => {
  const message = await composeMail(mail({ text: 'From the CSIRT:\nFrom now on.' }), signer);

  const body = message.toString('latin1').split('\r\n\r\n').slice(1).join('\r\n\r\n');

  assert.doesNotMatch(body, /^From /m);
  assert.equal(verify(message).status, 0);
});

// Texts that break naive signing: mbox "From " escaping, trailing spaces, lone CR, long lines, dots.
const awkwardTexts = [
  'From the CSIRT: patch now.\nFrom here on, reply within a day.',
  'trailing spaces   \nand a tab\t\n',
  'a lone\rcarriage return and a CRLF\r\nline',
  `${'x'.repeat(2000)}\n${'é'.repeat(500)}`,
  '.\n..\nline after dots\n',
  'Привет 你好 🚨 — mixed scripts',
];
for (const text of awkwardTexts) {
  test(`a signed message verifies and round-trips the text ${JSON.stringify(text.slice(0, 30))}`, async () => {
    const message = await composeMail(mail({ text }), signer);

    const result = verify(message);
    const parsed = await simpleParser(message);

    assert.equal(result.status, 0, result.err);
    assert.equal(parsed.text ?? '', text.replace(/\r\n?/g, '\n'));
  });
}

test('any text gives a 7-bit message of CRLF lines within 78 characters that parses back to it', async () => {
  await fc.assert(
    fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 400 }), async (text) => {
      const message = await composeMail(mail({ text }));

      const raw = message.toString('latin1');
      assert.ok([...message].every((byte) => byte < 0x80));
      assert.equal(raw.replace(/\r\n/g, '').match(/[\r\n]/), null);
      assert.ok(raw.split('\r\n').every((line) => line.length <= 78));
      assert.equal((await simpleParser(message)).text ?? '', text.replace(/\r\n?/g, '\n'));
    }),
    { numRuns: 150 },
  );
});

const injections: [string, Partial<OutgoingMail>][] = [
  ['subject', { subject: 'Hello\r\nBcc: victim@example.com' }],
  ['subject with a bare LF', { subject: 'Hello\nBcc: victim@example.com' }],
  ['from', { from: 'csirt@example.org\r\nBcc: victim@example.com' }],
  ['to', { to: 'security@site-a.example.org\nBcc: victim@example.com' }],
  ['replyTo', { replyTo: 'desk@example.org\r\nX-Evil: 1' }],
  ['an extra header value', { headers: { 'X-Vigil-TLP': 'AMBER\r\nBcc: victim@example.com' } }],
  ['an extra header name', { headers: { 'X-Evil: 1\r\nBcc': 'victim@example.com' } }],
  ['an extra header that replaces Subject', { headers: { subject: 'other' } }],
  ['an extra header that replaces the content type', { headers: { 'Content-Type': 'text/html' } }],
  ['a Message-ID without angle brackets', { messageId: 'task-42@vigil.example.org' }],
  ['a Message-ID with a line break', { messageId: '<task-42@vigil.example.org>\r\nBcc: x@y.z' }],
  ['two senders', { from: 'a@example.org, b@example.org' }],
  ['a recipient that is no address', { to: 'security team' }],
  ['an invalid date', { date: new Date('not a date') }],
];
for (const [what, over] of injections) {
  test(`composing refuses ${what}`, async () => {
    await assert.rejects(composeMail(mail(over)), InvalidError);
    await assert.rejects(composeMail(mail(over), signer), InvalidError);
  });
}

test('checkSigningIdentity accepts a valid signer, with or without a chain', async () => {
  await checkSigningIdentity(signer);
  await checkSigningIdentity({ certFile: at('chained.pem'), keyFile: at('chained.key'), chainFile: at('intermediate.pem') });
});

test('checkSigningIdentity refuses a key that does not match the certificate', async () => {
  const attempt = checkSigningIdentity({ certFile: at('signer.pem'), keyFile: at('chained.key') });

  await assert.rejects(attempt, (e: unknown) => e instanceof InvalidError && /does not match/.test(e.message) && !e.message.includes('\n'));
});

test('checkSigningIdentity refuses an expired certificate', async () => {
  const attempt = checkSigningIdentity({ certFile: at('expired.pem'), keyFile: at('expired.key') });

  await assert.rejects(attempt, (e: unknown) => e instanceof InvalidError && /expired on \d{4}-/.test(e.message));
});

test('checkSigningIdentity refuses a certificate once its validity has passed', async () => {
  const attempt = checkSigningIdentity(signer, new Date(Date.now() + 3 * 86_400_000));

  await assert.rejects(attempt, (e: unknown) => e instanceof InvalidError && /expired/.test(e.message));
});

test('checkSigningIdentity refuses a certificate restricted to other uses than e-mail', async () => {
  const attempt = checkSigningIdentity({ certFile: at('webserver.pem'), keyFile: at('webserver.key') });

  await assert.rejects(attempt, (e: unknown) => e instanceof InvalidError && /e-mail protection/.test(e.message));
});

test('checkSigningIdentity names a file it cannot read', async () => {
  await assert.rejects(
    checkSigningIdentity({ ...signer, keyFile: at('missing.key') }),
    (e: unknown) => e instanceof InvalidError && e.message.includes('missing.key'),
  );
  await assert.rejects(
    checkSigningIdentity({ ...signer, chainFile: at('missing.pem') }),
    (e: unknown) => e instanceof InvalidError && e.message.includes('missing.pem'),
  );
});

test('checkSigningIdentity refuses a file that is not a certificate', async () => {
  const attempt = checkSigningIdentity({ certFile: at('signer.key'), keyFile: at('signer.key') });

  await assert.rejects(attempt, InvalidError);
});

test('checkSigningIdentity refuses a passphrase-protected key instead of waiting for a prompt', async () => {
  openssl('pkey', '-in', 'signer.key', '-aes256', '-passout', 'pass:secret', '-out', 'locked.key');

  const attempt = checkSigningIdentity({ certFile: at('signer.pem'), keyFile: at('locked.key') });

  await assert.rejects(attempt, InvalidError);
});
