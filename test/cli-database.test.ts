// Which database a `vigil` command opens (issue 11, item 8): the installation's own whatever the
// working directory, a config file's relative path from that file, and a read-only command
// never creating an empty database to answer "no hosts" from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vigilCommand } from './support/server-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
// The command spelled to run from any working directory.
const anywhere = vigilCommand.map((a) => (a === 'tsx' ? import.meta.resolve('tsx') : a.includes('/') ? join(root, a) : a));
const tempDir = () => mkdtempSync(join(tmpdir(), 'vigil-clidb-'));

function vigil(args: string[], opts: { cwd: string; env?: Record<string, string> }) {
  const env: NodeJS.ProcessEnv = { ...process.env, VIGIL_DATABASE_URL: '', VIGIL_LOG_LEVEL: 'silent', ...opts.env };
  for (const k of ['VIGIL_SQLITE_PATH', 'VIGIL_CONFIG']) if (!opts.env?.[k]) delete env[k];
  const r = spawnSync(process.execPath, [...anywhere, ...args], { cwd: opts.cwd, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The configuration a process started in `cwd` resolves. */
function configIn(cwd: string, env: Record<string, string> = {}) {
  const script = `import(${JSON.stringify(join(root, 'src/config/config.ts'))}).then((m) => process.stdout.write(JSON.stringify({ path: m.loadConfig().sqlitePath, fallback: m.DEFAULT_SQLITE_PATH })))`;
  const clean: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const k of ['VIGIL_SQLITE_PATH', 'VIGIL_CONFIG']) if (!env[k]) delete clean[k];
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '-e', script], { cwd, encoding: 'utf8', env: clean });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as { path: string; fallback: string };
}

test('without settings every working directory resolves the installation database', () => {
  const here = configIn(root);
  const elsewhere = configIn(tempDir());

  assert.equal(here.path, join(root, 'data/vigil.db'));
  assert.equal(elsewhere.path, here.path);
});

test("a config file's relative sqlitePath is taken from the file's directory; the environment's from the working directory", () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'vigil.json'), JSON.stringify({ sqlitePath: 'state/vigil.db' }));
  const cwd = tempDir();

  assert.equal(configIn(cwd, { VIGIL_CONFIG: join(dir, 'vigil.json') }).path, join(dir, 'state/vigil.db'));
  assert.equal(configIn(cwd, { VIGIL_SQLITE_PATH: 'mine.db' }).path, 'mine.db');
});

test('a probe pointed at a missing database answers UNKNOWN naming it, and creates nothing', () => {
  const missing = join(tempDir(), 'nowhere', 'vigil.db');

  const r = vigil(['probe', 'site', 'ALPHA-UNI-1'], { cwd: tempDir(), env: { VIGIL_SQLITE_PATH: missing } });

  assert.equal(r.code, 3);
  assert.equal(r.stdout, `UNKNOWN: no Vigil database at ${missing}; point VIGIL_SQLITE_PATH, VIGIL_DATABASE_URL or --config at the installation's database\n`);
  assert.equal(existsSync(missing), false);
});

test('a probe of a site that does not exist says so, not "no hosts"', () => {
  const db = join(tempDir(), 'vigil.db');
  assert.equal(vigil(['migrate'], { cwd: root, env: { VIGIL_SQLITE_PATH: db } }).code, 0);

  const r = vigil(['probe', 'site', 'NO-SUCH-SITE'], { cwd: root, env: { VIGIL_SQLITE_PATH: db } });

  assert.equal(r.code, 3);
  assert.equal(r.stdout, 'UNKNOWN: site NO-SUCH-SITE not found\n');
});

test('audit verify on a missing database refuses in one line and exits non-zero', () => {
  const missing = join(tempDir(), 'vigil.db');

  const r = vigil(['audit', 'verify'], { cwd: tempDir(), env: { VIGIL_SQLITE_PATH: missing } });

  assert.equal(r.code, 1);
  assert.match(r.stderr, /^vigil: no Vigil database at .*vigil\.db; point VIGIL_SQLITE_PATH/);
  assert.equal(existsSync(missing), false);
});
