// Reviewed reports keep their entry and audit trail, but not their content, past a month.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/support/app.js';
import { admin, smallFederation } from '../../../test/support/seed.js';
import { rockyReport } from '../../../test/support/reports.js';

let t: TestApp;

before(async () => {
  t = await testApp();
  await smallFederation(t.services);
});
after(() => t.close());

test('the content of a report reviewed more than a month ago is dropped; pending ones and the entries stay', async () => {
  await t.services.intake.accept(rockyReport('old.example.org', 'NO-SUCH-SITE'), { address: '192.0.2.1' }, 'store-only', 'test');
  await t.services.intake.accept(rockyReport('pending.example.org', 'NO-SUCH-SITE'), { address: '192.0.2.2' }, 'store-only', 'test');
  const [old] = (await t.services.quarantineReview.list(admin, { status: 'pending', limit: 10, offset: 0, q: 'old' })).items;
  await t.services.quarantineReview.reject(admin, old!.quarantineId, 'not ours');
  await t.db.db
    .updateTable('report_quarantine')
    .set({ reviewed_at: new Date(Date.now() - 31 * 86_400_000).toISOString() })
    .where('quarantine_id', '=', old!.quarantineId)
    .execute();

  const purged = await t.services.quarantine.purgeReviewed();

  const rows = await t.db.db.selectFrom('report_quarantine').select(['hostname', 'status', 'size_bytes']).orderBy('hostname').execute();
  assert.equal(purged, 1);
  assert.deepEqual(
    rows.map((r) => [r.hostname, r.status, Number(r.size_bytes) > 0]),
    [
      ['old.example.org', 'rejected', false],
      ['pending.example.org', 'pending', true],
    ],
  );
});
