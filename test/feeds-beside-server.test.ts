// `vigil feeds import` run by the operator while the server takes reports (issue 10, item 9:
// "database is locked" in 3 of 12 tries, nothing imported). A real server process, clients
// posting protocol-5 reports without pause, and the import command run several times beside
// them, each import changing the definitions (so the feed generation moves, hosts are
// re-evaluated by the CLI and by the server's job at once). Every import must succeed and
// every report be answered OK. SQLite always; PostgreSQL when VIGIL_TEST_DB=postgres.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { population } from '../bench/support/reports.js';
import { writeRhelOval } from '../bench/support/oval-feeds.js';
import { serverDatabase } from './support/server-database.js';
import { startServer, vigilCommand, type ServerProcess } from './support/server-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const SITE = 'BESIDE-SITE';
const IMPORTS = 4;
const CLIENTS = 4;
const dir = mkdtempSync(join(tmpdir(), 'vigil-beside-'));
let server: ServerProcess | undefined;
after(async () => {
  if (server && server.child.exitCode === null) await server.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI without blocking this process (the report clients share its event loop). */
function vigil(env: Record<string, string>, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...vigilCommand, ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('vigil feeds import succeeds every time beside a server taking reports', { timeout: 300_000 }, async () => {
  const { serverEnv, open } = await serverDatabase(dir, { ngi: 'NGI_BESIDE', name: SITE, securityEmail: 'csirt@beside.example.org' });
  // Two "days" of one Red Hat feed (fixed versions differ): each import replaces ~1,500 definitions.
  const feeds = await Promise.all(
    [1, 2].map(async (day) => (await writeRhelOval(join(dir, `rhel-9-day${day}.oval.xml`), 1500, day), join(dir, `rhel-9-day${day}.oval.xml`))),
  );
  server = await startServer(serverEnv);

  let stop = false;
  let ok = 0;
  const refused: string[] = [];
  const reports = population({ site: SITE, prefix: 'beside', scenario: 'distinct', seed: 7, packages: 300 });
  async function client(c: number) {
    for (let i = c; !stop; i += CLIENTS) {
      const res = await fetch(`${server!.url}/feed/?protocol=5`, { method: 'POST', body: reports.report(i % 200).body });
      const body = await res.text();
      if (res.status === 200 && body === 'OK\n') ok++;
      else refused.push(`${res.status} ${body.slice(0, 200)}`);
    }
  }
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  const imports: Array<{ code: number | null; stderr: string }> = [];
  try {
    for (let i = 0; i < IMPORTS; i++)
      imports.push(await vigil(serverEnv, ['feeds', 'import', feeds[i % 2]!, '--format', 'oval', '--release', 'rhel:9', '--name', 'rhel-9']));
  } finally {
    stop = true;
    await Promise.all(clients);
  }

  assert.deepEqual(
    imports.map((r) => (r.code === 0 ? 'ok' : `exit ${r.code}: ${r.stderr.trim()}`)),
    Array(IMPORTS).fill('ok'),
  );
  assert.deepEqual(refused.slice(0, 3), []);
  assert.ok(ok > 20, `${ok} reports answered OK during the imports`);
  const check = open();
  try {
    const feed = await check.db.selectFrom('feed').select(['definition_count', 'last_status']).where('name', '=', 'rhel-9').executeTakeFirstOrThrow();
    assert.deepEqual([feed.definition_count, feed.last_status], [1500, 'ok']);
  } finally {
    await check.close();
  }
});
