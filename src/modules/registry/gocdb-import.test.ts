import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { parseGocdb } from '../../lib/gocdb/index.js';
import { createServices } from '../../server/services.js';
import { verifyAuditChain } from '../../core/audit.js';
import { testDatabase } from '../../../test/support/db.js';
import { admin } from '../../../test/support/seed.js';
import { generateFederationXml } from '../../../test/fixtures/gocdb/generate.js';

const fixture = (name: string) => new URL(`../../../test/fixtures/gocdb/${name}`, import.meta.url);
const config = { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 };

async function setup() {
  const db = await testDatabase();
  return { db, s: createServices(db, config) };
}

test('a federation file imports NGIs, sites, endpoints, people and their roles', async () => {
  const { db, s } = await setup();

  const summary = await s.importGocdb(admin, [await parseGocdb(await readFile(fixture('federation.xml')))]);

  assert.equal(summary.added.ngis, 2);
  assert.equal(summary.added.sites, 6);
  assert.ok(summary.added.endpoints > 0);
  assert.ok(summary.added.people > 0);
  const site = (await s.registry.listSites(admin, { limit: 50, offset: 0, order: 'asc', q: 'TROMSO' }, {})).items[0]!;
  const detail = await s.registry.getSite(admin, site.siteId);
  assert.equal(detail.ngiName, 'NGI_NORDICA');
  assert.equal(detail.securityEmail, 'cert@arctic-uni.example.net');
  assert.ok(detail.isNotified);
  const officer = detail.contacts.find((c) => c.role === 'site-security-officer');
  assert.equal(officer?.personName, 'Ingrid Solberg');
  assert.equal(officer?.source, 'gocdb');
  await db.close();
});

test('importing the same file again changes nothing and duplicates nothing', async () => {
  const { db, s } = await setup();
  const doc = await parseGocdb(await readFile(fixture('federation.xml')));
  const first = await s.importGocdb(admin, [doc]);
  const auditBefore = await db.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();

  const second = await s.importGocdb(admin, [doc]);

  assert.deepEqual(second.added, { ngis: 0, sites: 0, endpoints: 0, people: 0, roles: 0 });
  assert.deepEqual(second.changed, { ngis: 0, sites: 0, endpoints: 0, people: 0, roles: 0 });
  assert.deepEqual(second.removed, { ngis: 0, sites: 0, endpoints: 0, people: 0, roles: 0 });
  assert.equal(second.unchanged.sites, first.added.sites);
  assert.equal(second.unchanged.endpoints, first.added.endpoints);
  const sites = await db.db
    .selectFrom('site')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(sites.n), 6);
  const auditAfter = await db.db
    .selectFrom('audit_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(auditAfter.n), Number(auditBefore.n) + 1, 'only the import summary event is added');
  await db.close();
});

test('a changed export updates fields, removes what disappeared and says so', async () => {
  const { db, s } = await setup();
  const base = generateFederationXml({ sites: 12, endpointsPerSite: 5, contactsPerSite: 4, ngis: 2, seed: 7 });
  const varied = generateFederationXml({ sites: 12, endpointsPerSite: 5, contactsPerSite: 4, ngis: 2, seed: 7, variant: 1 });
  await s.importGocdb(admin, [await parseGocdb(base)]);

  const summary = await s.importGocdb(admin, [await parseGocdb(varied)]);

  const total = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
  assert.ok(total(summary.changed) > 0, 'the variant changes some fields');
  const again = await s.importGocdb(admin, [await parseGocdb(varied)]);
  assert.equal(total(again.changed) + total(again.added) + total(again.removed), 0);
  await db.close();
});

test('an endpoint gone from its site is removed; a site gone from its NGI is marked removed', async () => {
  const { db, s } = await setup();
  const xml = await readFile(fixture('federation.xml'), 'utf8');
  await s.importGocdb(admin, [await parseGocdb(xml)]);
  const endpointKey = /<SERVICE_ENDPOINT PRIMARY_KEY="([^"]+)"/.exec(xml)![1]!;
  const withoutEndpoint = xml.replace(new RegExp(`<SERVICE_ENDPOINT PRIMARY_KEY="${endpointKey}">[\\s\\S]*?</SERVICE_ENDPOINT>`), '');
  const withoutSite = withoutEndpoint.replace(/<SITE ID="153G0"[\s\S]*?<\/SITE>/g, '');

  const summary = await s.importGocdb(admin, [await parseGocdb(withoutSite)]);

  assert.equal(summary.removed.endpoints >= 1, true);
  assert.equal(summary.removed.sites, 1);
  const lugano = await db.db.selectFrom('site').select(['removed_at']).where('name', '=', 'ALP-LUGANO-OLD').executeTakeFirstOrThrow();
  assert.ok(lugano.removed_at);
  await db.close();
});

test('a dry run names every site, endpoint and role it would remove, and writes nothing', async () => {
  const { db, s } = await setup();
  const xml = await readFile(fixture('federation.xml'), 'utf8');
  await s.importGocdb(admin, [await parseGocdb(xml)]);
  const endpoint =
    /<SERVICE_ENDPOINT PRIMARY_KEY="([^"]+)">[\s\S]*?<HOSTNAME>([^<]+)<\/HOSTNAME>[\s\S]*?<SERVICE_TYPE>([^<]+)<\/SERVICE_TYPE>[\s\S]*?<SITENAME>([^<]+)<\/SITENAME>/.exec(
      xml,
    )!;
  const smaller = xml
    .replace(new RegExp(`<SERVICE_ENDPOINT PRIMARY_KEY="${endpoint[1]}">[\\s\\S]*?</SERVICE_ENDPOINT>`), '')
    .replace(/<SITE ID="153G0"[\s\S]*?<\/SITE>/g, '')
    .replace(/<CONTACT USER_ID="202G0"[\s\S]*?<\/CONTACT>/, '');
  const before = await db.db
    .selectFrom('role_assignment')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();

  const preview = await s.importGocdb(admin, [await parseGocdb(smaller)], { dryRun: true });

  const of = (kind: string) => preview.removals.filter((r) => r.kind === kind);
  assert.deepEqual(of('sites'), [{ kind: 'sites', name: 'ALP-LUGANO-OLD' }]);
  assert.deepEqual(of('roles'), [{ kind: 'roles', name: 'Erik Haugen: site-admin', scope: 'site NOR-TROMSO-GRID' }]);
  assert.ok(of('endpoints').some((r) => r.name === `${endpoint[2]} (${endpoint[3]})` && r.scope === endpoint[4]));
  assert.equal(of('endpoints').length, preview.removed.endpoints);
  assert.equal(preview.removals.filter((r) => r.kind === 'roles').length, preview.removed.roles);
  assert.equal(preview.removals.filter((r) => r.kind === 'sites').length, preview.removed.sites);
  assert.deepEqual(
    await db.db
      .selectFrom('role_assignment')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow(),
    before,
  );
  await db.close();
});

test('paged endpoint documents merge into one import', async () => {
  const { db, s } = await setup();
  const docs = await Promise.all(
    ['get_ngi.xml', 'get_site.xml', 'get_service_endpoint_page1.xml', 'get_service_endpoint_page2.xml'].map(async (f) =>
      parseGocdb(await readFile(fixture(f))),
    ),
  );

  const summary = await s.importGocdb(admin, docs);

  assert.equal(
    summary.added.endpoints,
    docs[2]!.endpoints.length + docs[3]!.endpoints.length - summary.skipped.filter((x) => x.element.startsWith('SERVICE_ENDPOINT')).length,
  );
  await db.close();
});

test('a dry run reports the changes and writes nothing', async () => {
  const { db, s } = await setup();

  const summary = await s.importGocdb(admin, [await parseGocdb(await readFile(fixture('federation.xml')))], { dryRun: true });

  assert.equal(summary.dryRun, true);
  assert.equal(summary.added.sites, 6);
  const sites = await db.db
    .selectFrom('site')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(Number(sites.n), 0);
  assert.deepEqual(await verifyAuditChain(db.db, s.audit.keys), { ok: true, checked: 0, checkpoints: 0 });
  await db.close();
});

test('every imported change is in the audit chain', async () => {
  const { db, s } = await setup();

  const summary = await s.importGocdb(admin, [await parseGocdb(await readFile(fixture('federation.xml')))]);

  const added = Object.values(summary.added).reduce((a, b) => a + b, 0);
  const result = await verifyAuditChain(db.db, s.audit.keys);
  assert.equal(result.ok, true);
  assert.equal(result.checked, added + 1);
  await db.close();
});

test('a site re-created in GOCDB under a new key is the same site, re-keyed', async () => {
  const { db, s } = await setup();
  const xml = await readFile(fixture('federation.xml'), 'utf8');
  await s.importGocdb(admin, [await parseGocdb(xml)]);
  const before = await db.db.selectFrom('site').select(['site_id']).where('name', '=', 'NOR-TROMSO-GRID').executeTakeFirstOrThrow();

  const summary = await s.importGocdb(admin, [await parseGocdb(xml.replaceAll('41G0', '941G0'))]);

  const after = await db.db.selectFrom('site').select(['site_id', 'gocdb_key', 'removed_at']).where('name', '=', 'NOR-TROMSO-GRID').executeTakeFirstOrThrow();
  assert.deepEqual(after, { site_id: before.site_id, gocdb_key: '941G0', removed_at: null });
  assert.equal(summary.changed.sites, 1);
  assert.equal(summary.removed.sites, 0);
  await db.close();
});

test('two keys claiming one site name in the same import: the second is skipped with a reason', async () => {
  const { db, s } = await setup();
  const xml = await readFile(fixture('federation.xml'), 'utf8');
  const twin = /<SITE ID="141G0"[\s\S]*?<\/SITE>/.exec(xml)![0].replaceAll('41G0', '941G0');
  await s.importGocdb(admin, [await parseGocdb(xml)]);

  const summary = await s.importGocdb(admin, [await parseGocdb(xml.replace('</results>', `${twin}</results>`))]);

  assert.deepEqual(
    summary.skipped.filter((x) => x.element === 'SITE NOR-TROMSO-GRID'),
    [{ element: 'SITE NOR-TROMSO-GRID', reason: 'the name belongs to the site with GOCDB key 41G0, also in this import' }],
  );
  assert.equal(summary.added.sites, 0);
  await db.close();
});
