import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServices } from './services.js';
import { seedDemoIfEmpty } from './demo.js';
import { ROLES } from '../core/roles.js';
import { testDatabase } from '../../test/support/db.js';
import { systemActor } from '../core/access.js';

// Issue 9, hole 10: a demo account holding two roles lets a browser test pass on the wrong one
// (the CSIRT account was also federation admin).
test('every demo account holds exactly one role grant, and together they cover every role', async () => {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 });

  const demo = await seedDemoIfEmpty(s, 'demo-password-123');

  const usernames = [demo!.username, ...demo!.otherAccounts];
  const held = new Map<string, string[]>();
  for (const username of usernames) {
    const personId = await s.identity.personOfAccount(username);
    const actor = await s.identity.actorForPerson(personId!, username);
    held.set(
      username,
      actor.grants.map((g) => `${g.role}@${g.scopeType}`),
    );
  }
  for (const [username, grants] of held) assert.equal(grants.length, 1, `${username} holds ${grants.join(', ')}`);
  assert.deepEqual([...held.values()].map((g) => g[0]!.split('@')[0]).sort(), [...ROLES].sort());
  assert.deepEqual(held.get('csirt'), ['csirt@federation']);
  assert.deepEqual(held.get('site-admin'), ['site-admin@site']);
  await db.close();
});

// Issue 10, item 12: the quick start shows the binary → source index at work: Debian's OVAL names
// `tiff`, the demo hosts report `libtiff6`, and the demo's bookworm Sources index links them.
test('the demo loads a Debian package index, so libtiff6 on the unpatched Debian hosts meets the tiff definition', async () => {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 });

  await seedDemoIfEmpty(s, 'demo-password-123');
  const feeds = await s.feeds.list();
  const cve = await s.patchingViews.cve(systemActor('test'), 'CVE-2023-52356');

  assert.deepEqual(
    feeds.filter((f) => f.release === 'debian:12').map((f) => [f.format, f.mappingCount > 0, f.warnings.filter((w) => w.startsWith('no debian-index')).length]),
    [
      ['oval', false, 0],
      ['debian-index', true, 0],
    ],
  );
  assert.deepEqual(
    cve.packages.map((p) => [p.package, p.fixedVersion]),
    [['libtiff6', '0:4.5.0-6+deb12u1']],
  );
  assert.ok(cve.hostCount > 0);
  await db.close();
});
