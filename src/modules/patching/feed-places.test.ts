// Feed sources come only from the directories and URL prefixes the operator configured
// (issue 9, hole 7): a CSIRT member registering /etc/passwd, /proc/self/environ, a symlink out
// of a feed directory or an internal URL is refused, and nothing read is echoed back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../../server/services.js';
import { FEED_READ_LIMITS, readFeed } from './feed-source.js';
import { feedPlacesFromConfig } from './feed-places.js';
import { loadConfig } from '../../config/config.js';
import { testApp, tokenFor, type TestApp } from '../../../test/support/app.js';
import { admin, personWithRole } from '../../../test/support/seed.js';
import type { Actor } from '../../core/access.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'vigil-places-')));
const allowed = join(root, 'feeds');
const outside = join(root, 'outside');
mkdirSync(allowed);
mkdirSync(outside);
const SECRET = 'vigil-secret-7f3a9c';
writeFileSync(join(outside, 'secret.txt'), `${SECRET}: do not leak\n`);
symlinkSync(join(outside, 'secret.txt'), join(allowed, 'escape-Sources'));
symlinkSync('/etc/passwd', join(allowed, 'passwd-Sources'));

const osvRecord = JSON.stringify({
  id: 'DSA-1-1',
  modified: '2024-01-01T00:00:00Z',
  aliases: ['CVE-2024-0001'],
  affected: [{ package: { ecosystem: 'Debian:12', name: 'openssl' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '3.0.13-1' }] }] }],
});

let server: Server;
let base: string;
const requested: string[] = [];
let t: TestApp;
let token: string;
let csirt: Actor;

before(async () => {
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    if (req.url === '/feeds/debian.json') return res.end(osvRecord);
    if (req.url === '/feeds/moved.json') return res.writeHead(302, { location: '/internal/secret' }).end();
    if (req.url === '/feeds/renamed.json') return res.writeHead(301, { location: '/feeds/debian.json' }).end();
    if (req.url === '/feeds/big.json') return res.end(`[${Array(20_000).fill(osvRecord).join(',')}]`);
    res.end(`${SECRET} internal answer`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await testApp({ config: { feedDirectories: [allowed], feedUrlPrefixes: [`${base}/feeds/`] } });
  const person = await personWithRole(t.services, 'csirt', 'federation');
  csirt = person.actor;
  token = await tokenFor(t.services, person.personId);
});
after(async () => {
  await t.close();
  server.close();
  rmSync(root, { recursive: true, force: true });
});

let n = 0;
const register = (source: string, format = 'osv', release?: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/feeds',
    headers: { authorization: `Bearer ${token}` },
    payload: { name: `feed-${++n}`, format, source, ...(release ? { release } : {}) },
  });

const refused = [
  ['/etc/passwd', 'debian-index', 'debian:12'],
  ['/proc/self/environ', 'osv', undefined],
  [join(allowed, 'escape-Sources'), 'debian-index', 'debian:12'],
  [join(allowed, 'passwd-Sources'), 'debian-index', 'debian:12'],
  [`${allowed}/../outside/secret.txt`, 'osv', undefined],
  [join(outside, 'secret.txt'), 'osv', undefined],
  ['file:///etc/passwd', 'osv', undefined],
  ['feeds/../../etc/passwd', 'osv', undefined],
] as const;
for (const [source, format, release] of refused) {
  test(`a CSIRT member cannot register ${source} as a feed source`, async () => {
    const res = await register(source, format, release);

    assert.equal(res.statusCode, 422, res.body);
    assert.match(res.json<{ detail: string }>().detail, /outside the places feeds may be read from/);
    assert.ok(res.json<{ detail: string }>().detail.includes(allowed), 'the message names the allowed directory');
    assert.doesNotMatch(res.body, /root:|vigil-secret|PATH=/);
  });
}

test('a URL outside the configured prefixes is refused without a request', async () => {
  const before = requested.length;

  const answers = [
    await register(`${base}/`),
    await register(`${base}/internal/secret`),
    await register(`${base}/feeds/../internal/secret`),
    await register(`${base}/feeds/%2e%2e/internal/secret`),
    await register(`http://user:pw@127.0.0.1:${new URL(base).port}/feeds/debian.json`),
  ];

  assert.deepEqual(
    answers.map((a) => a.statusCode),
    [422, 422, 422, 422, 422],
  );
  assert.ok(answers.every((a) => !a.body.includes('vigil-secret')));
  assert.equal(requested.length, before);
});

test('a file in a configured directory is registered and read', async () => {
  writeFileSync(join(allowed, 'debian.json'), osvRecord);

  const res = await register(join(allowed, 'debian.json'));
  const feed = await t.services.feeds.refresh(csirt, res.json<{ feedId: string }>().feedId);

  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual([feed.lastStatus, feed.cveCount], ['ok', 1]);
});

test('a URL under a configured prefix is registered and read', async () => {
  const res = await register(`${base}/feeds/debian.json`);
  const feed = await t.services.feeds.refresh(csirt, res.json<{ feedId: string }>().feedId);

  assert.equal(res.statusCode, 201, res.body);
  assert.deepEqual([feed.lastStatus, feed.cveCount], ['ok', 1]);
});

test('a redirect out of the configured prefixes is not followed', async () => {
  const res = await register(`${base}/feeds/moved.json`);
  requested.length = 0;

  const attempt = t.services.feeds.refresh(csirt, res.json<{ feedId: string }>().feedId);

  await assert.rejects(attempt, /redirected outside the configured feedUrlPrefixes/);
  assert.deepEqual(requested, ['/feeds/moved.json']);
});

test('a refresh checks the source again against the configuration of the day', async () => {
  writeFileSync(join(allowed, 'again.json'), osvRecord);
  const res = await register(join(allowed, 'again.json'));
  const narrowed = createServices(t.db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15, feedDirectories: [], feedUrlPrefixes: [] });

  const attempt = narrowed.feeds.refresh(csirt, res.json<{ feedId: string }>().feedId);

  await assert.rejects(attempt, /outside the places feeds may be read from/);
});

test('a symlink placed in a feed directory after registration is not followed out of it', async () => {
  const dir = join(allowed, 'osv-dir');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.json'), osvRecord);
  const res = await register(dir);
  symlinkSync(join(outside, 'secret.txt'), join(dir, 'b.json'));

  const attempt = t.services.feeds.refresh(csirt, res.json<{ feedId: string }>().feedId);

  await assert.rejects(attempt, (err: Error) => /outside the places feeds may be read from/.test(err.message) && !err.message.includes('vigil-secret'));
});

const malformed = [
  ['index', 'bad-Sources', 'debian-index', 'debian:12', `Package: a1\n${SECRET}\n`],
  ['index field', 'bad2-Sources', 'debian-index', 'debian:12', `Package: ${SECRET};x\n`],
  ['JSON document', 'bad.json', 'osv', undefined, 'pw=hunter2'],
  ['OVAL file', 'bad.oval.xml', 'oval', 'rhel:9', `<oval_definitions><${SECRET}>`],
] as const;
for (const [what, file, format, release, content] of malformed) {
  test(`the error for a malformed ${what} does not quote the file`, async () => {
    writeFileSync(join(allowed, file), content);
    const res = await register(join(allowed, file), format, release);

    const attempt = t.services.feeds.refresh(csirt, res.json<{ feedId: string }>().feedId);

    await assert.rejects(attempt, (err: Error) => !err.message.includes(SECRET) && !err.message.includes('hunter2'));
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/feeds', headers: { authorization: `Bearer ${token}` } });
    const feed = listed
      .json<{ items: Array<{ feedId: string; lastStatus: string; lastError: string }> }>()
      .items.find((f) => f.feedId === res.json<{ feedId: string }>().feedId);
    assert.equal(feed?.lastStatus, 'error');
    assert.ok(!feed.lastError.includes(SECRET) && !feed.lastError.includes('hunter2'), feed.lastError);
  });
}

test('a redirect that stays under a configured prefix is followed', async () => {
  const res = await register(`${base}/feeds/renamed.json`);

  const feed = await t.services.feeds.refresh(csirt, res.json<{ feedId: string }>().feedId);

  assert.deepEqual([feed.lastStatus, feed.cveCount], ['ok', 1]);
});

test('a feed the operator imports on the command line may be read from anywhere, also when the CSIRT refreshes it', async () => {
  writeFileSync(join(outside, 'operator.json'), osvRecord);

  const imported = await t.services.feeds.importFrom(admin, { name: 'operator-osv', format: 'osv', source: join(outside, 'operator.json') });
  const again = await t.services.feeds.refresh(csirt, imported.feedId);

  assert.deepEqual([imported.lastStatus, again.lastStatus, again.cveCount], ['ok', 'ok', 1]);
});

const places = () => ({ directories: [allowed], urlPrefixes: [`${base}/feeds/`] });

test('a debian-index directory with more files than the limit is refused', async () => {
  const dir = join(allowed, 'many');
  mkdirSync(dir);
  for (let i = 0; i < 4; i++) writeFileSync(join(dir, `c${i}_Sources`), `Package: p${i}\n`);

  const attempt = readFeed({ format: 'debian-index', source: dir, release: 'debian:12' }, places(), async () => undefined, {
    ...FEED_READ_LIMITS,
    maxIndexFiles: 3,
  });

  await assert.rejects(attempt, /over 3 feed files/);
});

test('the files of a directory source may not pass the total size limit together', async () => {
  const dir = join(allowed, 'big');
  mkdirSync(dir);
  for (let i = 0; i < 3; i++) writeFileSync(join(dir, `c${i}_Sources`), `Package: p${i}\nDescription: ${'x'.repeat(400)}\n`);

  const attempt = readFeed({ format: 'debian-index', source: dir, release: 'debian:12' }, places(), async () => undefined, {
    ...FEED_READ_LIMITS,
    maxTotalBytes: 1000,
  });

  await assert.rejects(attempt, /over 1000 bytes/);
});

test('a download may not pass the byte limit', async () => {
  const attempt = readFeed({ format: 'osv', source: `${base}/feeds/big.json` }, places(), async () => undefined, {
    ...FEED_READ_LIMITS,
    maxDownloadBytes: 100_000,
  });

  await assert.rejects(attempt, /over 100000 bytes/);
});

test('the places come from the configuration, comma-separated in the environment', () => {
  const config = loadConfig({
    env: {
      VIGIL_FEED_DIRECTORIES: '/srv/feeds,/var/lib/vigil/oval',
      VIGIL_FEED_URL_PREFIXES: 'https://www.debian.org/security/oval/,https://Security.Access.RedHat.com/data/',
    },
  });

  assert.deepEqual(feedPlacesFromConfig(config), {
    directories: ['/srv/feeds', '/var/lib/vigil/oval'],
    urlPrefixes: ['https://www.debian.org/security/oval/', 'https://security.access.redhat.com/data/'],
  });
});

test('by default feeds are read from a feeds directory beside the SQLite database, and from no URL', () => {
  assert.deepEqual(feedPlacesFromConfig(loadConfig({ env: { VIGIL_SQLITE_PATH: '/var/lib/vigil/vigil.db' } })), {
    directories: ['/var/lib/vigil/feeds'],
    urlPrefixes: [],
  });
  assert.deepEqual(feedPlacesFromConfig(loadConfig({ env: { VIGIL_DATABASE_URL: 'postgres://db/vigil' } })), { directories: [], urlPrefixes: [] });
});

const badPlaces = [
  ['a URL prefix without its final slash', { VIGIL_FEED_URL_PREFIXES: 'https://www.debian.org/security/oval' }, /feedUrlPrefixes/],
  ['a URL prefix with a user name', { VIGIL_FEED_URL_PREFIXES: 'https://me@www.debian.org/' }, /feedUrlPrefixes/],
  ['a URL prefix of another scheme', { VIGIL_FEED_URL_PREFIXES: 'file:///etc/' }, /feedUrlPrefixes/],
  ['a relative feed directory', { VIGIL_FEED_DIRECTORIES: 'feeds' }, /feedDirectories/],
] as const;
for (const [what, env, message] of badPlaces) {
  test(`${what} stops start-up naming the setting`, () => {
    assert.throws(() => loadConfig({ env }), message);
  });
}
