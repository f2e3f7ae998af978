#!/usr/bin/env node
// Runs the whole suite: the formatting and architecture checks, every test once on SQLite, then the database-backed tests again on
// PostgreSQL when one is reachable (CI starts one), then the web components' tests (Vitest,
// jsdom: web/src/**/*.spec.tsx), then the browser tests.
// Usage: node scripts/test.mjs [--only checks|sqlite|postgres|web|e2e] [file-filter]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import pg from 'pg';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? args.splice(onlyIndex, 2)[1] : undefined;
const filter = args[0];

function findTests(dir, suffix = '.test.ts') {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) out.push(...findTests(path, suffix));
    else if (name.endsWith(suffix)) out.push(relative(root, path));
  }
  return out.sort();
}

const all = [...findTests(join(root, 'src')), ...findTests(join(root, 'test'))].filter((f) => !filter || f.includes(filter));
const e2e = all.filter((f) => f.startsWith('test/e2e/'));
const unit = all.filter((f) => !f.startsWith('test/e2e/'));
// Pure libraries never touch a database: running them twice proves nothing.
const dbBacked = unit.filter((f) => !f.startsWith('src/lib/'));
const webSpecs = findTests(join(root, 'web', 'src'), '.spec.tsx').filter((f) => !filter || f.includes(filter));

function run(label, files, env) {
  if (files.length === 0) return 0;
  process.stderr.write(`\n=== ${label}: ${files.length} test files ===\n`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  return result.status ?? 1;
}

/** The web components' tests: Vitest in jsdom, the files named on its command line. */
function runWeb(files) {
  if (files.length === 0) return 0;
  process.stderr.write(`\n=== Web components (Vitest, jsdom): ${files.length} spec files ===\n`);
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const result = spawnSync(process.execPath, [vitest, 'run', '--config', 'web/vitest.config.ts', ...files], { cwd: root, stdio: 'inherit' });
  return result.status ?? 1;
}

async function postgresUrl() {
  const url = process.env.VIGIL_TEST_PG_URL ?? 'postgres://vigil:vigil@127.0.0.1:5432/vigil_test';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return url;
  } catch (err) {
    process.stderr.write(
      `\nPostgreSQL not reachable at ${url.replace(/:[^:@/]*@/, ':***@')} (${err.message}): ` +
        'skipping the PostgreSQL pass. Set VIGIL_TEST_PG_URL to run it.\n',
    );
    return undefined;
  }
}

/** Drops the per-file schemas the PostgreSQL pass creates (named t_<hex>). */
async function dropTestSchemas(url) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query("select nspname from pg_namespace where nspname ~ '^t_[0-9a-f]{12}$'");
  for (const { nspname } of rows) await client.query(`drop schema if exists ${nspname} cascade`);
  await client.end();
}

/** The house rules first: formatting and the architecture rules (a second each). */
function runChecks() {
  process.stderr.write('\n=== Formatting (Prettier) and architecture rules (dependency-cruiser) ===\n');
  let status = 0;
  for (const script of ['format:check', 'lint:architecture']) {
    const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) process.stderr.write(`\n${script} failed: run \`npm run ${script.replace(':check', '')}\` or see docs/architecture.md\n`);
    status |= result.status ?? 1;
  }
  return status;
}

let failed = 0;
if ((!only && !filter) || only === 'checks') failed |= runChecks();
if (!only || only === 'sqlite') failed |= run('SQLite', unit, { VIGIL_TEST_DB: 'sqlite' });
if (!only || only === 'postgres') {
  const url = await postgresUrl();
  if (url) {
    await dropTestSchemas(url);
    failed |= run('PostgreSQL', dbBacked, { VIGIL_TEST_DB: 'postgres', VIGIL_TEST_PG_URL: url });
    await dropTestSchemas(url);
  } else if (only === 'postgres') failed = 1;
}
if (!only || only === 'web') failed |= runWeb(webSpecs);
if (!only || only === 'e2e') failed |= run('Browser (Chromium)', e2e, { VIGIL_TEST_DB: 'sqlite' });
process.exit(failed ? 1 : 0);
