import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'node:test';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { InvalidError } from '../../core/errors.js';
import { newWebhookSecret, parseWebhookSecret, signWebhook, verifyWebhook, webhookHeaders } from './standard-webhooks.js';

// The reference library's own test vector (libraries/javascript/src/webhook.test.ts, "sign function
// works"); the spec's example header gives a signature but not the secret behind it.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: new Date(1614265330 * 1000),
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

const SECRET = VECTOR.secret;
const ID = 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W';
const AT = new Date('2023-01-19T00:13:51Z');
const BODY = '{"type":"contact.created","timestamp":"2022-11-03T20:26:10.344522Z","data":{"id":"1f81eb52-5198-4599-803e-771906343485"}}';

const secretArb = fc.uint8Array({ minLength: 24, maxLength: 64 }).map((bytes) => 'whsec_' + Buffer.from(bytes).toString('base64'));
const idChars = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).filter((c) => c !== '.');
const idArb = fc.string({ unit: fc.constantFrom(...idChars), minLength: 1, maxLength: 64 });
const bodyArb = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.json());
const timestampArb = fc.date({ min: new Date(0), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

function refusal(fn: () => unknown): InvalidError {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof InvalidError, `expected InvalidError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected a refusal');
}

function rawSignature(secret: string, content: string): string {
  return createHmac('sha256', parseWebhookSecret(secret)).update(content).digest('base64');
}

test('our signatures equal the reference implementation’s and pass its verify', () => {
  fc.assert(
    fc.property(secretArb, idArb, bodyArb, (secret, id, body) => {
      const now = new Date(); // the reference verifies against the system clock
      const reference = new Webhook(secret);

      const headers = webhookHeaders(secret, id, now, body);

      assert.equal(headers['webhook-signature'], reference.sign(id, now, body));
      reference.verify(body, headers, { jsonParse: false });
    }),
  );
});

test('signatures made by the reference implementation pass our verify, from a string or the raw bytes', () => {
  fc.assert(
    fc.property(secretArb, idArb, bodyArb, timestampArb, (secret, id, body, at) => {
      const headers = {
        'webhook-id': id,
        'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
        'webhook-signature': new Webhook(secret).sign(id, at, body),
      };

      const fromString = verifyWebhook(secret, headers, body, at);
      const fromBytes = verifyWebhook(secret, headers, Buffer.from(body, 'utf8'), at);

      assert.equal(fromString.id, id);
      assert.equal(fromString.timestamp.getTime(), Math.floor(at.getTime() / 1000) * 1000);
      assert.deepEqual(fromBytes, fromString);
    }),
  );
});

test('a body with a lone surrogate is signed as UTF-8 with U+FFFD, as the reference does', () => {
  const body = '{"name":"\uD800"}';

  const ours = signWebhook(SECRET, ID, AT, body);

  assert.equal(ours, new Webhook(SECRET).sign(ID, AT, body));
  assert.equal(ours, signWebhook(SECRET, ID, AT, '{"name":"\uFFFD"}'));
});

test('the reference test vector signs to its expected signature', () => {
  const signature = signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body);

  assert.equal(signature, VECTOR.signature);
});

test('the reference test vector verifies at its own time', () => {
  const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': '1614265330', 'webhook-signature': VECTOR.signature };

  const verified = verifyWebhook(VECTOR.secret, headers, VECTOR.body, VECTOR.timestamp);

  assert.deepEqual(verified, { id: VECTOR.id, timestamp: VECTOR.timestamp });
});

test('the signed content is {id}.{timestamp}.{body} in HMAC-SHA256, base64 after v1,', () => {
  const signature = signWebhook(SECRET, ID, AT, BODY);

  assert.equal(signature, 'v1,' + rawSignature(SECRET, `${ID}.1674087231.${BODY}`));
});

test('webhookHeaders carries the id, the whole seconds and the signature', () => {
  const headers = webhookHeaders(SECRET, ID, new Date('2023-01-19T00:13:51.999Z'), BODY);

  assert.deepEqual(headers, { 'webhook-id': ID, 'webhook-timestamp': '1674087231', 'webhook-signature': signWebhook(SECRET, ID, AT, BODY) });
});

const tampered = [
  ['body', { body: BODY.replace('created', 'deleted') }],
  ['id', { headers: { 'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4X' } }],
  ['timestamp', { headers: { 'webhook-timestamp': '1674087232' } }],
  ['secret', { secret: newWebhookSecret() }],
  ['signature', { headers: { 'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64') } }],
] as const;
for (const [what, change] of tampered) {
  test(`a message with a changed ${what} is refused: signature does not match`, () => {
    const headers = { ...webhookHeaders(SECRET, ID, AT, BODY), ...('headers' in change ? change.headers : {}) };
    const body = 'body' in change ? change.body : BODY;
    const secret = 'secret' in change ? change.secret : SECRET;

    const err = refusal(() => verifyWebhook(secret, headers, body, AT));

    assert.equal(err.message, 'signature does not match');
  });
}

test('any change to one byte of the body is refused', () => {
  const headers = webhookHeaders(SECRET, ID, AT, BODY);
  const bytes = Buffer.from(BODY);
  fc.assert(
    fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (at, delta) => {
      const changed = Buffer.from(bytes);
      changed[at] = (changed[at]! + delta) % 256;

      assert.throws(() => verifyWebhook(SECRET, headers, changed, AT), /signature does not match/);
    }),
  );
});

const times = [
  [-300, true], // exactly the tolerance old
  [-301, false],
  [300, true], // exactly the tolerance ahead
  [301, false],
  [0, true],
] as const;
for (const [offset, ok] of times) {
  test(`a timestamp ${offset} s from now is ${ok ? 'accepted' : 'refused'} with the default tolerance`, () => {
    const headers = webhookHeaders(SECRET, ID, new Date(AT.getTime() + offset * 1000), BODY);

    const attempt = () => verifyWebhook(SECRET, headers, BODY, AT);

    if (ok) attempt();
    else assert.match(refusal(attempt).message, /^timestamp outside tolerance/);
  });
}

test('the tolerance can be narrowed', () => {
  const headers = webhookHeaders(SECRET, ID, new Date(AT.getTime() - 60_000), BODY);

  assert.throws(() => verifyWebhook(SECRET, headers, BODY, AT, 30), /timestamp outside tolerance: 60 s old, at most 30 s allowed/);
  verifyWebhook(SECRET, headers, BODY, AT, 60);
});

test('a replay an hour later is refused even with its signature intact', () => {
  const headers = webhookHeaders(SECRET, ID, AT, BODY);

  const err = refusal(() => verifyWebhook(SECRET, headers, BODY, new Date(AT.getTime() + 3600_000)));

  assert.match(err.message, /timestamp outside tolerance: 3600 s old/);
});

for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
  test(`a message without ${name} is refused: missing ${name} header`, () => {
    const headers: Record<string, string | undefined> = webhookHeaders(SECRET, ID, AT, BODY);
    const empty = { ...headers, [name]: '' };
    delete headers[name];

    assert.throws(() => verifyWebhook(SECRET, headers, BODY, AT), new RegExp(`^InvalidError: missing ${name} header$`));
    assert.throws(() => verifyWebhook(SECRET, empty, BODY, AT), new RegExp(`missing ${name} header`));
  });

  test(`${name} given twice is refused`, () => {
    const headers = webhookHeaders(SECRET, ID, AT, BODY);

    const twice = { ...headers, [name]: [headers[name], headers[name]] };
    const twoCases = { ...headers, [name.toUpperCase()]: headers[name] };

    assert.throws(() => verifyWebhook(SECRET, twice, BODY, AT), new RegExp(`more than one ${name} header`));
    assert.throws(() => verifyWebhook(SECRET, twoCases, BODY, AT), new RegExp(`more than one ${name} header`));
  });
}

test('header names are matched in any case', () => {
  const headers = webhookHeaders(SECRET, ID, AT, BODY);

  const verified = verifyWebhook(
    SECRET,
    { 'Webhook-Id': headers['webhook-id'], 'WEBHOOK-TIMESTAMP': headers['webhook-timestamp'], 'Webhook-Signature': [headers['webhook-signature']] },
    BODY,
    AT,
  );

  assert.equal(verified.id, ID);
});

test('one matching signature among several is enough, wherever it stands', () => {
  const valid = signWebhook(SECRET, ID, AT, BODY);
  const other = signWebhook(newWebhookSecret(), ID, AT, BODY);
  const lists = [`${other} ${valid}`, `${valid} ${other}`, `v1,not-base64 ${other}  ${valid} v2,${valid.slice(3)}`];

  for (const list of lists) {
    const headers = { ...webhookHeaders(SECRET, ID, AT, BODY), 'webhook-signature': list };

    assert.equal(verifyWebhook(SECRET, headers, BODY, AT).id, ID, list);
  }
});

test('during a rotation a message signed with the old and new secrets verifies under either', () => {
  const [oldSecret, newSecret] = [newWebhookSecret(), newWebhookSecret()];
  const headers = {
    ...webhookHeaders(newSecret, ID, AT, BODY),
    'webhook-signature': `${signWebhook(newSecret, ID, AT, BODY)} ${signWebhook(oldSecret, ID, AT, BODY)}`,
  };

  verifyWebhook(oldSecret, headers, BODY, AT);
  verifyWebhook(newSecret, headers, BODY, AT);
  assert.throws(() => verifyWebhook(newWebhookSecret(), headers, BODY, AT), /signature does not match/);
});

test('a v1a (asymmetric) entry is ignored even when it carries the right HMAC bytes', () => {
  const hmacOnly = signWebhook(SECRET, ID, AT, BODY).slice('v1,'.length);
  const headers = { ...webhookHeaders(SECRET, ID, AT, BODY), 'webhook-signature': `v1a,${hmacOnly}` };

  const err = refusal(() => verifyWebhook(SECRET, headers, BODY, AT));

  assert.equal(err.message, 'webhook-signature header holds no v1 signature');
});

test('a v1a entry beside a valid v1 signature does not stop it verifying', () => {
  const valid = signWebhook(SECRET, ID, AT, BODY);
  const v1a = 'v1a,hnO3f9T8Ytu9HwrXslvumlUpqtNVqkhqw/enGzPCXe5BdqzCInXqYXFymVJaA7AZdpXwVLPo3mNl8EM+m7TBAg==';
  const headers = { ...webhookHeaders(SECRET, ID, AT, BODY), 'webhook-signature': `${v1a} ${valid}` };

  assert.equal(verifyWebhook(SECRET, headers, BODY, AT).id, ID);
});

const badSignatures = [
  ['a truncated signature', (s: string) => s.slice(0, 20), 'webhook-signature header holds no v1 signature'],
  ['a bare version', () => 'v1,', 'webhook-signature header holds no v1 signature'],
  ['no version', (s: string) => s.slice(3), 'webhook-signature header holds no v1 signature'],
  ['base64 without its padding', (s: string) => s.replace(/=$/, ''), 'webhook-signature header holds no v1 signature'],
  ['a different version', (s: string) => 'v2' + s.slice(2), 'webhook-signature header holds no v1 signature'],
] as const;
for (const [what, change, message] of badSignatures) {
  test(`${what} is refused`, () => {
    const headers = webhookHeaders(SECRET, ID, AT, BODY);

    const err = refusal(() => verifyWebhook(SECRET, { ...headers, 'webhook-signature': change(headers['webhook-signature']) }, BODY, AT));

    assert.equal(err.message, message);
  });
}

const badTimestamps = ['hello', '1674087231abc', '01674087231', '-1', '1674087231.5', ' 1674087231', '1e9', '1234567890123'];
for (const timestamp of badTimestamps) {
  test(`webhook-timestamp ${JSON.stringify(timestamp)} is refused`, () => {
    const headers = { ...webhookHeaders(SECRET, ID, AT, BODY), 'webhook-timestamp': timestamp };

    assert.throws(() => verifyWebhook(SECRET, headers, BODY, AT), InvalidError);
  });
}

test('an id with a full stop is refused on both sides, though the reference would accept it', () => {
  // With the timestamp moved into the id, the same signed text reads as a newer message.
  const at = new Date();
  const body = `${Math.floor(at.getTime() / 1000)}.{"type":"x"}`;
  const signature = new Webhook(SECRET).sign('msg_1', new Date(0), body); // signs "msg_1.0.<now>.{…}"
  const shifted = { 'webhook-id': 'msg_1.0', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };

  new Webhook(SECRET).verify('{"type":"x"}', shifted, { jsonParse: false });

  assert.throws(() => verifyWebhook(SECRET, shifted, '{"type":"x"}', at), /webhook id must be visible ASCII characters other than "."/);
  assert.throws(() => signWebhook(SECRET, 'msg.1', AT, BODY), /other than "\."/);
});

const badIds = ['', 'msg 1', ' msg', 'msg\n1', 'msg_é', 'x'.repeat(257)];
for (const id of badIds) {
  test(`the id ${JSON.stringify(id.slice(0, 12))} (${id.length} chars) is refused when signing and verifying`, () => {
    const headers = { ...webhookHeaders(SECRET, ID, AT, BODY), 'webhook-id': id };

    assert.throws(() => signWebhook(SECRET, id, AT, BODY), InvalidError);
    assert.throws(() => verifyWebhook(SECRET, headers, BODY, AT), InvalidError);
  });
}

test('an id of 256 characters is accepted', () => {
  const id = 'x'.repeat(256);

  assert.equal(verifyWebhook(SECRET, webhookHeaders(SECRET, id, AT, BODY), BODY, AT).id, id);
});

test('an overlong signature header or too many signatures are refused before any HMAC', () => {
  const headers = webhookHeaders(SECRET, ID, AT, BODY);
  const valid = headers['webhook-signature'];

  assert.throws(() => verifyWebhook(SECRET, { ...headers, 'webhook-signature': `v1,${'A'.repeat(2100)} ${valid}` }, BODY, AT), /longer than 2048 characters/);
  assert.throws(() => verifyWebhook(SECRET, { ...headers, 'webhook-signature': `${'v2,x '.repeat(16)}${valid}` }, BODY, AT), /more than 16 signatures/);
  verifyWebhook(SECRET, { ...headers, 'webhook-signature': `${'v2,x '.repeat(15)}${valid}` }, BODY, AT);
});

test('dates before 1970 or invalid cannot be signed', () => {
  assert.throws(() => signWebhook(SECRET, ID, new Date(-1000), BODY), /valid date from 1970 on/);
  assert.throws(() => signWebhook(SECRET, ID, new Date(Number.NaN), BODY), /valid date from 1970 on/);
});

test('a new secret is whsec_ and 32 random bytes, and each one differs', () => {
  const a = newWebhookSecret();
  const b = newWebhookSecret();

  assert.match(a, /^whsec_[A-Za-z0-9+/]{43}=$/);
  assert.equal(parseWebhookSecret(a).length, 32);
  assert.notEqual(a, b);
  new Webhook(a).sign(ID, AT, BODY);
});

const secrets = [
  ['whsec_' + Buffer.alloc(24, 7).toString('base64'), 24],
  ['whsec_' + Buffer.alloc(64, 7).toString('base64'), 64],
  ['whsec_' + Buffer.alloc(23, 7).toString('base64'), 'too short'],
  ['whsec_' + Buffer.alloc(65, 7).toString('base64'), 'too long'],
  ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'no prefix'],
  ['whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'an asymmetric key prefix'],
  ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS!', 'not base64'],
  ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2La LaSw', 'a space inside'],
  ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAB', 'a length not a multiple of four'],
  ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwMfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAB==', 'non-zero bits after the last byte'],
  ['whsec_', 'nothing after the prefix'],
] as const;
for (const [secret, want] of secrets) {
  test(`parseWebhookSecret with ${typeof want === 'number' ? `${want} bytes` : want} ${typeof want === 'number' ? 'gives the key' : 'is refused'}`, () => {
    if (typeof want === 'number') {
      assert.equal(parseWebhookSecret(secret).length, want);
      return;
    }
    const err = refusal(() => parseWebhookSecret(secret));
    assert.ok(secret === 'whsec_' || !err.message.includes(secret.slice(6)), 'the message must not quote the secret');
  });
}

async function receiver(secret: string, now: Date): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        verifyWebhook(secret, req.headers, Buffer.concat(chunks), now);
        res.statusCode = 204;
      } catch (e) {
        res.statusCode = e instanceof InvalidError ? 400 : 500;
      }
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/vigil` };
}

test('a real HTTP receiver accepts a signed POST with 204 and refuses it with 400 once one body byte changes', async () => {
  const secret = newWebhookSecret();
  const { server, url } = await receiver(secret, AT);
  const body = '{"type":"advisory.published","data":{"id":"ADV-42","title":"Überprüfung – 漏洞"}}';
  const headers = { ...webhookHeaders(secret, 'evt_01J9Z5', AT, body), 'content-type': 'application/json' };
  const changed = Buffer.from(body);
  changed[10] = changed[10]! ^ 0x01;

  try {
    const accepted = await fetch(url, { method: 'POST', headers, body });
    const refused = await fetch(url, { method: 'POST', headers, body: new Uint8Array(changed) });

    assert.equal(accepted.status, 204);
    assert.equal(refused.status, 400);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
