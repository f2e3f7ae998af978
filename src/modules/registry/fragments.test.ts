// The registry's query fragments that other modules read sites and people through (fragments.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServices, type Services } from '../../server/services.js';
import { fixedClock } from '../../core/clock.js';
import { testDatabase, type TestDb } from '../../../test/support/db.js';
import { admin, smallFederation, type SmallFederation } from '../../../test/support/seed.js';
import { findPersonName, findSiteByName, listRoleGrants, personNames, siteAndNgiNames, siteIdsWhere, siteNamesOfNgis, siteSecurityContacts } from './index.js';

let db: TestDb;
let s: Services;
let fed: SmallFederation;

before(async () => {
  db = await testDatabase();
  s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, fixedClock(new Date('2026-06-01T00:00:00Z')));
  fed = await smallFederation(s);
  const person = (name: string, email: string, role: 'site-security-officer' | 'site-admin', siteId: string) =>
    s.people.createPerson(admin, { name, email, grant: { role, scopeType: 'site', scopeId: siteId } });
  await person('Officer One', 'officer1@uni1.example.org', 'site-security-officer', fed.siteA1);
  await person('Officer Two', 'csirt@uni1.example.org', 'site-security-officer', fed.siteA1); // the site's own address again
  await person('Admin Three', 'admin3@uni1.example.org', 'site-admin', fed.siteA1);
});
after(() => db.close());

test("a site's security contacts are its security address, then its security officers', once each", async () => {
  const contacts = await siteSecurityContacts(db.db, [fed.siteA1, fed.siteA2, 'no-such-site']);

  assert.deepEqual(contacts.get(fed.siteA1)?.[0], 'csirt@uni1.example.org');
  assert.deepEqual([...contacts.get(fed.siteA1)!].sort(), ['csirt@uni1.example.org', 'officer1@uni1.example.org']);
  assert.deepEqual(contacts.get(fed.siteA2), []);
  assert.equal(contacts.has('no-such-site'), false);
});

test("the names of an NGI's sites include their ids, and no NGI gives none", async () => {
  const names = (ngiIds: string[]) =>
    db.db
      .selectFrom(siteNamesOfNgis(db.db, ngiIds).as('n'))
      .select('n.name')
      .execute()
      .then((r) => r.map((x) => x.name).sort());

  assert.deepEqual(await names([fed.ngiB]), ['BETA-HPC-1', fed.siteB1].sort());
  assert.deepEqual(await names([]), []);
});

test('site ids are selected by NGI and by name', async () => {
  const ids = (f: Parameters<typeof siteIdsWhere>[1]) =>
    siteIdsWhere(db.db, f)
      .execute()
      .then((r) => r.map((x) => x.site_id).sort());

  assert.deepEqual(await ids({ ngiIds: [fed.ngiA] }), [fed.siteA1, fed.siteA2].sort());
  assert.deepEqual(await ids({ ngiIds: [fed.ngiA], name: 'BETA-HPC-1' }), []);
  assert.deepEqual(await ids({ name: 'BETA-HPC-1' }), [fed.siteB1]);
});

test("a site joined through siteAndNgiNames carries its NGI's id and name, and when it was removed", async () => {
  const row = await db.db.selectFrom(siteAndNgiNames(db.db).as('x')).selectAll('x').where('x.site_id', '=', fed.siteB1).executeTakeFirstOrThrow();

  assert.deepEqual(row, { site_id: fed.siteB1, site_name: 'BETA-HPC-1', site_removed_at: null, ngi_id: fed.ngiB, ngi_name: 'NGI_BETA' });
  assert.deepEqual(await findSiteByName(db.db, 'BETA-HPC-1'), { siteId: fed.siteB1, name: 'BETA-HPC-1', ngiId: fed.ngiB, removedAt: null });
});

test("a person's role grants carry each site grant's NGI, and roles this version does not know are left out", async () => {
  const { personId } = await s.people.createPerson(admin, {
    name: 'Grace Hopper',
    email: 'grace@example.org',
    grant: { role: 'site-admin', scopeType: 'site', scopeId: fed.siteB1 },
  });
  await s.people.grantRole(admin, { personId, role: 'ngi-security-officer', scopeType: 'ngi', scopeId: fed.ngiA });
  await db.db
    .insertInto('role_assignment')
    .values({
      role_assignment_id: 'ra-retired',
      person_id: personId,
      role: 'retired-role',
      scope_type: 'federation',
      scope_id: '',
      source: 'manual',
      created_at: '2026-06-01T00:00:00Z',
    })
    .execute();

  const grants = await listRoleGrants(db.db, personId);

  assert.deepEqual(
    grants.sort((a, b) => a.role.localeCompare(b.role)),
    [
      { role: 'ngi-security-officer', scopeType: 'ngi', scopeId: fed.ngiA, ngiId: undefined },
      { role: 'site-admin', scopeType: 'site', scopeId: fed.siteB1, ngiId: fed.ngiB },
    ],
  );
  assert.deepEqual(await listRoleGrants(db.db, 'no-such-person'), []);
});

test("a person's name is found by id, and joins through personNames", async () => {
  const { personId } = await s.people.createPerson(admin, { name: 'Alan Turing', email: 'alan@example.org' });

  const joined = await db.db.selectFrom(personNames(db.db).as('p')).selectAll('p').where('p.person_id', '=', personId).execute();

  assert.deepEqual(joined, [{ person_id: personId, person_name: 'Alan Turing' }]);
  assert.deepEqual(await findPersonName(db.db, personId), { personId, name: 'Alan Turing' });
  assert.equal(await findPersonName(db.db, 'no-such-person'), undefined);
});
