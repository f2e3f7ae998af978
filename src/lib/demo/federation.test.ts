import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ROLES } from '../../core/roles.js';
import { demoFederation } from './federation.js';

const fed = demoFederation();
const unique = (values: string[]) => new Set(values).size === values.length;

test('every Vigil role is held by someone', () => {
  const held = new Set(fed.roles.map((r) => r.role));

  assert.deepEqual(
    ROLES.filter((role) => !held.has(role)),
    [],
  );
});

test('roles are held on the scope they belong to', () => {
  const scopeOf = {
    csirt: ['federation'],
    'federation-admin': ['federation'],
    'ngi-security-officer': ['ngi'],
    'site-security-officer': ['site'],
    'site-admin': ['site'],
    'vo-manager': ['vo'],
    'vo-endorser': ['vo'],
    'read-only': ['federation', 'ngi', 'site', 'vo'],
  };

  for (const r of fed.roles) assert.ok(scopeOf[r.role].includes(r.scope.type), `${r.role} on ${r.scope.type}`);
  assert.deepEqual([...new Set(fed.roles.filter((r) => r.role === 'read-only').map((r) => r.scope.type))].sort(), ['federation', 'ngi', 'site', 'vo']);
});

test('names, keys, e-mails and DNs are unique', () => {
  assert.ok(unique(fed.ngis.map((n) => n.name)));
  assert.ok(unique(fed.sites.map((s) => s.name)));
  assert.ok(unique(fed.sites.map((s) => s.key)));
  assert.ok(unique(fed.endpoints.map((e) => e.key)));
  assert.ok(unique(fed.endpoints.map((e) => `${e.hostname} ${e.serviceType}`)));
  assert.ok(unique(fed.vos.map((v) => v.name)));
  assert.ok(unique(fed.people.map((p) => p.key)));
  assert.ok(unique(fed.people.map((p) => p.email)));
  assert.ok(unique(fed.people.map((p) => p.certDn)));
  assert.ok(unique(fed.roles.map((r) => JSON.stringify(r))));
});

test('the federation has the advertised size and mix', () => {
  assert.equal(fed.ngis.length, 4);
  assert.equal(fed.sites.length, 30);
  assert.equal(fed.endpoints.length, 120);
  assert.equal(fed.vos.length, 6);
  assert.equal(fed.people.length, 44);
  const statuses = new Set(fed.sites.map((s) => s.certificationStatus));
  for (const s of ['certified', 'candidate', 'suspended', 'closed', 'uncertified'] as const) assert.ok(statuses.has(s), s);
  assert.ok(fed.sites.some((s) => s.isProduction === false));
  assert.ok(fed.sites.some((s) => s.notifications === false));
  assert.ok(fed.sites.some((s) => s.csirtEmail === undefined));
  assert.ok(fed.people.some((p) => p.checkinSubject?.match(/^[0-9a-f]{32}@egi\.eu$/)));
  assert.ok(fed.vos.every((v) => v.securityEmail.includes('@lists.')));
});

test('each demo account’s holder holds exactly one role grant, the account’s', () => {
  for (const a of fed.accounts) {
    const held = fed.roles.filter((r) => r.personKey === a.personKey);

    assert.deepEqual(held, [{ personKey: a.personKey, role: a.role, scope: a.scope }], a.username);
  }
});

test('there is one demo account per role (federation-admin is the seed’s `admin`)', () => {
  const roles = fed.accounts.map((a) => a.role);

  assert.deepEqual([...roles].sort(), ROLES.filter((r) => r !== 'federation-admin').sort());
  assert.ok(unique(fed.accounts.map((a) => a.username)));
  assert.ok(unique(fed.accounts.map((a) => a.personKey)));
});

test('every reference points at an entity of the federation', () => {
  const people = new Set(fed.people.map((p) => p.key));
  const names = { ngi: new Set(fed.ngis.map((n) => n.name)), site: new Set(fed.sites.map((s) => s.name)), vo: new Set(fed.vos.map((v) => v.name)) };

  for (const r of [...fed.roles, ...fed.accounts]) {
    assert.ok(people.has(r.personKey), r.personKey);
    if (r.scope.type !== 'federation') assert.ok(names[r.scope.type].has(r.scope.name), r.scope.name);
  }
  for (const s of fed.sites) assert.ok(names.ngi.has(s.ngiName!), s.name);
  for (const e of fed.endpoints) assert.ok(names.site.has(e.siteName), e.hostname);
});

test('every person and address is fictional (example domains only)', () => {
  const addresses = [
    ...fed.people.map((p) => p.email),
    ...fed.sites.flatMap((s) => [s.contactEmail!, s.csirtEmail ?? '']),
    ...fed.ngis.map((n) => n.securityEmail!),
    ...fed.endpoints.map((e) => e.hostname),
  ].filter(Boolean);

  assert.deepEqual(
    addresses.filter((a) => !/\.example\.(org|net)$/.test(a)),
    [],
  );
});

test('the demo data is deterministic', () => {
  assert.deepEqual(demoFederation(), fed);
});
