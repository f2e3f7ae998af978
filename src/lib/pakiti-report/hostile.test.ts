import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { parseProtocol4 } from './protocol4.js';
import { parseProtocol5 } from './protocol5.js';

const HEAD = '#\nhost: wn1.example.org\npackager: rpm\n#\n';

test('a body over the byte limit is refused before it is read', () => {
  const body = Buffer.alloc(8 * 1024 * 1024 + 1, 0x23);

  assert.throws(() => parseProtocol5(body), TooLargeError);
});

test('a 1 MiB line is TooLargeError naming the line', () => {
  const body = `${HEAD}${'a'.repeat(1024 * 1024)}\t1-1\tx86_64\n#\n`;

  assert.throws(
    () => parseProtocol5(body),
    (err: unknown) => err instanceof TooLargeError && /line 5 is longer than 4096/.test(err.message),
  );
});

test('a huge header line is TooLargeError', () => {
  assert.throws(() => parseProtocol5(`#\nhost: ${'h'.repeat(5000)}\n#\n`), /line 2 is longer/);
});

test('millions of empty lines parse quickly into packagesMissing', () => {
  const body = `${HEAD}${'\n'.repeat(4_000_000)}#\n`;
  const started = process.hrtime.bigint();

  const r = parseProtocol5(body);

  assert.equal(r.packagesMissing, true);
  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 3000);
});

test('more package lines than the limit is TooLargeError naming the line', () => {
  const lines = Array.from({ length: 1001 }, (_, i) => `p${i}\t0:1.0-1\tx86_64\n`).join('');

  assert.throws(() => parseProtocol5(`${HEAD}${lines}#\n`, { maxPackages: 1000 }), /more than 1000 packages at line 1005/);
});

test('60,000 package lines hit the default limit of 50,000', () => {
  const lines = Array.from({ length: 60_000 }, (_, i) => `n${i}\t0:1-1\ta\n`).join('');

  assert.throws(() => parseProtocol5(`${HEAD}${lines}#\n`), /more than 50000 packages/);
});

test('too many header lines is TooLargeError', () => {
  const headers = Array.from({ length: 65 }, (_, i) => `x${i}: y\n`).join('');

  assert.throws(() => parseProtocol5(`#\nhost: h\n${headers}#\n`), /more than 64 header lines/);
});

test('a NUL byte in a package line is InvalidError naming line and column', () => {
  assert.throws(
    () => parseProtocol5(`${HEAD}bash\u0000\t0:5.1.8-6.el9_1\tx86_64\n#\n`),
    (err: unknown) => err instanceof InvalidError && err.message === 'line 5: control character 0x00 at column 5',
  );
});

test('a NUL byte in a header is InvalidError', () => {
  assert.throws(() => parseProtocol5('#\nhost: wn\u00001\n#\n'), /line 2: control character/);
});

test('invalid UTF-8 in a package name is InvalidError naming the line', () => {
  const body = Buffer.concat([Buffer.from(HEAD), Buffer.from([0x62, 0xff, 0xfe, 0x09]), Buffer.from('1.0\tall\n#\n')]);

  assert.throws(() => parseProtocol5(body), /line 5: invalid UTF-8 at column 2/);
});

test('valid UTF-8 beyond ASCII in a system name is kept', () => {
  const r = parseProtocol5('#\nhost: h\nsystem: Débian 12\n#\n');

  assert.equal(r.system, 'Débian 12');
});

test('lines built to make a backtracking regex explode parse in linear time', () => {
  const nasty = `${'- '.repeat(2000)}x`;
  const body = `${HEAD}${`${nasty}\n`.repeat(1000)}#\n`;
  const started = process.hrtime.bigint();

  const r = parseProtocol5(body);

  assert.ok(Number(process.hrtime.bigint() - started) / 1e6 < 3000);
  assert.equal(r.packages.length, 1);
});

test('a warning flood is capped with a count', () => {
  const body = `${HEAD}${'junk\n'.repeat(500)}#\n`;

  const r = parseProtocol5(body);

  assert.equal(r.warnings.length, 51);
  assert.equal(r.warnings.at(-1), '451 more warnings not shown');
});

test('a protocol 4 form over the byte limit is refused', () => {
  assert.throws(() => parseProtocol4({ host: 'h', pkgs: 'x'.repeat(2048) }, { maxBytes: 1024 }), TooLargeError);
});

test('a NUL in a protocol 4 field is InvalidError naming the field', () => {
  assert.throws(() => parseProtocol4({ host: 'h\u0000' }), /field host: control character/);
});

test('a huge protocol 4 pkgs line is TooLargeError naming it', () => {
  assert.throws(() => parseProtocol4({ host: 'h', pkgs: `'a' '1' '2' '${'x'.repeat(10_000)}'` }), /pkgs line 1 is longer/);
});
