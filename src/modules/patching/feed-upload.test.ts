// Issue 11, item 5: a feed file uploaded over the API lands whole in the feed directory's
// uploads/, becomes a feed like any other, and a refused upload leaves nothing behind.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { testApp, tokenFor, type TestApp } from '../../../test/support/app.js';
import { personWithRole, smallFederation } from '../../../test/support/seed.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'vigil-upload-')));
const oval = readFileSync(new URL('../../../test/fixtures/feeds/rhel-9.oval.xml', import.meta.url));
const LIMIT = 256 * 1024;
let t: TestApp;
const tokens: Record<string, string> = {};

before(async () => {
  t = await testApp({ config: { feedDirectories: [root], feedUploadLimit: LIMIT } });
  const fx = await smallFederation(t.services);
  tokens.csirt = await tokenFor(t.services, (await personWithRole(t.services, 'csirt', 'federation')).personId);
  tokens.siteOfficer = await tokenFor(t.services, (await personWithRole(t.services, 'site-security-officer', 'site', fx.siteA1)).personId);
});
after(async () => {
  await t.close();
  rmSync(root, { recursive: true, force: true });
});

const upload = (name: string, body: Buffer | string, who = 'csirt', type = 'application/octet-stream') =>
  t.app.inject({
    method: 'PUT',
    url: `/api/v1/feed-files/${name}`,
    headers: { 'content-type': type, ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}) },
    payload: body,
  });
const uploads = () => readdirSync(join(root, 'uploads')).sort();

test('an uploaded OVAL file is stored whole and registers as a feed that refreshes', async () => {
  const body = gzipSync(oval);

  const res = await upload('rhel-9.oval.xml.gz', body);
  const { source, bytes, sha256 } = res.json() as { source: string; bytes: number; sha256: string };
  const feed = await t.app.inject({
    method: 'POST',
    url: '/api/v1/feeds',
    headers: { authorization: `Bearer ${tokens.csirt}` },
    payload: { name: 'rhel-9-uploaded', format: 'oval', source, release: 'rhel:9' },
  });
  const refreshed = await t.services.feeds.refresh((await personWithRole(t.services, 'csirt', 'federation')).actor, 'rhel-9-uploaded');

  assert.equal(res.statusCode, 201);
  assert.equal(source, join(root, 'uploads', 'rhel-9.oval.xml.gz'));
  assert.deepEqual(readFileSync(source), body);
  assert.equal(bytes, body.length);
  assert.equal(sha256, createHash('sha256').update(body).digest('hex'));
  assert.equal(feed.statusCode, 201);
  assert.ok(refreshed.definitionCount > 0);
  const audit = await t.db.db.selectFrom('audit_event').select(['object_id']).where('action', '=', 'feed.upload').execute();
  assert.deepEqual(
    audit.map((a) => a.object_id),
    ['rhel-9.oval.xml.gz'],
  );
});

test('a file over feedUploadLimit is refused with 413 and leaves nothing behind, not even an earlier file of its name', async () => {
  await upload('big.json', Buffer.from('[]'));

  const declared = await upload('big.json?replace=true', Buffer.alloc(LIMIT + 1, 0x20));
  // Sent in chunks with no length declared: refused while it streams.
  const streamed = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/feed-files/big.json?replace=true',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${tokens.csirt}` },
    payload: Readable.from([Buffer.alloc(LIMIT / 2), Buffer.alloc(LIMIT / 2), Buffer.alloc(1024)]),
  });

  assert.deepEqual([declared.statusCode, streamed.statusCode], [413, 413]);
  assert.match(String(declared.headers['content-type']), /problem\+json/);
  assert.deepEqual(readFileSync(join(root, 'uploads', 'big.json'), 'utf8'), '[]');
  assert.ok(!uploads().some((f) => f.endsWith('.partial')));
});

test('a name uploaded before is replaced only when asked; another content type is refused, not re-encoded', async () => {
  await upload('osv-1.json', Buffer.from('[1]'));

  const again = await upload('osv-1.json', Buffer.from('[2]'));
  const asText = await upload('osv-2.json', '[3]', 'csirt', 'text/plain');
  const asJson = await upload('osv-3.json', '[4]', 'csirt', 'application/json');
  const replaced = await upload('osv-1.json?replace=true', Buffer.from('[5]'));

  assert.deepEqual([again.statusCode, asText.statusCode, asJson.statusCode, replaced.statusCode], [409, 415, 415, 201]);
  assert.equal(readFileSync(join(root, 'uploads', 'osv-1.json'), 'utf8'), '[5]');
  assert.ok(!uploads().includes('osv-2.json') && !uploads().includes('osv-3.json'));
});

test('a name with a path, a hidden name or an empty file is refused, and nothing is written', async () => {
  const before = uploads();

  const answers = await Promise.all([
    upload('..%2Fescape.xml', oval),
    upload('.hidden.xml', oval),
    upload('x%00.xml', oval),
    upload('empty.xml', Buffer.alloc(0)),
  ]);

  assert.deepEqual(
    answers.map((r) => r.statusCode),
    [422, 422, 422, 422],
  );
  assert.deepEqual(uploads(), before);
  assert.deepEqual(readdirSync(root).sort(), ['uploads']);
});

test('only feed managers upload: a site officer is refused, an anonymous caller must sign in', async () => {
  const officer = await upload('officer.xml', oval, 'siteOfficer');
  const anonymous = await upload('anonymous.xml', oval, '');

  assert.deepEqual([officer.statusCode, anonymous.statusCode], [403, 401]);
  assert.ok(!uploads().includes('officer.xml') && !uploads().includes('anonymous.xml'));
});

test('without a feed directory an upload is a conflict, said plainly', async () => {
  const bare = await testApp();
  const person = await personWithRole(bare.services, 'csirt', 'federation');
  const res = await bare.app.inject({
    method: 'PUT',
    url: '/api/v1/feed-files/rhel-9.oval.xml',
    headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${await tokenFor(bare.services, person.personId)}` },
    payload: oval,
  });

  assert.equal(res.statusCode, 409);
  assert.match((res.json() as { detail: string }).detail, /no feed directory is configured/);
  await bare.close();
});

test('a queued refresh shows on its feed until the job ends', async () => {
  const auth = { authorization: `Bearer ${tokens.csirt}` };
  const feedId = (await t.services.feeds.list()).find((f) => f.name === 'rhel-9-uploaded')!.feedId;

  const queued = await t.app.inject({ method: 'POST', url: `/api/v1/feeds/${feedId}/refresh`, headers: auth });
  const during = (await t.app.inject({ method: 'GET', url: '/api/v1/feeds', headers: auth })).json() as {
    items: Array<{ feedId: string; refresh: { status: string; progress: number } | null }>;
    reevaluation: unknown;
  };
  await t.db.db
    .updateTable('job')
    .set({ status: 'done', unique_key: null })
    .where('job_id', '=', (queued.json() as { jobId: string }).jobId)
    .execute();
  const afterwards = (await t.app.inject({ method: 'GET', url: '/api/v1/feeds', headers: auth })).json() as typeof during;

  assert.equal(queued.statusCode, 202);
  assert.deepEqual(during.items.find((f) => f.feedId === feedId)!.refresh, { status: 'queued', progress: 0, message: null });
  assert.equal(afterwards.items.find((f) => f.feedId === feedId)!.refresh, null);
});

test('where a feed is read from is shown to those who manage feeds only', async () => {
  const get = async (who: string) =>
    (
      (await t.app.inject({ method: 'GET', url: '/api/v1/feeds', headers: { authorization: `Bearer ${tokens[who]}` } })).json() as {
        items: Array<{ name: string; source: string }>;
      }
    ).items.find((f) => f.name === 'rhel-9-uploaded')!;

  const [csirt, officer] = [await get('csirt'), await get('siteOfficer')];

  assert.equal(csirt.source, join(root, 'uploads', 'rhel-9.oval.xml.gz'));
  assert.equal(officer.source, '');
});
