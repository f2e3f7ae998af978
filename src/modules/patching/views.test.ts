// The CVE host list and the CVE page on a few thousand hosts: long enough for the first pages to
// be read by walking host names and the later ones by sorting the matches, so both must agree.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServices, type Services } from '../../server/services.js';
import { fixedClock } from '../../core/clock.js';
import { newId } from '../../core/ids.js';
import type { Actor } from '../../core/access.js';
import type { HostReport } from '../../lib/pakiti-report/index.js';
import { testDatabase, type TestDb } from '../../../test/support/db.js';
import { admin, personWithRole, smallFederation, type SmallFederation } from '../../../test/support/seed.js';

const CVE = 'CVE-2023-3446'; // openssl and openssl-libs before 1:3.0.7-27.el9 in the rhel-9 fixture
const HOSTS = 2400;
const oval = new URL('../../../test/fixtures/feeds/rhel-9.oval.xml', import.meta.url).pathname;
const clock = fixedClock(new Date('2026-06-01T00:00:00Z'));
let db: TestDb;
let s: Services;
let fed: SmallFederation;
/** Exposed host names per site, as stored. */
const exposed = new Map<string, string[]>();

function report(host: string, site: string, opensslRelease: string): HostReport {
  return {
    source: 'json',
    host,
    site,
    tag: undefined,
    system: 'Rocky Linux release 9.3 (Blue Onyx)',
    kernel: '5.14.0-427.16.1.el9_4.x86_64',
    arch: 'x86_64',
    cpu: undefined,
    packager: 'rpm',
    agent: undefined,
    mode: undefined,
    packagesMissing: false,
    warnings: [],
    packages: [
      { name: 'openssl', version: `1:3.0.7-${opensslRelease}`, arch: 'x86_64' },
      { name: 'openssl-libs', version: `1:3.0.7-${opensslRelease}`, arch: 'x86_64' },
    ],
  };
}

before(async () => {
  db = await testDatabase();
  s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, clock);
  fed = await smallFederation(s);
  for (const siteId of [fed.siteA1, fed.siteA2, fed.siteB1]) await s.reporters.setAnonymous(admin, siteId, true);
  await s.feeds.importFrom(admin, { format: 'oval', source: oval, release: 'rhel:9' });
  await s.intake.accept(report('tpl-vulnerable.example.org', 'ALPHA-UNI-1', '24.el9'), {}, 'store-only', 'test');
  await s.intake.accept(report('tpl-patched.example.org', 'ALPHA-UNI-1', '27.el9'), {}, 'store-only', 'test');
  const templates = await db.db.selectFrom('host').selectAll().orderBy('hostname').execute();
  const [patched, vulnerable] = templates as [(typeof templates)[number], (typeof templates)[number]];
  exposed.set(fed.siteA1, [vulnerable.hostname]);
  // Hosts sharing the two evaluations, as a site's image does: three in four exposed, in all three sites.
  const sites = [fed.siteA1, fed.siteA2, fed.siteB1];
  const rows = Array.from({ length: HOSTS }, (_, i) => {
    const siteId = sites[i % 3]!;
    const hostname = `node${String(i).padStart(4, '0')}.example.org`;
    if (i % 4 !== 3) exposed.set(siteId, [...(exposed.get(siteId) ?? []), hostname]);
    return { ...(i % 4 !== 3 ? vulnerable : patched), host_id: newId(), site_id: siteId, hostname };
  });
  for (let i = 0; i < rows.length; i += 200)
    await db.db
      .insertInto('host')
      .values(rows.slice(i, i + 200))
      .execute();
});
after(() => db.close());

const byName = (names: string[]) => [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const exposedIn = (...siteIds: string[]) => byName(siteIds.flatMap((id) => exposed.get(id) ?? []));

async function readAll(actor: Actor, order: 'asc' | 'desc', limit: number) {
  const names: string[] = [];
  let total = -1;
  for (let offset = 0; total < 0 || offset < total; offset += limit) {
    const page = await s.patchingViews.listHosts(actor, { limit, offset, order }, { cve: CVE });
    total = page.total;
    names.push(...page.items.map((h) => h.hostname));
  }
  return { total, names };
}

test('a long CVE host list reads in host-name order page after page, either way round', async () => {
  const want = exposedIn(fed.siteA1, fed.siteA2, fed.siteB1);

  const up = await readAll(admin, 'asc', 50);
  const down = await readAll(admin, 'desc', 200);

  assert.equal(up.total, 1801);
  assert.deepEqual(up.names, want);
  assert.equal(down.total, 1801);
  assert.deepEqual(down.names, [...want].reverse());
});

test("an NGI officer's CVE host list and CVE page hold only their NGI's hosts", async () => {
  const officer = await personWithRole(s, 'ngi-security-officer', 'ngi', fed.ngiA);

  const list = await readAll(officer.actor, 'asc', 50);
  const page = await s.patchingViews.cve(officer.actor, CVE);

  assert.deepEqual(list.names, exposedIn(fed.siteA1, fed.siteA2));
  assert.equal(list.total, 1201);
  assert.deepEqual(
    page.sites.map((x) => [x.siteName, x.hosts]),
    [
      ['ALPHA-LAB-2', 600],
      ['ALPHA-UNI-1', 601],
    ],
  );
});

test('exceptions for a host or a whole site take those hosts out of the CVE list and page; one for a single package does not', async () => {
  const expiresAt = '2026-07-01T00:00:00.000Z';
  const [excepted] = await db.db.selectFrom('host').select(['host_id', 'hostname']).where('hostname', '=', exposedIn(fed.siteA1)[0]!).execute();
  const made = [
    await s.exceptions.create(admin, { siteId: fed.siteA1, cve: CVE, hostId: excepted!.host_id, justification: 'rebuilt openssl', expiresAt }),
    await s.exceptions.create(admin, { siteId: fed.siteB1, cve: CVE, justification: 'isolated cluster', expiresAt }),
    await s.exceptions.create(admin, { siteId: fed.siteA2, cve: CVE, packageName: 'openssl', justification: 'libs still exposed', expiresAt }),
  ];

  const list = await readAll(admin, 'asc', 50);
  const page = await s.patchingViews.cve(admin, CVE);
  for (const e of made) await s.exceptions.revoke(admin, e.exceptionId);
  const restored = await s.patchingViews.cve(admin, CVE);

  assert.deepEqual(
    list.names,
    exposedIn(fed.siteA1, fed.siteA2).filter((n) => n !== excepted!.hostname),
  );
  assert.equal(list.total, 1200);
  assert.deepEqual(
    page.sites.map((x) => [x.siteName, x.hosts]),
    [
      ['ALPHA-LAB-2', 600],
      ['ALPHA-UNI-1', 600],
    ],
  );
  assert.equal(restored.hostCount, 1801);
});

test('a CVE no evaluation has lists no host and no site', async () => {
  const list = await s.patchingViews.listHosts(admin, { limit: 50, offset: 0, order: 'asc' }, { cve: 'CVE-1999-0001' });
  const page = await s.patchingViews.cve(admin, 'CVE-1999-0001');

  assert.deepEqual([list.total, list.items], [0, []]);
  assert.deepEqual([page.hostCount, page.sites], [0, []]);
});

test('a CVE found in more evaluations than go into one statement lists the same hosts', async () => {
  const before = await readAll(admin, 'asc', 50);
  const evaluation = await db.db
    .selectFrom('evaluation')
    .innerJoin('host', 'host.eval_key', 'evaluation.eval_key')
    .selectAll('evaluation')
    .where('host.hostname', '=', 'tpl-vulnerable.example.org')
    .executeTakeFirstOrThrow();
  const findings = await db.db.selectFrom('finding').selectAll().where('eval_key', '=', evaluation.eval_key).where('cve_id', '=', CVE).execute();
  // Evaluations no host uses (package sets since replaced everywhere), each with the CVE.
  const keys = Array.from({ length: 1200 }, (_, i) => `unused-${i}`);
  for (let i = 0; i < keys.length; i += 200) {
    const batch = keys.slice(i, i + 200);
    await db.db
      .insertInto('evaluation')
      .values(batch.map((k) => ({ ...evaluation, eval_key: k })))
      .execute();
    await db.db
      .insertInto('finding')
      .values(batch.flatMap((k) => findings.map((f) => ({ ...f, eval_key: k }))))
      .execute();
  }

  const after = await readAll(admin, 'asc', 50);
  const page = await s.patchingViews.cve(admin, CVE);

  assert.deepEqual(after, before);
  assert.equal(page.hostCount, before.total);
});
