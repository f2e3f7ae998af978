import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { InvalidError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { readReplyAddress, replyAddress } from './reply-token.js';

const key = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
const base = { local: 'vigil', domain: 'tasks.example.org' };
const taskId = '0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b';
// Computed apart from this code: Python's hmac and base64.b32encode, lowercased.
const known = 'vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t@tasks.example.org';

test('the address carries the id without dashes and an 80-bit HMAC in lowercase base32', () => {
  assert.equal(replyAddress(key, taskId, base), known);
});

test('an address reads back to its task id', () => {
  assert.deepEqual(readReplyAddress(key, known, base), { taskId });
});

test('an address whose case an MTA changed still reads back, to the canonical id', () => {
  assert.deepEqual(readReplyAddress(key, known.toUpperCase(), base), { taskId });
  assert.deepEqual(readReplyAddress(key, known.replace('vigil', 'Vigil').replace('tasks.example', 'Tasks.Example'), base), { taskId });
});

test('every new id round-trips under any key of 16 bytes or more', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.integer({ min: 0, max: 2 ** 47 }), (bytes, nowMs) => {
      const k = Buffer.from(bytes);
      const id = newId(nowMs);

      const address = replyAddress(k, id, base);

      assert.ok(address.split('@')[0]!.length <= 64);
      assert.match(address, /^[a-z0-9.+]+@tasks\.example\.org$/);
      assert.deepEqual(readReplyAddress(k, address, base), { taskId: id });
    }),
  );
});

test('changing any one character of the id or the MAC breaks the signature', () => {
  const local = known.split('@')[0]!;
  const start = 'vigil+t.'.length;
  for (let i = start; i < local.length; i++) {
    if (local[i] === '.') continue;
    const swapped = local[i] === 'a' ? 'b' : 'a';
    const altered = `${local.slice(0, i)}${swapped}${local.slice(i + 1)}@${base.domain}`;
    assert.deepEqual(readReplyAddress(key, altered, base), { error: 'bad-signature' }, altered);
  }
});

test('another id with a valid-looking MAC from elsewhere is a bad signature', () => {
  const other = replyAddress(key, '0193a5f2-7c1e-7b3a-9f00-000000000000', base);
  const mac = other.split('.')[2]!.split('@')[0]!;

  const spliced = known.replace(/\.[a-z2-7]{16}@/, `.${mac}@`);

  assert.deepEqual(readReplyAddress(key, spliced, base), { error: 'bad-signature' });
});

test('an address made with another key is a bad signature', () => {
  const otherKey = Buffer.alloc(32, 7);

  assert.deepEqual(readReplyAddress(otherKey, known, base), { error: 'bad-signature' });
});

const notOurs = [
  'alice@example.org',
  'vigil@tasks.example.org', // the base mailbox itself carries no task
  'vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t@example.org',
  'vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t@tasks.example.org.evil.example',
  'vigilant+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t@tasks.example.org',
  'xvigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t@tasks.example.org',
  'no at sign',
  '',
];
for (const address of notOurs) {
  test(`${JSON.stringify(address)} is not ours`, () => assert.deepEqual(readReplyAddress(key, address, base), { error: 'not-ours' }));
}

const malformed = [
  'vigil+@tasks.example.org',
  'vigil+x.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t@tasks.example.org', // not a task tag
  'vigil+t.0193a5f2-7c1e-7b3a-9f00-1c2d3e4f5a6b.nfnhrfzlnkl4zq5t@tasks.example.org', // dashes are not what we send
  'vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6.nfnhrfzlnkl4zq5t@tasks.example.org', // id one digit short
  'vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6bz.nfnhrfzlnkl4zq5t@tasks.example.org', // not hex
  'vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5@tasks.example.org', // MAC one short
  'vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t8@tasks.example.org', // MAC one long
  'vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq18@tasks.example.org', // 1 and 8 are not base32
  'vigil+t.0193a5f27c1e7b3a9f001c2d3e4f5a6b.nfnhrfzlnkl4zq5t.x@tasks.example.org',
];
for (const address of malformed) {
  test(`${address} is malformed`, () => assert.deepEqual(readReplyAddress(key, address, base), { error: 'malformed' }));
}

test('a base local part that leaves no room under 64 characters is refused at generation', () => {
  assert.ok(replyAddress(key, taskId, { ...base, local: 'a'.repeat(12) }));

  assert.throws(() => replyAddress(key, taskId, { ...base, local: 'a'.repeat(13) }), InvalidError);
});

test('a task id that is not canonical is refused at generation', () => {
  for (const id of [taskId.toUpperCase(), taskId.replaceAll('-', ''), 'task-1', '', `${taskId}.x`]) {
    assert.throws(() => replyAddress(key, id, base), InvalidError, id);
  }
});

test('a base that would make the address ambiguous is refused', () => {
  for (const local of ['vigil+x', 'a..b', '.vigil', 'vigil.', '"vigil"', 'vi gil', '']) {
    assert.throws(() => replyAddress(key, taskId, { ...base, local }), InvalidError, local);
  }
  for (const domain of ['', 'tasks..example.org', '-tasks.example.org', 'tasks.example.org.', 'a@b']) {
    assert.throws(() => replyAddress(key, taskId, { ...base, domain }), InvalidError, domain);
  }
});

test('a key shorter than 16 bytes is refused', () => {
  assert.throws(() => replyAddress(Buffer.alloc(15, 1), taskId, base), InvalidError);
  assert.throws(() => readReplyAddress(Buffer.alloc(0), known, base), InvalidError);
});
