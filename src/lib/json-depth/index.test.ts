import assert from 'node:assert/strict';
import test from 'node:test';
import { TooLargeError } from '../../core/errors.js';
import { checkJsonDepth } from './index.js';

const cases = [
  ['{"packages":[{"name":"bash"}]}', 3, true], // a host report: three levels
  ['{"packages":[{"name":"bash"}]}', 2, false],
  ['"[[[[[[[[["', 1, true], // brackets inside a string do not count
  ['["\\"[[[[", "\\\\"]', 1, true], // nor after an escaped quote; an escaped backslash ends nothing
  ['[[1],[2],[3]]', 2, true], // siblings do not add up
  ['42', 0, true],
] as const;
for (const [text, max, ok] of cases) {
  test(`checkJsonDepth(${text}, ${max}) ${ok ? 'passes' : 'throws'}`, () => {
    if (ok) {
      checkJsonDepth(text, max);
      checkJsonDepth(Buffer.from(text), max);
    } else {
      assert.throws(() => checkJsonDepth(text, max), TooLargeError);
      assert.throws(() => checkJsonDepth(Buffer.from(text), max), TooLargeError);
    }
  });
}

test('a deep body is refused at the first bracket over the limit, naming its offset', () => {
  const deep = Buffer.from('['.repeat(1_000_000) + ']'.repeat(1_000_000));

  const err = (() => {
    try {
      checkJsonDepth(deep, 8);
    } catch (e) {
      return e;
    }
  })();

  assert.ok(err instanceof TooLargeError);
  assert.equal(err.details?.offset, 8);
  assert.match(err.message, /deeper than 8 levels at offset 8/);
});
