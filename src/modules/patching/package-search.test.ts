// The search by package keeps an index of the package names in the sets hosts run. Building it
// decodes every set (~10 µs a package; anyone with a report token can store 50,000-package
// sets): it must be done in slices so the server keeps answering everyone else, give the answer
// a plain scan of the stored sets gives, and drop the sets no host runs any more.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { testApp, type TestApp } from '../../../test/support/app.js';
import { watchLoop } from '../../../test/support/loop-gaps.js';
import { admin, smallFederation, type SmallFederation } from '../../../test/support/seed.js';
import type { InstalledPackage } from '../../lib/evaluate/index.js';
import { compareDebVersions, compareRpmEvr, parseRpmEvr } from '../../lib/versions/index.js';
import { ensureSet, normalizeSet, setMembers } from './package-sets.js';
import { createPackageSearch, type PackageSearch } from './package-search.js';

const SETS = 24;
const PACKAGES = 8_000;

let t: TestApp;
let fx: SmallFederation;
const hosts: Array<{ hostId: string; hostname: string; setId: string; packager: string }> = [];

/** Mostly names every set shares (versions varying), some names of the set's own. */
function packagesOf(seed: number, packager: string): InstalledPackage[] {
  const deb = packager === 'dpkg';
  const list: InstalledPackage[] = Array.from({ length: PACKAGES }, (_, i) => ({
    name: i % 2 === 0 ? `own-${seed}-${i}` : `lib-${i}`,
    version: deb ? `${1 + ((i + seed) % 4)}.${seed % 3}-${seed}` : `${1 + ((i + seed) % 4)}.${seed % 3}-${seed}.el9`,
    arch: deb ? 'amd64' : 'x86_64',
  }));
  list.push({ name: 'glibc', version: deb ? `2.${30 + (seed % 8)}-${seed}` : `2.${30 + (seed % 8)}-${seed}.el9`, arch: deb ? 'amd64' : 'x86_64' });
  if (seed % 3 === 0) list.push({ name: 'glibc', version: deb ? '2.9-1' : '2.9-1.el9', arch: deb ? 'i386' : 'i686' }); // 2.9 < 2.30, not in text order
  return list;
}

async function storeHost(seed: number, siteId: string) {
  const packager = seed % 4 === 3 ? 'dpkg' : 'rpm';
  const { setId, packages } = normalizeSet(packager, packagesOf(seed, packager));
  const now = new Date().toISOString();
  await ensureSet(t.db.db, setId, packager, packages, now);
  const host = { hostId: randomUUID(), hostname: `h${String(seed).padStart(3, '0')}.example.org`, setId, packager };
  await t.db.db
    .insertInto('host')
    .values({
      host_id: host.hostId,
      site_id: siteId,
      hostname: host.hostname,
      set_id: setId,
      eval_key: null,
      os_system: packager === 'dpkg' ? 'Debian 12' : 'Rocky 9',
      os_key: packager === 'dpkg' ? 'debian:12' : 'rocky:9',
      arch: 'x86_64',
      kernel: '',
      packager,
      tag: null,
      client: 'test',
      header_hash: '',
      report_flags: '',
      report_count: 1,
      first_report_at: now,
      last_report_at: now,
    })
    .execute();
  hosts.push(host);
}

const service = () => createPackageSearch({ db: t.db.db, dialect: t.db.dialect });
const page = { limit: 1000, offset: 0 };

/** What the search must answer: every host's set decoded and compared, the slow way. */
async function plainScan(f: PackageSearch) {
  const out = new Map<string, Array<{ version: string; arch: string }>>();
  const rows = await t.db.db.selectFrom('host').select(['hostname', 'set_id', 'packager']).where('set_id', 'is not', null).execute();
  for (const h of rows) {
    const cmp = (a: string, b: string) => (h.packager === 'dpkg' ? compareDebVersions(a, b) : compareRpmEvr(parseRpmEvr(a), parseRpmEvr(b)));
    const found = (await setMembers(t.db.db, h.set_id!))
      .filter((p) => p.name === f.name && (f.below === undefined || cmp(p.version, f.below) < 0) && (f.atLeast === undefined || cmp(p.version, f.atLeast) >= 0))
      .map((p) => ({ version: p.version, arch: p.arch }));
    if (found.length) out.set(h.hostname, found);
  }
  return [...out].sort(([a], [b]) => (a < b ? -1 : 1));
}

before(async () => {
  t = await testApp();
  fx = await smallFederation(t.services);
  for (let seed = 0; seed < SETS; seed++) await storeHost(seed, [fx.siteA1, fx.siteA2, fx.siteB1][seed % 3]!);
});
after(() => t.close());

test('the event loop turns while the index is built, never held more than a few slices', async (tc) => {
  const search = service();
  const loop = watchLoop();

  const started = performance.now();
  const result = await search.search(admin, page, { name: 'glibc' });
  const took = performance.now() - started;
  const gaps = loop.stop();

  assert.equal(result.total, SETS);
  const worst = Math.max(...gaps);
  tc.diagnostic(`build ${took.toFixed(0)} ms, ${gaps.length} turns of the loop, longest wait ${worst.toFixed(1)} ms`);
  // The build is far more than one slice of work (192,000 packages, half of them names of their
  // own): the loop must have turned many times. Slices of ~2 ms; the bound leaves room for a
  // loaded machine and garbage collections (a scavenge took 10-70 ms on a 2-core machine at a
  // load of 15, where the whole build held the loop 300-900 ms before it was sliced).
  assert.ok(gaps.length >= 21, `the loop turned ${gaps.length} times in ${took.toFixed(0)} ms`);
  assert.ok(worst < 100, `the loop waited ${worst.toFixed(1)} ms (the build took ${took.toFixed(0)} ms)`);
});

test('the answers are those of a plain scan of the stored sets, in each package manager order', async () => {
  const search = service();
  for (const f of [
    { name: 'glibc' },
    { name: 'glibc', below: '2.34' },
    { name: 'glibc', atLeast: '2.10' },
    { name: 'glibc', atLeast: '2.31', below: '2.36' },
    { name: 'lib-7', below: '3' },
    { name: 'own-5-10' },
    { name: 'nothing-like-it' },
  ]) {
    const expected = await plainScan(f);
    const got = await search.search(admin, page, f);
    assert.equal(got.total, expected.length, JSON.stringify(f));
    assert.deepEqual(
      got.items.map((i) => [i.hostname, i.packages]),
      expected,
      JSON.stringify(f),
    );
  }
  assert.ok((await plainScan({ name: 'glibc', below: '2.10' })).length > 0, 'the version 2.9 is found below 2.10');
  assert.equal((await search.search(admin, page, { name: 'glibc', below: '2.10' })).total, (await plainScan({ name: 'glibc', below: '2.10' })).length);
});

test('searches arriving during a load share one follow-up load', async () => {
  const search = service();
  const first = search.refresh();
  const second = search.refresh();
  const third = search.refresh();
  assert.equal(second, third, 'callers arriving while a load runs wait on the same next load');
  const answers = await Promise.all([0, 1, 2].map(() => search.search(admin, page, { name: 'glibc', below: '2.34' })));
  await Promise.all([first, second]);
  for (const a of answers) assert.deepEqual(a, answers[0]);
});

test('sets no host runs any more leave the index; a set run again comes back', async () => {
  const search = service();
  await search.refresh();
  const full = search.indexStats();
  assert.equal(full.sets, SETS);
  const moved = hosts.slice(0, SETS - 2);
  const target = hosts[SETS - 1]!;
  // Most hosts now run the last host's set: their own sets are no longer used.
  for (const h of moved) await t.db.db.updateTable('host').set({ set_id: target.setId, packager: target.packager }).where('host_id', '=', h.hostId).execute();
  try {
    assert.equal((await search.search(admin, page, { name: 'own-0-10' })).total, 0);
    const shrunk = search.indexStats();
    assert.equal(shrunk.sets, 2);
    assert.ok(shrunk.pairs < full.pairs / 5, `${shrunk.pairs} pairs held of ${full.pairs}`);
    assert.equal(shrunk.deadPairs, 0);
    assert.equal((await search.search(admin, page, { name: `own-${SETS - 1}-10` })).total, SETS - 1);
  } finally {
    for (const h of moved) await t.db.db.updateTable('host').set({ set_id: h.setId, packager: h.packager }).where('host_id', '=', h.hostId).execute();
  }
  assert.equal((await search.search(admin, page, { name: 'own-0-10' })).total, 1);
  assert.equal(search.indexStats().sets, SETS);
});
