import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareKeys } from './order-key.js';
import { rpmEvrKey, rpmVersionKey } from './rpm-key.js';
import { compareRpmEvr, rpmvercmp } from './rpm-vercmp.js';

// Every case of rpm's own suite (rpm-software-management/rpm tests/rpmvercmp.at, rpm 4.18),
// including the "oddities" it documents, written out as [a, b, rpmvercmp(a, b)].
const RPM_SUITE: ReadonlyArray<readonly [string, string, -1 | 0 | 1]> = [
  ['1.0', '1.0', 0],
  ['1.0', '2.0', -1],
  ['2.0', '1.0', 1],
  ['2.0.1', '2.0.1', 0],
  ['2.0', '2.0.1', -1],
  ['2.0.1', '2.0', 1],
  ['2.0.1a', '2.0.1a', 0],
  ['2.0.1a', '2.0.1', 1],
  ['2.0.1', '2.0.1a', -1],
  ['5.5p1', '5.5p1', 0],
  ['5.5p1', '5.5p2', -1],
  ['5.5p2', '5.5p1', 1],
  ['5.5p10', '5.5p10', 0],
  ['5.5p1', '5.5p10', -1],
  ['5.5p10', '5.5p1', 1],
  ['10xyz', '10.1xyz', -1],
  ['10.1xyz', '10xyz', 1],
  ['xyz10', 'xyz10', 0],
  ['xyz10', 'xyz10.1', -1],
  ['xyz10.1', 'xyz10', 1],
  ['xyz.4', 'xyz.4', 0],
  ['xyz.4', '8', -1],
  ['8', 'xyz.4', 1],
  ['xyz.4', '2', -1],
  ['2', 'xyz.4', 1],
  ['5.5p2', '5.6p1', -1],
  ['5.6p1', '5.5p2', 1],
  ['5.6p1', '6.5p1', -1],
  ['6.5p1', '5.6p1', 1],
  ['6.0.rc1', '6.0', 1],
  ['6.0', '6.0.rc1', -1],
  ['10b2', '10a1', 1],
  ['10a2', '10b2', -1],
  ['1.0aa', '1.0aa', 0],
  ['1.0a', '1.0aa', -1],
  ['1.0aa', '1.0a', 1],
  ['10.0001', '10.0001', 0],
  ['10.0001', '10.1', 0],
  ['10.1', '10.0001', 0],
  ['10.0001', '10.0039', -1],
  ['10.0039', '10.0001', 1],
  ['4.999.9', '5.0', -1],
  ['5.0', '4.999.9', 1],
  ['20101121', '20101121', 0],
  ['20101121', '20101122', -1],
  ['20101122', '20101121', 1],
  ['2_0', '2_0', 0],
  ['2.0', '2_0', 0],
  ['2_0', '2.0', 0],
  ['a', 'a', 0],
  ['a+', 'a+', 0],
  ['a+', 'a_', 0],
  ['a_', 'a+', 0],
  ['+a', '+a', 0],
  ['+a', '_a', 0],
  ['_a', '+a', 0],
  ['+_', '+_', 0],
  ['_+', '+_', 0],
  ['_+', '_+', 0],
  ['+', '_', 0],
  ['_', '+', 0],
  ['1.0~rc1', '1.0~rc1', 0],
  ['1.0~rc1', '1.0', -1],
  ['1.0', '1.0~rc1', 1],
  ['1.0~rc1', '1.0~rc2', -1],
  ['1.0~rc2', '1.0~rc1', 1],
  ['1.0~rc1~git123', '1.0~rc1~git123', 0],
  ['1.0~rc1~git123', '1.0~rc1', -1],
  ['1.0~rc1', '1.0~rc1~git123', 1],
  ['1.0^', '1.0^', 0],
  ['1.0^', '1.0', 1],
  ['1.0', '1.0^', -1],
  ['1.0^git1', '1.0^git1', 0],
  ['1.0^git1', '1.0', 1],
  ['1.0', '1.0^git1', -1],
  ['1.0^git1', '1.0^git2', -1],
  ['1.0^git2', '1.0^git1', 1],
  ['1.0^git1', '1.01', -1],
  ['1.01', '1.0^git1', 1],
  ['1.0^20160101', '1.0^20160101', 0],
  ['1.0^20160101', '1.0.1', -1],
  ['1.0.1', '1.0^20160101', 1],
  ['1.0^20160101^git1', '1.0^20160101^git1', 0],
  ['1.0^20160102', '1.0^20160101^git1', 1],
  ['1.0^20160101^git1', '1.0^20160102', -1],
  ['1.0~rc1^git1', '1.0~rc1^git1', 0],
  ['1.0~rc1^git1', '1.0~rc1', 1],
  ['1.0~rc1', '1.0~rc1^git1', -1],
  ['1.0^git1~pre', '1.0^git1~pre', 0],
  ['1.0^git1', '1.0^git1~pre', 1],
  ['1.0^git1~pre', '1.0^git1', -1],
  // The oddities rpm documents (RhBug:811992; non-ASCII characters are separators).
  ['1b.fc17', '1b.fc17', 0],
  ['1b.fc17', '1.fc17', -1],
  ['1.fc17', '1b.fc17', 1],
  ['1g.fc17', '1g.fc17', 0],
  ['1g.fc17', '1.fc17', 1],
  ['1.fc17', '1g.fc17', -1],
  ['1.1.α', '1.1.α', 0],
  ['1.1.α', '1.1.β', 0],
  ['1.1.β', '1.1.α', 0],
  ['1.1.αα', '1.1.α', 0],
  ['1.1.α', '1.1.ββ', 0],
  ['1.1.ββ', '1.1.αα', 0],
];

for (const [a, b, want] of RPM_SUITE) {
  test(`rpmvercmp(${a}, ${b}) is ${want}`, () => {
    assert.equal(rpmvercmp(a, b), want);
  });

  test(`the pre-tokenised keys of ${a} and ${b} compare as ${want}`, () => {
    assert.equal(compareKeys(rpmVersionKey(a), rpmVersionKey(b)), want);
  });
}

test('numeric segments longer than any integer compare by value', () => {
  const a = '1.' + '9'.repeat(400);
  const b = '1.' + '0'.repeat(50) + '1' + '0'.repeat(400);

  assert.equal(rpmvercmp(a, b), -1);
  assert.equal(compareKeys(rpmVersionKey(a), rpmVersionKey(b)), -1);
});

test('a digit run longer than 65534 digits still orders by length', () => {
  const a = '9'.repeat(70_000);
  const b = '1' + '0'.repeat(70_000);

  assert.equal(rpmvercmp(a, b), -1);
  assert.equal(compareKeys(rpmVersionKey(a), rpmVersionKey(b)), -1);
});

test('the epoch outranks version and release', () => {
  const a = { epoch: '1', version: '1.0', release: '1.el9' };
  const b = { epoch: '0', version: '9.9', release: '99.el9' };

  assert.equal(compareRpmEvr(a, b), 1);
  assert.equal(compareKeys(rpmEvrKey(a), rpmEvrKey(b)), 1);
});

test('an empty epoch counts as epoch 0', () => {
  const a = { epoch: '', version: '1.0', release: '1' };
  const b = { epoch: '0', version: '1.0', release: '1' };

  assert.equal(compareRpmEvr(a, b), 0);
  assert.equal(rpmEvrKey(a), rpmEvrKey(b));
});

test('a missing release sorts before any release, as rpm.labelCompare does', () => {
  const a = { epoch: '0', version: '1.0', release: undefined };
  const b = { epoch: '0', version: '1.0', release: '' };

  assert.equal(compareRpmEvr(a, b), -1);
  assert.equal(compareKeys(rpmEvrKey(a), rpmEvrKey(b)), -1);
});

test('the release decides when epoch and version are equal', () => {
  const a = { epoch: '0', version: '2.34', release: '100.el9_4.2' };
  const b = { epoch: '0', version: '2.34', release: '100.el9_4.10' };

  assert.equal(compareRpmEvr(a, b), -1);
  assert.equal(compareKeys(rpmEvrKey(a), rpmEvrKey(b)), -1);
});
