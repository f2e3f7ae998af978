import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { readDebianIndex, type DebianIndexLimits, type SourcePair } from './index.js';

const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/debian-index/${name}`, import.meta.url));
const sources = fixture('bookworm-main-Sources');
const packages = fixture('jammy-main-amd64-Packages');

async function collect(input: Parameters<typeof readDebianIndex>[0], limits?: Partial<DebianIndexLimits>): Promise<string[]> {
  const out: string[] = [];
  for await (const p of readDebianIndex(input, limits)) out.push(`${p.binary}=${p.source}`);
  return out;
}
/** The bytes cut into chunks of `size`, so that lines, CRLFs and UTF-8 sequences straddle them. */
async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

test('a Sources index gives every binary of each source, folded Binary fields included', async () => {
  const pairs = await collect(chunked(sources, 4096));

  assert.deepEqual(pairs, [
    'libssl-dev=openssl',
    'libssl-doc=openssl',
    'libssl3=openssl',
    'libssl3-udeb=openssl',
    'openssl=openssl',
    'openssl-provider-legacy=openssl',
    'libtiff-dev=tiff',
    'libtiff-doc=tiff',
    'libtiff-opengl=tiff',
    'libtiff-tools=tiff',
    'libtiff6=tiff',
    'libtiffxx6=tiff',
    'libxslt1-dev=libxslt',
    'libxslt1.1=libxslt',
    'python3-libxslt1=libxslt',
    'xsltproc=libxslt',
  ]);
});

test('an Ubuntu Packages index with CRLF gives Source without its version, and the own name without Source', async () => {
  const pairs = await collect(chunked(packages, 4096));

  assert.deepEqual(pairs, ['libssl3=openssl', 'libjpeg-turbo8=libjpeg-turbo', 'bash=bash']);
});

test('the pairs do not depend on where the chunks are cut', async () => {
  const whole = await collect([Buffer.concat([sources, packages])]);

  for (const size of [1, 2, 3, 7, 64]) assert.deepEqual(await collect(chunked(Buffer.concat([sources, packages]), size)), whole, `chunks of ${size}`);
});

test('strings, whitespace-only separators and a last paragraph without a newline are read', async () => {
  const text = 'Package: foo-tools\nSource: foo (1.2-3)\n \t\nPackage: Foo\nBinary: foo-tools ,libfoo1,\n';

  const pairs = await collect(text);

  assert.deepEqual(pairs, ['foo-tools=foo', 'foo-tools=Foo', 'libfoo1=Foo']);
});

test('a binary named twice in one Binary field is given once', async () => {
  const pairs = await collect('Package: glibc\nBinary: libc6, libc-bin, libc6\n');

  assert.deepEqual(pairs, ['libc6=glibc', 'libc-bin=glibc']);
});

const refused: Array<[string, string, typeof InvalidError | typeof TooLargeError, RegExp]> = [
  ['a comment line', 'Package: a1\n# note\n', InvalidError, /line 2: expected "Field: value"/],
  ['a line without a colon', 'Package: a1\n<html>\n', InvalidError, /line 2: expected "Field: value"/],
  ['a continuation with no field before it', '\n continued\nPackage: a1\n', InvalidError, /line 2: continuation line/],
  ['a paragraph without Package', 'Version: 1.0\nArchitecture: all\n', InvalidError, /line 1: paragraph has no Package field/],
  ['a repeated Package field', 'Package: a1\npackage: b2\n', InvalidError, /line 2: field package repeated/],
  ['a binary name with a space', 'Package: a1\nBinary: good, bad name\n', InvalidError, /line 1: Binary holds something that is not a package name/],
  ['a Source field with garbage after the version', 'Package: a1\nSource: b2 (1.0) x\n', InvalidError, /line 1: Source is not "name" or "name \(version\)"/],
  ['a name with a shell metacharacter', 'Package: a1;rm\n', InvalidError, /line 1: Package holds something that is not a package name/],
];
for (const [what, text, error, message] of refused) {
  test(`${what} is refused naming the line`, async () => {
    await assert.rejects(collect(text), (err: Error) => err instanceof error && message.test(err.message));
  });
  test(`the message for ${what} does not quote the index`, async () => {
    const quoted = (err: Error) =>
      text.split(/[\n:, ]/).some((part) => part.length > 2 && !/^(Package|Binary|Source|package|name)$/.test(part) && err.message.includes(part));
    await assert.rejects(collect(text), (err: Error) => !quoted(err));
  });
}

test('invalid UTF-8 is refused', async () => {
  const bytes = Buffer.concat([Buffer.from('Package: a1\nMaintainer: '), Buffer.from([0xc3, 0x28]), Buffer.from('\n')]);

  await assert.rejects(collect([bytes]), /not UTF-8/);
});

test('a line over the limit is refused before its end arrives', async () => {
  let sent = 0;
  async function* endless(): AsyncGenerator<string> {
    yield 'Package: a1\nDescription: ';
    for (;;) {
      sent += 1024;
      yield 'x'.repeat(1024);
    }
  }

  await assert.rejects(collect(endless(), { maxLineLength: 64 * 1024 }), TooLargeError);

  assert.ok(sent <= 66 * 1024, `read ${sent} characters`);
});

const limits: Array<[string, string, Partial<DebianIndexLimits>, RegExp]> = [
  [
    'a paragraph over its size',
    `Package: a1\nDescription: x\n${' more\n'.repeat(100)}`,
    { maxParagraphLength: 200 },
    /paragraph from line 1 is over 200 characters/,
  ],
  [
    'a paragraph with too many fields',
    `Package: a1\n${Array.from({ length: 20 }, (_, i) => `X-F${i}: v`).join('\n')}\n`,
    { maxFields: 10 },
    /has over 10 fields/,
  ],
  ['an index with too many pairs', 'Package: s1\nBinary: b1, b2, b3, b4\n', { maxPairs: 3 }, /over 3 binary packages/],
  ['an index over its total size', `${'Package: a1\n\n'.repeat(100)}`, { maxLength: 500 }, /index is over 500 characters/],
];
for (const [what, text, limit, message] of limits) {
  test(`${what} is refused as too large`, async () => {
    await assert.rejects(collect([text], limit), (err: Error) => err instanceof TooLargeError && message.test(err.message));
  });
}

test('pairs stream out before the index ends', async () => {
  const seen: SourcePair[] = [];
  async function* slow(): AsyncGenerator<string> {
    yield 'Package: tiff\nBinary: libtiff6\n\n';
    assert.equal(seen.length, 1, 'the first paragraph was handed out before the second was read');
    yield 'Package: libxslt\nBinary: xsltproc\n';
  }

  for await (const pair of readDebianIndex(slow())) seen.push(pair);

  assert.deepEqual(seen, [
    { binary: 'libtiff6', source: 'tiff' },
    { binary: 'xsltproc', source: 'libxslt' },
  ]);
});
