import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapGocdbRole } from './roles.js';

const cases = [
  ['Site Security Officer', 'site-security-officer'],
  ['Site Administrator', 'site-admin'],
  ['Site Operations Manager', 'site-admin'],
  ['Site Operations Deputy Manager', 'site-admin'],
  ['NGI Security Officer', 'ngi-security-officer'],
  ['NGI Operations Manager', 'read-only'],
  ['NGI Operations Deputy Manager', 'read-only'],
  ['EGI CSIRT Officer', 'csirt'],
  ['  site  security officer ', 'site-security-officer'],
  ['Regional Staff (ROD)', undefined],
  ['Regional First Line Support', undefined],
  ['COD Staff', undefined],
  ['Chief Operations Officer', undefined],
  ['Service Group Administrator', undefined],
  ['', undefined],
] as const;
for (const [name, want] of cases) {
  test(`mapGocdbRole(${JSON.stringify(name)}) is ${want}`, () => assert.equal(mapGocdbRole(name), want));
}
