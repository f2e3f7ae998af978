// The `vigil` command end to end, on a temporary SQLite database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { vigilCommand } from './support/server-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const fixture = join(root, 'test/fixtures/gocdb/federation.xml');

function vigil(dbPath: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [...vigilCommand, ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, VIGIL_SQLITE_PATH: dbPath, VIGIL_DATABASE_URL: '', VIGIL_LOG_LEVEL: 'silent' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tempDb = () => join(mkdtempSync(join(tmpdir(), 'vigil-cli-')), 'vigil.db');

test('migrate, import, add a user, create a token, verify the audit log', () => {
  const db = tempDb();

  const migrate = vigil(db, ['migrate']);
  const imported = vigil(db, ['import', 'gocdb', fixture, '--json']);
  const again = vigil(db, ['import', 'gocdb', fixture, '--json']);
  const user = vigil(
    db,
    ['user', 'add', 'nora', '--name', 'Nora Nordica', '--role', 'ngi-security-officer', '--scope', 'ngi:NGI_NORDICA', '--password-stdin', '--json'],
    'a long enough password\n',
  );
  const token = vigil(db, ['token', 'create', '--user', 'nora', '--name', 'ci', '--permission', 'registry:read', '--json']);
  const verify = vigil(db, ['audit', 'verify']);

  assert.equal(migrate.code, 0, migrate.stderr);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal(JSON.parse(imported.stdout).added.sites, 6);
  assert.equal(JSON.parse(again.stdout).added.sites, 0);
  assert.equal(user.code, 0, user.stderr);
  assert.equal(JSON.parse(user.stdout).role, 'ngi-security-officer');
  assert.equal(token.code, 0, token.stderr);
  assert.match(JSON.parse(token.stdout).token, /^vgl_/);
  assert.equal(verify.code, 0, verify.stderr);
  assert.match(verify.stdout, /audit log intact: \d+ events verified/);
});

test('audit verify names the first broken link and exits 1', () => {
  const db = tempDb();
  vigil(db, ['import', 'gocdb', fixture]);
  const sqlite = new Database(db);
  sqlite.prepare("update audit_event set actor_label = 'mallory' where seq = 7").run();
  sqlite.close();

  const verify = vigil(db, ['audit', 'verify']);

  assert.equal(verify.code, 1);
  assert.equal(verify.stderr.trim(), 'vigil: audit log broken at event 7: content does not match its keyed (HMAC) link');
});

test('a missing file is one line on stderr and exit 1, with nothing imported', () => {
  const db = tempDb();

  const r = vigil(db, ['import', 'gocdb', '/nonexistent/file.xml']);

  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, /^vigil: .*no such file/);
});

test('hostile XML is refused with one line and imports nothing', () => {
  const db = tempDb();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-xml-'));
  const file = join(dir, 'evil.xml');
  spawnSync('sh', [
    '-c',
    `printf '%s' '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><results><NGI><PRIMARY_KEY>1</PRIMARY_KEY><NAME>&x;</NAME></NGI></results>' > ${file}`,
  ]);

  const r = vigil(db, ['import', 'gocdb', file]);
  const count = vigil(db, ['audit', 'verify', '--json']);

  assert.equal(r.code, 1);
  assert.match(r.stderr, /^vigil: .*(DOCTYPE|DTD)/i);
  assert.equal(JSON.parse(count.stdout).checked, 0);
});

test('bad usage exits 2; every command has --help', () => {
  const db = tempDb();

  const bad = vigil(db, ['user', 'add']);
  const unknown = vigil(db, ['frobnicate']);

  assert.equal(bad.code, 2);
  assert.equal(unknown.code, 2);
  for (const cmd of [['serve'], ['migrate'], ['user', 'add'], ['token', 'create'], ['import', 'gocdb'], ['audit', 'verify']]) {
    const help = vigil(db, [...cmd, '--help']);
    assert.equal(help.code, 0, cmd.join(' '));
    assert.match(help.stdout, /Usage: vigil/);
  }
});

test('a bad setting stops with one line naming it', () => {
  const db = tempDb();
  const r = spawnSync(process.execPath, [...vigilCommand, 'migrate'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, VIGIL_SQLITE_PATH: db, VIGIL_PORT: 'eighty' },
  });

  assert.equal(r.status, 1);
  assert.match(r.stderr.trim(), /^vigil: bad setting port \(VIGIL_PORT\)/);
});

test('vigil agent report --dry-run prints a vigil.report/1 that the server parser accepts', async () => {
  const { parseJsonReport } = await import('../src/lib/pakiti-report/index.js');

  const r = vigil(tempDb(), ['agent', 'report', '--url', 'http://127.0.0.1:9', '--site', 'EXAMPLE-SITE', '--dry-run']);

  assert.equal(r.code, 0, r.stderr);
  const report = parseJsonReport(JSON.parse(r.stdout));
  assert.equal(report.site, 'EXAMPLE-SITE');
  assert.ok(report.packages.length > 10);
  assert.ok(report.packager === 'rpm' || report.packager === 'dpkg');
});

test('vigil feeds import reads a Debian Sources index into binary → source names', () => {
  const db = tempDb();
  const sources = join(root, 'test/fixtures/debian-index/bookworm-main-Sources');

  const imported = vigil(db, ['feeds', 'import', sources, '--format', 'debian-index', '--release', 'debian:12', '--name', 'debian-12-sources', '--json']);
  const quiet = vigil(db, ['feeds', 'refresh', 'debian-12-sources']);
  const noRelease = vigil(db, ['feeds', 'add', 'bad', sources, '--format', 'debian-index']);

  assert.equal(imported.code, 0, imported.stderr);
  const feed = JSON.parse(imported.stdout);
  assert.deepEqual([feed.format, feed.release, feed.mappingCount, feed.warnings], ['debian-index', 'debian:12', 16, []]);
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.match(quiet.stderr, /^debian-12-sources: 16 binary → source mappings$/m);
  assert.equal(noRelease.code, 1);
  assert.match(noRelease.stderr.trim(), /^vigil: a debian-index feed needs --release/);
});

// Issue 10, item 12: the operator is told when a Debian feed's release has no binary → source index.
test('vigil feeds import and list warn that a Debian OVAL feed has no debian-index feed for its release', () => {
  const db = tempDb();
  const oval = join(root, 'test/fixtures/feeds/debian-12-tiff.oval.xml');

  const imported = vigil(db, ['feeds', 'import', oval, '--format', 'oval', '--release', 'debian:12', '--name', 'debian-12-oval']);
  const listed = vigil(db, ['feeds', 'list']);
  vigil(db, ['feeds', 'import', join(root, 'test/fixtures/debian-index/bookworm-main-Sources'), '--format', 'debian-index', '--release', 'debian:12']);
  const covered = vigil(db, ['feeds', 'list']);

  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stderr, /^warning: no debian-index feed for debian:12: /m);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(listed.stderr, /^warning: debian-12-oval: no debian-index feed for debian:12: /m);
  assert.doesNotMatch(covered.stderr, /no debian-index feed/);
});

test('vigil agent report sends os-release and /etc/oracle-release beside the system line (Oracle Linux names itself RHEL there)', async () => {
  const { parseJsonReport } = await import('../src/lib/pakiti-report/index.js');
  const { writeFileSync: write } = await import('node:fs');
  const etc = mkdtempSync(join(tmpdir(), 'vigil-etc-'));
  write(join(etc, 'redhat-release'), 'Red Hat Enterprise Linux release 8.9 (Ootpa)\n');
  write(join(etc, 'oracle-release'), 'Oracle Linux Server release 8.9\n');
  write(join(etc, 'os-release'), 'NAME="Oracle Linux Server"\nVERSION="8.9"\nID="ol"\nVERSION_ID="8.9"\n');

  const r = vigil(tempDb(), ['agent', 'report', '--url', 'http://127.0.0.1:9', '--etc', etc, '--dry-run']);

  assert.equal(r.code, 0, r.stderr);
  const report = parseJsonReport(JSON.parse(r.stdout));
  assert.equal(report.system, 'Red Hat Enterprise Linux release 8.9 (Ootpa)');
  assert.deepEqual(report.osRelease, { id: 'ol', versionId: '8.9', name: 'Oracle Linux Server' });
  assert.equal(report.oracleRelease, 'Oracle Linux Server release 8.9');
});
