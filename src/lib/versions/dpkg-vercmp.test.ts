import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidError } from '../../core/errors.js';
import { debVersionKey } from './dpkg-key.js';
import { compareDebVersions, compareValidDebVersions } from './dpkg-vercmp.js';
import { compareKeys } from './order-key.js';

// dpkg's own comparison cases (dpkg lib/dpkg/t/t-version.c `test_version_compare`, objects
// written as version strings), then the shared corpus dpkg and apt test against (apt
// test/libapt/versions.lst, including the cases taken from cupt), as [a, b, sign].
const DPKG_SUITE: ReadonlyArray<readonly [string, string, -1 | 0 | 1]> = [
  ['1-1', '2-1', -1],
  ['1-1', '1-2', -1],
  ['1:0-0', '2:0-0', -1],
  ['0-0', '0-00', 0],
  ['0-00', '00-0', 0],
  ['1:2-3', '1:2-3', 0],
  ['0-0', '1:0-0', -1],
  ['1:0-0', '0-0', 1],
  ['a-0', 'b-0', -1],
  ['b-0', 'a-0', 1],
  ['0-a', '0-b', -1],
  ['0-b', '0-a', 1],
  ['7.6p2-4', '7.6-0', 1],
  ['1.0.3-3', '1.0-1', 1],
  ['1.3', '1.2.2-2', 1],
  ['1.3', '1.2.2', 1],
  ['0-pre', '0-pre', 0],
  ['0-pre', '0-pree', -1],
  ['1.1.6r2-2', '1.1.6r-1', 1],
  ['2.6b2-1', '2.6b-2', 1],
  ['98.1p5-1', '98.1-pre2-b6-2', -1],
  ['0.4a6-2', '0.4-1', 1],
  ['1:3.0.5-2', '1:3.0.5.1', -1],
  ['1:0.4', '10.3', 1],
  ['1:1.25-4', '1:1.25-8', -1],
  ['0:1.18.36', '1.18.36', 0],
  ['1.18.36', '1.18.35', 1],
  ['0:1.18.36', '1.18.35', 1],
  ['9:1.18.36:5.4-20', '10:0.5.1-22', -1],
  ['9:1.18.36:5.4-20', '9:1.18.36:5.5-1', -1],
  ['9:1.18.36:5.4-20', '9:1.18.37:4.3-22', -1],
  ['1.18.36-0.17.35-18', '1.18.36-19', 1],
  ['1:1.2.13-3', '1:1.2.13-3.1', -1],
  ['2.0.7pre1-4', '2.0.7r-1', -1],
  ['0:0-0-0', '0-0', 1],
  ['0', '0', 0],
  ['0', '00', 0],
  ['3.0~rc1-1', '3.0-1', -1],
  ['1.0', '1.0-0', 0],
  ['0.2', '1.0-0', -1],
  ['1.0', '1.0-0+b1', -1],
  ['1.0', '1.0-0~', 1],
  ['1.2.3', '1.2.3', 0],
  ['4.4.3-2', '4.4.3-2', 0],
  ['1:2ab:5', '1:2ab:5', 0],
  ['7:1-a:b-5', '7:1-a:b-5', 0],
  ['57:1.2.3abYZ+~-4-5', '57:1.2.3abYZ+~-4-5', 0],
  ['1.2.3', '0:1.2.3', 0],
  ['1.2.3', '1.2.3-0', 0],
  ['009', '9', 0],
  ['009ab5', '9ab5', 0],
  ['1.2.3', '1.2.3-1', -1],
  ['1.2.3', '1.2.4', -1],
  ['1.2.4', '1.2.3', 1],
  ['1.2.24', '1.2.3', 1],
  ['0.10.0', '0.8.7', 1],
  ['3.2', '2.3', 1],
  ['1.3.2a', '1.3.2', 1],
  ['0.5.0~git', '0.5.0~git2', -1],
  ['2a', '21', -1],
  ['1.3.2a', '1.3.2b', -1],
  ['1:1.2.3', '1.2.4', 1],
  ['1:1.2.3', '1:1.2.4', -1],
  ['1.2a+~bCd3', '1.2a++', -1],
  ['1.2a+~bCd3', '1.2a+~', 1],
  ['5:2', '304-2', 1],
  ['5:2', '304:2', -1],
  ['25:2', '3:2', 1],
  ['1:2:123', '1:12:3', -1],
  ['1.2-5', '1.2-3-5', -1],
  ['5.10.0', '5.005', 1],
  ['3a9.8', '3.10.2', -1],
  ['3a9.8', '3~10', 1],
  ['1.4+OOo3.0.0~', '1.4+OOo3.0.0-4', -1],
  ['2.4.7-1', '2.4.7-z', -1],
  ['1.002-1+b2', '1.00', 1],
  // Debian Policy 5.6.12: `~` sorts before anything, even the end of a part.
  ['1.0~beta1~svn1245', '1.0~beta1', -1],
  ['1.0~beta1', '1.0', -1],
  ['1~~', '1~~a', -1],
  ['1~~a', '1~', -1],
  ['1~', '1', -1],
];

for (const [a, b, want] of DPKG_SUITE) {
  test(`compareDebVersions(${a}, ${b}) is ${want}`, () => {
    assert.equal(compareDebVersions(a, b), want);
  });

  test(`compareValidDebVersions(${a}, ${b}) is ${want}`, () => {
    assert.equal(compareValidDebVersions(a, b), want);
  });

  test(`the pre-tokenised keys of ${a} and ${b} compare as ${want}`, () => {
    assert.equal(compareKeys(debVersionKey(a), debVersionKey(b)), want);
  });
}

// Versions dpkg refuses to compare (lib/dpkg/parsehelp.c parseversion errors).
const INVALID = [
  ['', 'empty version'],
  ['1.0-', 'empty revision'],
  [':1.0', 'empty epoch'],
  ['a:1.0', 'epoch is not a number'],
  ['1:', 'nothing after the epoch colon'],
  ['-1', 'empty upstream version'],
  ['1:-1', 'empty upstream version'],
  ['1.0 1', 'blank'],
  ['99999999999:1', 'epoch too big'],
  ['1.0é', 'non-ASCII'],
] as const;

for (const [version, why] of INVALID) {
  test(`'${version}' is refused: ${why}`, () => {
    assert.throws(
      () => compareDebVersions(version, '1.0'),
      (err: unknown) => err instanceof InvalidError && err.message.includes(why) && /position \d+/.test(err.message),
    );
  });
}

test('the largest epoch dpkg accepts is 2147483647', () => {
  assert.equal(compareDebVersions('2147483647:1', '2147483646:9'), 1);
});

test('a version not starting with a digit is compared, as dpkg only warns about it', () => {
  assert.equal(compareDebVersions('a1.0', 'b1.0'), -1);
});

test('characters outside Debian Policy sort after letters, as dpkg only warns about them', () => {
  assert.equal(compareDebVersions('1.0_1', '1.0z1'), 1);
  assert.equal(compareKeys(debVersionKey('1.0_1'), debVersionKey('1.0z1')), 1);
});

test('digit runs longer than any integer compare by value, leading zeros skipped', () => {
  const big = '9'.repeat(400);

  const results = [
    compareDebVersions(`1.${big}-1`, `1.1${'0'.repeat(400)}-1`),
    compareDebVersions(`1.${'0'.repeat(50)}${big}`, `1.${big}`),
    compareValidDebVersions(`1.${big}8`, `1.${big}9`),
    compareDebVersions(`${'0'.repeat(30)}1:0`, '1:0'),
  ];

  assert.deepEqual(results, [-1, 0, -1, 0]);
});
