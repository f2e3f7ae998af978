// Per-person choices: off, on, the site's registry flag by default, and the daily digest.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixedClock } from '../../core/clock.js';
import { createServices, type Services } from '../../server/services.js';
import { testDatabase, type TestDb } from '../../../test/support/db.js';
import { personWithRole, smallFederation, type SmallFederation } from '../../../test/support/seed.js';
import { sendDigests } from './digest.js';

describe('notification choices and the daily digest', () => {
  let db: TestDb;
  let s: Services;
  let fed: SmallFederation;
  const clock = fixedClock(new Date('2026-12-03T10:00:00Z'));

  before(async () => {
    db = await testDatabase();
    s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, clock);
    fed = await smallFederation(s);
  });
  after(() => db.close());

  const queue = (urgent = false, subject = 'A task') =>
    db.db.transaction().execute((trx) =>
      s.outbox.queue(trx, {
        eventType: 'task.created',
        tlp: urgent ? 'RED' : 'GREEN',
        subject,
        body: `About ${subject}`,
        audience: [{ type: 'site', siteId: fed.siteA2 }],
        urgent,
      }),
    );
  const rowsFor = (personId: string) => db.db.selectFrom('outbox_message').selectAll().where('person_id', '=', personId).orderBy('message_id').execute();

  test('off, on and digest as each person chose; the registry flag decides for the others', async () => {
    const keen = await personWithRole(s, 'site-security-officer', 'site', fed.siteA2);
    const quiet = await personWithRole(s, 'site-security-officer', 'site', fed.siteA2);
    const digest = await personWithRole(s, 'site-security-officer', 'site', fed.siteA2);
    await s.notifications.setPreferences(quiet.actor, { email: false, digest: false });
    await s.notifications.setPreferences(digest.actor, { email: null, digest: true });
    assert.deepEqual(await s.notifications.getPreferences(digest.actor), { email: null, digest: true, updatedAt: '2026-12-03T10:00:00.000Z' });

    await queue(false, 'First');
    await queue(false, 'Second');
    await queue(true, 'Escalation');
    assert.equal((await rowsFor(keen.personId)).length, 3);
    assert.equal((await rowsFor(quiet.personId)).length, 0, 'who turned e-mail off gets none');
    // Messages queued within one millisecond have no order among themselves: compared by subject.
    const bySubject = (rows: Array<{ subject: string; status: string }>) =>
      Object.fromEntries(rows.map((m) => [m.subject.replace(/^\[TLP:\w+\] /, ''), m.status]));
    assert.deepEqual(
      bySubject(await rowsFor(digest.personId)),
      { First: 'digest', Second: 'digest', Escalation: 'pending' },
      'held for the digest, but an urgent message goes at once',
    );

    // The site's registry flag off: people without a choice of their own get nothing.
    await db.db.updateTable('site').set({ is_notified: 0 }).where('site_id', '=', fed.siteA2).execute();
    await queue(false, 'Third');
    assert.equal((await rowsFor(keen.personId)).length, 3, 'the flag is the default');
    await db.db.updateTable('site').set({ is_notified: 1 }).where('site_id', '=', fed.siteA2).execute();

    clock.advance(21 * 3_600_000);
    assert.equal(await sendDigests(db.db, clock, s.outbox), 1);
    const after = await rowsFor(digest.personId);
    const digestMail = after.find((m) => m.event_type === 'notification.digest')!;
    assert.match(digestMail.subject, /^\[TLP:GREEN\] Vigil daily digest: 2 messages$/);
    assert.match(digestMail.body, /\n1\. \[TLP:GREEN\] (First|Second)/);
    assert.match(digestMail.body, /\n2\. \[TLP:GREEN\] (First|Second)/);
    assert.deepEqual(bySubject(after.filter((m) => m.event_type !== 'notification.digest')), { First: 'sent', Second: 'sent', Escalation: 'pending' });
    assert.equal(await sendDigests(db.db, clock, s.outbox), 0, 'each message is in one digest');
  });
});
