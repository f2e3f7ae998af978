// Every warning the fixtures' feeds raise (real vendors' shapes) has a meaning written for it:
// a new kind of skip or alarm without one fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp } from '../../../test/support/app.js';
import { admin } from '../../../test/support/seed.js';
import { explainFeedWarning } from './feed-warnings.js';

const fixture = (name: string) => new URL(`../../../test/fixtures/feeds/${name}`, import.meta.url).pathname;
const FEEDS = [
  { format: 'oval', source: fixture('rhel-9.oval.xml'), release: 'rhel:9' },
  { format: 'oval', source: fixture('rhel-9-including-unpatched.oval.xml'), release: 'rhel:9' },
  { format: 'oval', source: fixture('rhel-8-module.oval.xml'), release: 'rhel:8' },
  { format: 'oval', source: fixture('almalinux-9.oval.xml'), release: 'alma:9' },
  { format: 'oval', source: fixture('oracle/com.oracle.elsa-all.oval.xml'), release: 'oracle:9' },
  { format: 'oval', source: fixture('debian-12.oval.xml'), release: 'debian:12' },
  { format: 'oval', source: fixture('ubuntu-jammy.cve.oval.xml'), release: 'ubuntu:22.04' },
  { format: 'oval', source: fixture('ubuntu-jammy.usn.oval.xml'), release: 'ubuntu:22.04' },
  { format: 'osv', source: fixture('osv') },
  { format: 'csaf', source: fixture('csaf') },
] as const;

test("every warning of the fixtures' feeds is explained, none falls back to its bare text", async () => {
  const t = await testApp();
  for (const [i, f] of FEEDS.entries()) await t.services.feeds.importFrom(admin, { ...f, name: `feed-${i}` });

  const meanings = (await t.services.feeds.list()).flatMap((f) => f.warningMeanings);

  assert.ok(meanings.length >= 3, `the fixtures raise warnings (${meanings.length})`);
  for (const m of meanings) {
    assert.notEqual(m.meaning, m.warning, m.warning);
    assert.doesNotMatch(m.meaning, /items of this kind were not used/, m.warning);
  }
  await t.close();
});

test('alarms and notes are told apart, and an unknown warning is shown as it is', () => {
  assert.equal(explainFeedWarning('this feed produced no CVEs: its format may have changed').kind, 'alarm');
  assert.equal(explainFeedWarning('policy:format-drift-alarm: 12 definitions but no affected package read').kind, 'alarm');
  assert.deepEqual(explainFeedWarning('3 skipped: policy:withdrawn'), {
    warning: '3 skipped: policy:withdrawn',
    kind: 'note',
    meaning: '3 skipped: advisories their publisher withdrew. Normal.',
  });
  assert.equal(explainFeedWarning('something new').meaning, 'something new');
});
