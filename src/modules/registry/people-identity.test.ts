// Identity squatting (issue 9, hole 6): who someone is (DN, Check-in subject, verified e-mail) is
// set at federation level or by the GOCDB import; a record an officer made never inherits an
// imported role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parseGocdb } from '../../lib/gocdb/index.js';
import { createServices, type Services } from '../../server/services.js';
import { InvalidError } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import { testDatabase } from '../../../test/support/db.js';
import { admin, personWithRole } from '../../../test/support/seed.js';
import { testApp, tokenFor } from '../../../test/support/app.js';

const fixture = (name: string) => new URL(`../../../test/fixtures/gocdb/${name}`, import.meta.url);
const config = { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 };
// get_roc_contacts.xml: Sanna Koskinen, NGI Security Officer of NGI_NORDICA (user key 101G0).
const SANNA = { name: 'Sanna Koskinen', email: 'sanna.koskinen@nordica.example.net', dn: '/DC=org/DC=example/O=Nordica/CN=Sanna Koskinen' };

/** The federation file imported without its NGI contacts, and a security officer of one Nordica site. */
async function setup() {
  const db = await testDatabase();
  const s = createServices(db, config);
  const federation = await parseGocdb(await readFile(fixture('federation.xml')));
  await s.importGocdb(admin, [{ ...federation, contacts: federation.contacts.filter((c) => c.entityType === 'site') }]);
  const tromso = await s.registry.resolveScopeId('site', 'NOR-TROMSO-GRID');
  const officer = await personWithRole(s, 'site-security-officer', 'site', tromso);
  return { db, s, tromso, officer: officer.actor };
}

const importRocContacts = async (s: Services) => s.importGocdb(admin, [await parseGocdb(await readFile(fixture('get_roc_contacts.xml')))]);

async function ngiOfficersOfNordica(s: Services) {
  const ngiId = await s.registry.resolveScopeId('ngi', 'NGI_NORDICA');
  return (await s.people.listRoles(admin, { limit: 50, offset: 0, order: 'asc' }, { scopeId: ngiId, role: 'ngi-security-officer' })).items;
}

test('a site security officer cannot give a new person a certificate DN or a Check-in subject', async () => {
  const { db, s, tromso, officer } = await setup();
  const grant = { role: 'read-only', scopeType: 'site', scopeId: tromso };

  const withDn = s.people.createPerson(officer, { ...SANNA, grant });
  const withSubject = s.people.createPerson(officer, { name: SANNA.name, checkinSubject: 'aaaa@egi.eu', grant });

  await assert.rejects(withDn, (e) => e instanceof InvalidError && e.details?.field === 'dn');
  await assert.rejects(withSubject, (e) => e instanceof InvalidError && e.details?.field === 'checkinSubject');
  assert.equal((await db.db.selectFrom('person').select('person_id').where('dn', '=', SANNA.dn).execute()).length, 0);
  await db.close();
});

test('a person a site officer adds with an NGI officer’s e-mail never receives the imported NGI role', async () => {
  const { db, s, tromso, officer } = await setup();
  const squat = await s.people.createPerson(officer, {
    name: SANNA.name,
    email: SANNA.email,
    grant: { role: 'read-only', scopeType: 'site', scopeId: tromso },
  });
  assert.equal(squat.identityVerified, false);

  await importRocContacts(s);

  const holders = await ngiOfficersOfNordica(s);
  assert.equal(holders.length, 1);
  assert.notEqual(holders[0]!.personId, squat.personId, 'the role goes to a record of its own');
  const real = await s.people.getPerson(admin, holders[0]!.personId);
  assert.deepEqual([real.dn, real.gocdbKey, real.identityVerified], [SANNA.dn, '101G0', true]);
  const squatted = await s.people.getPerson(admin, squat.personId);
  assert.deepEqual(
    squatted.roles.map((r) => [r.role, r.source]),
    [['read-only', 'local']],
  );
  assert.deepEqual([squatted.dn, squatted.gocdbKey], [null, null]);
  await db.close();
});

test('a record holding a DN without verification (made before the rule) is skipped by the import, with the reason', async () => {
  const { db, s } = await setup();
  const t = new Date().toISOString();
  const legacy = {
    person_id: newId(),
    gocdb_key: null,
    name: SANNA.name,
    email: SANNA.email,
    dn: SANNA.dn,
    checkin_subject: null,
    is_identity_verified: 0,
    created_at: t,
    updated_at: t,
  };
  await db.db.insertInto('person').values(legacy).execute();

  const summary = await importRocContacts(s);

  assert.deepEqual(await ngiOfficersOfNordica(s), []);
  assert.deepEqual((await s.people.getPerson(admin, legacy.person_id)).roles, []);
  const reason = summary.skipped.find((x) => x.element === `CONTACT ${SANNA.name}`)?.reason;
  assert.match(reason ?? '', new RegExp(`DN is held by person ${legacy.person_id}, made in Vigil and not verified`));
  await db.close();
});

test('a record a federation administrator made or confirmed is matched by the import, not duplicated', async () => {
  const { db, s, tromso, officer } = await setup();
  const byAdmin = await s.people.createPerson(admin, { name: 'Mikael Lindqvist', email: 'mikael.lindqvist@nordica.example.net' });
  const byOfficer = await s.people.createPerson(officer, {
    name: SANNA.name,
    email: SANNA.email,
    grant: { role: 'read-only', scopeType: 'site', scopeId: tromso },
  });
  const confirmed = await s.people.updatePerson(admin, byOfficer.personId, { identityVerified: true });

  await importRocContacts(s);

  assert.equal(byAdmin.identityVerified, true);
  assert.equal(confirmed.identityVerified, true);
  assert.deepEqual(
    (await ngiOfficersOfNordica(s)).map((r) => r.personId),
    [byOfficer.personId],
  );
  assert.deepEqual(
    (await s.people.getPerson(admin, byAdmin.personId)).roles.map((r) => r.role),
    ['read-only'],
  );
  await db.close();
});

test('POST /api/v1/people from a site security officer with a DN answers 422 naming the field', async () => {
  const t = await testApp();
  const ngiId = (await t.services.registry.createNgi(admin, { name: 'NGI_X' })).ngiId;
  const siteId = (await t.services.registry.createSite(admin, { name: 'X-SITE', ngiId, certificationStatus: 'certified' })).siteId;
  const officer = await personWithRole(t.services, 'site-security-officer', 'site', siteId);
  const headers = { authorization: `Bearer ${await tokenFor(t.services, officer.personId)}` };
  const grant = { role: 'site-admin', scopeType: 'site', scopeId: siteId };

  const refused = await t.app.inject({ method: 'POST', url: '/api/v1/people', headers, payload: { name: 'Eve', dn: '/CN=Someone Else', grant } });
  const accepted = await t.app.inject({ method: 'POST', url: '/api/v1/people', headers, payload: { name: 'Eve', email: 'Eve@Example.org', grant } });

  assert.equal(refused.statusCode, 422);
  assert.equal(refused.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual([refused.json().field, refused.json().detail], ['dn', 'only a federation administrator may set a certificate DN']);
  assert.equal(accepted.statusCode, 201);
  assert.deepEqual([accepted.json().email, accepted.json().identityVerified], ['eve@example.org', false]);
  await t.close();
});
