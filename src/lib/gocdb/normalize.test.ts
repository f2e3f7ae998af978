import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalKey, certificationStatus, cleanEmail, countryFields, parseFlag, productionFlag, scopeList } from './normalize.js';

const keys = [
  ['14', '14G0'],
  ['14G0', '14G0'],
  ['14g0', '14G0'],
  [' 014 ', '14G0'],
  ['0', '0G0'],
  ['abc', 'abc'],
  ['14G1', '14G1'],
  ['', undefined],
  [undefined, undefined],
] as const;
for (const [raw, want] of keys) {
  test(`canonicalKey(${JSON.stringify(raw)}) is ${want}`, () => assert.equal(canonicalKey(raw), want));
}

const flags = [
  ['TRUE', true],
  ['true', true],
  ['Y', true],
  ['y', true],
  ['1', true],
  ['yes', true],
  ['FALSE', false],
  ['false', false],
  ['N', false],
  ['n', false],
  ['0', false],
  [' no ', false],
  ['maybe', undefined],
  ['', undefined],
  [undefined, undefined],
] as const;
for (const [raw, want] of flags) {
  test(`parseFlag(${JSON.stringify(raw)}) is ${want}`, () => assert.equal(parseFlag(raw), want));
}

const statuses = [
  ['Certified', 'certified'],
  ['CANDIDATE', 'candidate'],
  ['uncertified', 'uncertified'],
  ['Suspended', 'suspended'],
  [' Closed ', 'closed'],
  ['Retired', undefined],
  [undefined, undefined],
] as const;
for (const [raw, want] of statuses) {
  test(`certificationStatus(${JSON.stringify(raw)}) is ${want}`, () => assert.equal(certificationStatus(raw), want));
}

const production = [
  ['Production', true],
  ['Test', false],
  ['PPS', false],
  ['SC', false],
  ['Other', undefined],
] as const;
for (const [raw, want] of production) {
  test(`productionFlag(${raw}) is ${want}`, () => assert.equal(productionFlag(raw), want));
}

test('e-mails are trimmed and lowercased, empty ones dropped', () => {
  assert.equal(cleanEmail(' Sec@Example.ORG '), 'sec@example.org');
  assert.equal(cleanEmail('   '), undefined);
});

test('scopes are split on commas, trimmed and deduplicated in order', () => {
  assert.deepEqual(scopeList(['EGI', ' wlcg , tier2', '', 'EGI']), ['EGI', 'wlcg', 'tier2']);
});

test('a country name in COUNTRY_CODE (older dialect) is read as the country', () => {
  assert.deepEqual(countryFields('no'), { countryCode: 'NO' });
  assert.deepEqual(countryFields('Norway'), { country: 'Norway' });
  assert.deepEqual(countryFields(undefined), {});
});
