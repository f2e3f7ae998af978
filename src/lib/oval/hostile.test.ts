// Hostile input fails cleanly, with a message and without memory growing with the input.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { parseOval } from './parse.js';

const ctx = { release: 'rhel:9' };
const HEAD = '<?xml version="1.0"?><oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"><definitions>';

test('an entity-expansion bomb is refused at its DOCTYPE', async () => {
  const bomb =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><oval_definitions>&lol2;</oval_definitions>';

  await assert.rejects(parseOval(bomb, ctx), (err: unknown) => err instanceof InvalidError && /DOCTYPE is not allowed .* line 1/.test(err.message));
});

test('an external entity is refused at its DOCTYPE', async () => {
  const xxe = '<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<oval_definitions>&xxe;</oval_definitions>';

  await assert.rejects(parseOval(xxe, ctx), /DOCTYPE is not allowed/);
});

test('an undefined entity is a parse error naming its place', async () => {
  await assert.rejects(
    parseOval(`${HEAD}<definition id="x">&xxe;</definition></definitions></oval_definitions>`, ctx),
    (err: unknown) => err instanceof InvalidError && /line 1, column \d+/.test(err.message),
  );
});

test('criteria nested 100,000 deep stop at the depth limit', async () => {
  function* deep() {
    yield `${HEAD}<definition class="patch" id="oval:x:def:1"><criteria>`;
    for (let i = 0; i < 100_000; i++) yield '<criteria operator="AND">';
  }

  await assert.rejects(parseOval(deep(), ctx), (err: unknown) => err instanceof TooLargeError && /nested deeper than 64/.test(err.message));
});

test('invalid UTF-8 is refused naming the bytes', async () => {
  const bytes = Buffer.concat([Buffer.from(`${HEAD}<definition id="`), Buffer.from([0xc3, 0x28]), Buffer.from('"/></definitions></oval_definitions>')]);

  await assert.rejects(parseOval([bytes], ctx), (err: unknown) => err instanceof InvalidError && /invalid UTF-8 in bytes/.test(err.message));
});

test('a 1 GB text node stops at the token limit with bounded memory', async () => {
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  const before = process.memoryUsage().rss;
  async function* gigabyte() {
    yield Buffer.from(`${HEAD}<definition id="x"><metadata><description>`);
    for (let i = 0; i < 1024; i++) yield chunk;
  }

  await assert.rejects(parseOval(gigabyte(), ctx), (err: unknown) => err instanceof TooLargeError && /over 4194304 characters/.test(err.message));
  assert.ok(process.memoryUsage().rss - before < 200 * 1024 * 1024);
});

test('a stream of endless elements stops at the document size limit', async () => {
  const limits = { maxDepth: 64, maxElements: 1e9, maxTokenChars: 1 << 20, maxBytes: 8 * 1024 * 1024 };
  const chunk = Buffer.from('<x/>'.repeat(16 * 1024));
  async function* endless() {
    yield Buffer.from(`${HEAD}`);
    for (;;) yield chunk;
  }

  await assert.rejects(parseOval(endless(), ctx, limits), (err: unknown) => err instanceof TooLargeError && /over 8388608 bytes/.test(err.message));
});

test('the element count limit applies', async () => {
  const limits = { maxDepth: 64, maxElements: 1000, maxTokenChars: 1 << 20, maxBytes: 1 << 30 };

  await assert.rejects(parseOval(`${HEAD}${'<x/>'.repeat(2000)}</definitions></oval_definitions>`, ctx, limits), /more than 1000 elements/);
});

test('a truncated document is an error, not an empty feed', async () => {
  await assert.rejects(parseOval(`${HEAD}<definition id="x">`, ctx), InvalidError);
});
