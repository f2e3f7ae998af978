import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fixedClock } from '../../core/clock.js';
import { parseOval } from '../../lib/oval/index.js';
import type { Definition } from '../../lib/vuln-model/index.js';
import { createServices } from '../../server/services.js';
import { testDatabase } from '../../../test/support/db.js';
import { admin } from '../../../test/support/seed.js';
import { readFeed, type ReadFeed } from './feed-source.js';
import { ANYWHERE } from './feed-places.js';

// Temporary files of this process go here, so that a test can see that none are left behind.
process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'vigil-feed-test-'));
after(() => rmSync(tmpdir(), { recursive: true, force: true }));
const scratch = mkdtempSync(join(tmpdir(), 'scratch-'));
const rhel = readFileSync(new URL('../../../test/fixtures/feeds/rhel-9.oval.xml', import.meta.url));
const leftovers = () => readdirSync(tmpdir()).filter((f) => f.startsWith('vigil-'));
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const definitions = (read: ReadFeed) => [...read.pages(1)].flat().map((p) => JSON.parse(p.bodyJson) as Definition);
const write = (name: string, bytes: Buffer) => {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  return path;
};
/** The fixture with ~1 MB of tests after the definitions, so that the second pass stops early. */
const padded = Buffer.from(rhel.toString('utf8').replace('<tests>', `<tests>${'<x/>'.repeat(250_000)}`));

test('an OVAL file is read in two passes to the definitions and counts of an in-memory parse', async () => {
  const path = write('rhel-9.oval.xml', rhel);
  const expected = await parseOval(rhel, { release: 'rhel:9' });

  const read = await readFeed({ format: 'oval', source: path, release: 'rhel:9' }, ANYWHERE, async (r) => ({ ...r, definitions: definitions(r) }));

  assert.deepEqual(
    read.definitions,
    [...expected.definitions].sort((a, b) => (a.id < b.id ? -1 : 1)),
  );
  assert.deepEqual(read.stats, expected.stats);
  assert.deepEqual([read.definitionCount, read.cveCount, read.releases, read.contentHash], [2, 3, ['rhel:9'], sha256(rhel)]);
});

for (const [suffix, compress] of [
  ['gz', (b: Buffer) => gzipSync(b)],
  ['bz2', (b: Buffer) => execFileSync('bzip2', ['-c'], { input: b })],
  ['xz', (b: Buffer) => execFileSync('xz', ['-c'], { input: b })],
] as const) {
  test(`a .${suffix} OVAL file is reopened for the second pass and hashed as stored`, async () => {
    const bytes = compress(padded);
    const path = write(`rhel-9.oval.xml.${suffix}`, bytes);

    const read = await readFeed({ format: 'oval', source: path, release: 'rhel:9' }, ANYWHERE, async (r) => ({ ...r, definitions: definitions(r) }));

    assert.deepEqual(
      read.definitions.map((d) => d.advisoryId),
      ['RHSA-2024:3061', 'RHSA-2024:3138'],
    );
    assert.equal(read.contentHash, sha256(bytes));
  });
}

test('an OVAL URL is downloaded once and both passes read the copy', async () => {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    res.end(gzipSync(padded));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/rhel-9.oval.xml.gz`;

  try {
    const read = await readFeed({ format: 'oval', source: url, release: 'rhel:9' }, ANYWHERE, async (r) => ({ ...r, definitions: definitions(r) }));

    assert.equal(requests, 1);
    assert.equal(read.definitionCount, 2);
  } finally {
    server.close();
  }
});

test('temporary files are deleted after storing, after a failed store and after a parse error', async () => {
  const good = write('good.oval.xml', rhel);
  const truncated = write('truncated.oval.xml', rhel.subarray(0, rhel.length - 200));

  await readFeed({ format: 'oval', source: good, release: 'rhel:9' }, ANYWHERE, async () => assert.ok(leftovers().length > 0));
  const failedStore = readFeed({ format: 'oval', source: good, release: 'rhel:9' }, ANYWHERE, async () => {
    throw new Error('database gone');
  });
  await assert.rejects(failedStore, /database gone/);
  await assert.rejects(
    readFeed({ format: 'oval', source: truncated, release: 'rhel:9' }, ANYWHERE, async () => undefined),
    /invalid XML/,
  );

  assert.deepEqual(leftovers(), []);
});

test('an imported OVAL feed stores each definition with its counts, releases and warnings', async () => {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, fixedClock(new Date('2026-06-01T00:00:00Z')));
  const noCves = write(
    'no-cves.oval.xml',
    Buffer.from(
      rhel
        .toString('utf8')
        .replace(/<cve [^>]*>[^<]*<\/cve>/g, '')
        .replace(/<reference ref_id="CVE[^>]*>/g, ''),
    ),
  );

  const feed = await s.feeds.importFrom(admin, { name: 'rhel-9', format: 'oval', source: write('rhel.oval.xml', rhel), release: 'rhel:9' });
  const stored = await db.db.selectFrom('feed_definition').select('definition_id').where('feed_id', '=', feed.feedId).orderBy('definition_id').execute();
  const empty = await s.feeds.importFrom(admin, { name: 'rhel-9-no-cves', format: 'oval', source: noCves, release: 'rhel:9' });

  assert.deepEqual([feed.definitionCount, feed.cveCount, feed.releases, feed.lastStatus], [2, 3, ['rhel:9'], 'ok']);
  assert.deepEqual(
    stored.map((r) => r.definition_id),
    ['oval:com.redhat.rhsa:def:20243061', 'oval:com.redhat.rhsa:def:20243138'],
  );
  assert.deepEqual([empty.cveCount, empty.warnings[0]], [0, 'this feed produced no CVEs: its format may have changed']);
  await db.close();
});

test('definitions without any CVE are stored with the status warning, not ok', async () => {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, fixedClock(new Date('2026-06-01T00:00:00Z')));
  const noCves = write(
    'no-cves-2.oval.xml',
    Buffer.from(
      rhel
        .toString('utf8')
        .replace(/<cve [^>]*>[^<]*<\/cve>/g, '')
        .replace(/<reference ref_id="CVE[^>]*>/g, ''),
    ),
  );

  const feed = await s.feeds.importFrom(admin, { name: 'rhel-9-no-cves', format: 'oval', source: noCves, release: 'rhel:9' });
  const listed = (await s.feeds.list()).find((f) => f.name === 'rhel-9-no-cves')!;

  assert.deepEqual([feed.definitionCount, feed.cveCount, feed.lastStatus], [2, 0, 'warning']);
  assert.equal(listed.lastStatus, 'warning');
  assert.equal(listed.warnings[0], 'this feed produced no CVEs: its format may have changed');
  await db.close();
});

test('a refresh that yields no definitions fails, keeps the previous definitions and marks the feed failed', async () => {
  const db = await testDatabase();
  const s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, fixedClock(new Date('2026-06-01T00:00:00Z')));
  const good = await s.feeds.importFrom(admin, { name: 'rhel-9', format: 'oval', source: write('rhel-kept.oval.xml', rhel), release: 'rhel:9' });
  const generation = (await db.db.selectFrom('patching_state').select('feed_generation').executeTakeFirstOrThrow()).feed_generation;
  // What a format change looks like: the same document, every definition gone.
  const hollow = write('hollow.oval.xml', Buffer.from(rhel.toString('utf8').replace(/<definition [\s\S]*?<\/definition>/g, '')));

  const attempt = s.feeds.importFrom(admin, { name: 'rhel-9', format: 'oval', source: hollow, release: 'rhel:9' });

  await assert.rejects(attempt, /this feed yielded no definitions: its format may have changed; the previous definitions are kept/);
  const after = (await s.feeds.list()).find((f) => f.name === 'rhel-9')!;
  const stored = await db.db.selectFrom('feed_definition').select('definition_id').where('feed_id', '=', good.feedId).execute();
  assert.deepEqual([after.lastStatus, after.definitionCount, after.cveCount], ['error', 2, 3]);
  assert.match(after.lastError ?? '', /yielded no definitions/);
  assert.equal(stored.length, 2);
  assert.equal((await db.db.selectFrom('patching_state').select('feed_generation').executeTakeFirstOrThrow()).feed_generation, generation);
  await db.close();
});
