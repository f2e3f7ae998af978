import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServices } from '../../server/services.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors.js';
import { testDatabase } from '../../../test/support/db.js';
import { admin, personWithRole, smallFederation } from '../../../test/support/seed.js';

const page = { limit: 50, offset: 0, order: 'asc' as const };
const config = { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 };

async function setup() {
  const db = await testDatabase();
  const s = createServices(db, config);
  const ids = await smallFederation(s);
  return { db, s, ids };
}

test('a site administrator sees the sites of their own NGI only', async () => {
  const { db, s, ids } = await setup();
  const { actor } = await personWithRole(s, 'site-admin', 'site', ids.siteA1);

  const sites = await s.registry.listSites(actor, page, {});

  assert.deepEqual(sites.items.map((x) => x.name).sort(), ['ALPHA-LAB-2', 'ALPHA-UNI-1']);
  await assert.rejects(s.registry.getSite(actor, ids.siteB1), NotFoundError);
  await db.close();
});

test('a site administrator cannot see the people of another NGI', async () => {
  const { db, s, ids } = await setup();
  const { actor } = await personWithRole(s, 'site-admin', 'site', ids.siteA1);
  const other = await personWithRole(s, 'site-security-officer', 'site', ids.siteB1, 'Bruno Beta');
  const colleague = await personWithRole(s, 'site-security-officer', 'site', ids.siteA2, 'Alma Alpha');

  const people = await s.people.listPeople(actor, page, {});

  const names = people.items.map((p) => p.name);
  assert.ok(names.includes('Alma Alpha'));
  assert.ok(!names.includes('Bruno Beta'));
  await assert.rejects(s.people.getPerson(actor, other.personId), NotFoundError);
  assert.equal((await s.people.getPerson(actor, colleague.personId)).name, 'Alma Alpha');
  await db.close();
});

test('a VO manager sees their VO and its people, not the sites', async () => {
  const { db, s, ids } = await setup();
  const { actor } = await personWithRole(s, 'vo-manager', 'vo', ids.vo);
  await personWithRole(s, 'vo-endorser', 'vo', ids.vo, 'Vera Endorser');

  const vos = await s.registry.listVos(actor, page);
  const sites = await s.registry.listSites(actor, page, {});
  const people = await s.people.listPeople(actor, page, {});

  assert.deepEqual(
    vos.items.map((v) => v.name),
    ['astro.example.org'],
  );
  assert.equal(sites.total, 0);
  assert.ok(people.items.some((p) => p.name === 'Vera Endorser'));
  await db.close();
});

test("an NGI security officer may edit their NGI's sites but not another NGI's", async () => {
  const { db, s, ids } = await setup();
  const { actor } = await personWithRole(s, 'ngi-security-officer', 'ngi', ids.ngiA);

  const edited = await s.registry.updateSite(actor, ids.siteA2, { securityEmail: 'sec@lab2.example.org' });

  assert.equal(edited.securityEmail, 'sec@lab2.example.org');
  await assert.rejects(s.registry.updateSite(actor, ids.siteB1, { securityEmail: 'x@example.org' }), NotFoundError);
  await db.close();
});

test('a read-only member cannot edit anything', async () => {
  const { db, s, ids } = await setup();
  const { actor } = await personWithRole(s, 'read-only', 'federation');

  await assert.rejects(s.registry.updateSite(actor, ids.siteA1, { timezone: 'UTC' }), ForbiddenError);
  await db.close();
});

test("certification status follows GOCDB's transitions", async () => {
  const { db, s, ids } = await setup();

  await s.registry.updateSite(admin, ids.siteA1, { certificationStatus: 'suspended' });

  await assert.rejects(s.registry.updateSite(admin, ids.siteA1, { certificationStatus: 'certified' }), ConflictError);
  assert.equal((await s.registry.updateSite(admin, ids.siteA1, { certificationStatus: 'uncertified' })).certificationStatus, 'uncertified');
  await db.close();
});

test('a site security officer may grant site-admin on their site only', async () => {
  const { db, s, ids } = await setup();
  const { actor } = await personWithRole(s, 'site-security-officer', 'site', ids.siteA1);
  const newcomer = await personWithRole(s, 'read-only', 'site', ids.siteA1, 'New Admin');

  const granted = await s.people.grantRole(actor, { personId: newcomer.personId, role: 'site-admin', scopeType: 'site', scopeId: ids.siteA1 });

  assert.equal(granted.scopeName, 'ALPHA-UNI-1');
  await assert.rejects(s.people.grantRole(actor, { personId: newcomer.personId, role: 'site-admin', scopeType: 'site', scopeId: ids.siteA2 }), ForbiddenError);
  await assert.rejects(
    s.people.grantRole(actor, { personId: newcomer.personId, role: 'site-security-officer', scopeType: 'site', scopeId: ids.siteA1 }),
    ForbiddenError,
  );
  await assert.rejects(s.people.grantRole(actor, { personId: newcomer.personId, role: 'csirt', scopeType: 'federation' }), ForbiddenError);
  await db.close();
});

test('a role cannot be held at a scope it does not belong to', async () => {
  const { db, s, ids } = await setup();
  const { personId } = await personWithRole(s, 'read-only', 'federation');

  await assert.rejects(s.people.grantRole(admin, { personId, role: 'site-admin', scopeType: 'ngi', scopeId: ids.ngiA }), {
    message: /cannot be held at ngi scope/,
  });
  await db.close();
});

test("below federation level a new person must come with a role inside the creator's scope", async () => {
  const { db, s, ids } = await setup();
  const { actor } = await personWithRole(s, 'ngi-security-officer', 'ngi', ids.ngiA);

  await assert.rejects(s.people.createPerson(actor, { name: 'Loose End' }), { message: /give a role/ });
  await assert.rejects(
    s.people.createPerson(actor, { name: 'Elsewhere', grant: { role: 'site-admin', scopeType: 'site', scopeId: ids.siteB1 } }),
    ForbiddenError,
  );
  const made = await s.people.createPerson(actor, { name: 'Right Here', grant: { role: 'site-admin', scopeType: 'site', scopeId: ids.siteA1 } });
  assert.equal((await s.people.getPerson(actor, made.personId)).roles[0]?.role, 'site-admin');
  await db.close();
});

test('every change writes an audit event with before and after', async () => {
  const { db, s, ids } = await setup();

  await s.registry.updateSite(admin, ids.siteA1, { timezone: 'Europe/Zurich' });

  const event = await db.db
    .selectFrom('audit_event')
    .selectAll()
    .where('object_id', '=', ids.siteA1)
    .where('action', '=', 'site.update')
    .executeTakeFirstOrThrow();
  assert.equal(JSON.parse(event.before_json!).timezone, null);
  assert.equal(JSON.parse(event.after_json!).timezone, 'Europe/Zurich');
  await db.close();
});

test('lists page, sort and filter on the server', async () => {
  const { db, s } = await setup();

  const first = await s.registry.listSites(admin, { limit: 2, offset: 0, order: 'desc', sort: 'name' }, {});
  const second = await s.registry.listSites(admin, { limit: 2, offset: 2, order: 'desc', sort: 'name' }, {});
  const filtered = await s.registry.listSites(admin, { ...page, q: 'hpc' }, {});
  const uncertified = await s.registry.listSites(admin, page, { certificationStatus: 'uncertified' });

  assert.equal(first.total, 3);
  assert.deepEqual(
    first.items.map((x) => x.name),
    ['BETA-HPC-1', 'ALPHA-UNI-1'],
  );
  assert.deepEqual(
    second.items.map((x) => x.name),
    ['ALPHA-LAB-2'],
  );
  assert.deepEqual(
    filtered.items.map((x) => x.name),
    ['BETA-HPC-1'],
  );
  assert.deepEqual(
    uncertified.items.map((x) => x.name),
    ['BETA-HPC-1'],
  );
  await db.close();
});

test('a search term with LIKE wildcards matches them literally', async () => {
  const { db, s } = await setup();

  const res = await s.registry.listSites(admin, { ...page, q: '%' }, {});

  assert.equal(res.total, 0);
  await db.close();
});
