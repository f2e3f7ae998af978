import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../../server/services.js';
import { fixedClock } from '../../core/clock.js';
import type { HostReport } from '../../lib/pakiti-report/index.js';
import { testDatabase } from '../../../test/support/db.js';
import { admin } from '../../../test/support/seed.js';
import { reevaluateStale } from './evaluation.js';

const oval = readFileSync(new URL('../../../test/fixtures/feeds/rhel-9.oval.xml', import.meta.url), 'utf8');
const host = (name: string): HostReport => ({
  source: 'json',
  host: name,
  site: 'SITE-R',
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
  packages: [{ name: 'openssl', version: '1:3.0.7-24.el9', arch: 'x86_64' }],
});

test("a feed update re-evaluates shared evaluations and brings every host's finding history along", async () => {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2026-06-01T00:00:00Z'));
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, clock);
  const ngi = await s.registry.createNgi(admin, { name: 'NGI_R' });
  const site = await s.registry.createSite(admin, { name: 'SITE-R', ngiId: ngi.ngiId });
  await s.reporters.setAnonymous(admin, site.siteId, true);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-reeval-'));
  writeFileSync(join(dir, 'v1.xml'), oval);
  // The vendor corrects its data: the fix is older than what the hosts run, so they are not vulnerable.
  writeFileSync(join(dir, 'v2.xml'), oval.replaceAll('1:3.0.7-27.el9', '1:3.0.7-20.el9'));
  await s.feeds.importFrom(admin, { name: 'rhel-9', format: 'oval', source: join(dir, 'v1.xml'), release: 'rhel:9' });
  for (const h of ['n1', 'n2', 'n3']) await s.intake.accept(host(h), {}, 'store-only', 'test');
  const open = async () =>
    Number(
      (
        await db.db
          .selectFrom('host_finding')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('fixed_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const openBefore = await open();

  clock.advance(86_400_000);
  await s.feeds.importFrom(admin, { name: 'rhel-9', format: 'oval', source: join(dir, 'v2.xml'), release: 'rhel:9' });
  const done = await reevaluateStale(
    db.db,
    s.evaluators,
    () => clock.now().toISOString(),
    async () => undefined,
  );

  assert.equal(openBefore, 6, 'three hosts × two CVEs on openssl');
  assert.deepEqual(done, { evaluations: 1, hosts: 3 });
  assert.equal(await open(), 0);
  const fixed = await db.db.selectFrom('host_finding').select('fixed_at').distinct().execute();
  assert.deepEqual(
    fixed.map((r) => r.fixed_at),
    ['2026-06-02T00:00:00.000Z'],
  );
  assert.equal((await s.feeds.list())[0]?.source, join(dir, 'v2.xml'), 'importing a new file under the same name moves the feed to it');
  await db.close();
});
