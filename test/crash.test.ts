// `kill -9` of the server in the middle of a sustained ingest, then a restart on the same
// database: every report that was answered `OK` is there. Six clients post protocol-5 reports
// (400 packages; 70 % of hosts an unchanged image, the rest a list that changes every round)
// for 60 hosts, round after round, until a few hundred were answered; the server is then killed
// with SIGKILL while requests are in flight. After the restart, for every host that got an OK:
// the host exists, its package set is the one of its last OK'd report (or of the report that
// was in flight when the server died, which may have committed without its answer), its
// report count lies between its OKs and OKs + 1, and its last report time is no earlier than
// the moment its last OK'd report was sent.
// SQLite always; PostgreSQL when VIGIL_TEST_DB=postgres.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { normalizeSet } from '../src/modules/patching/package-sets.js';
import { population } from '../bench/support/reports.js';
import { admin } from './support/seed.js';
import { serverDatabase } from './support/server-database.js';
import { startServer, type ServerProcess } from './support/server-process.js';

const CLIENTS = 6;
const HOSTS_PER_CLIENT = 10;
const KILL_AFTER_OK = 300;
const KILL_AFTER_MS = 25_000;
const SITE = 'CRASH-SITE';
const fixture = (p: string) => new URL(`./fixtures/${p}`, import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), 'vigil-crash-'));
const servers: ServerProcess[] = [];
after(async () => {
  // stop() waits for an exit: only for servers still running.
  for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Sent {
  setId: string;
  sentAt: string;
}
interface HostLog {
  oks: Sent[];
  inFlight?: Sent | undefined;
}

test('after kill -9 during a sustained ingest and a restart, every report answered OK is stored', { timeout: 120_000 }, async () => {
  const { serverEnv, open } = await serverDatabase(dir, { ngi: 'NGI_CRASH', name: SITE, securityEmail: 'csirt@crash.example.org' }, async (s) => {
    await s.feeds.importFrom(admin, { format: 'oval', source: fixture('feeds/rhel-9.oval.xml'), release: 'rhel:9' });
    await s.feeds.importFrom(admin, { format: 'oval', source: fixture('feeds/debian-12.oval.xml'), release: 'debian:12' });
  });

  const first = await startServer(serverEnv);
  servers.push(first);

  const rounds = new Map<number, ReturnType<typeof population>>();
  const roundOf = (r: number) =>
    rounds.get(r) ?? rounds.set(r, population({ site: SITE, prefix: 'crash', scenario: 'mix', seed: 100 + r, packages: 400 })).get(r)!;
  const log = new Map<string, HostLog>();
  let ok = 0;
  let refused = 0;
  let killed = false;
  const start = Date.now();
  let kill!: () => void;
  const killedNow = new Promise<void>((resolve) => {
    kill = resolve;
  });

  async function client(c: number) {
    for (let round = 0; !killed; round++) {
      for (let k = 0; k < HOSTS_PER_CLIENT && !killed; k++) {
        const report = roundOf(round).report(c * HOSTS_PER_CLIENT + k);
        const entry = log.get(report.host) ?? log.set(report.host, { oks: [] }).get(report.host)!;
        const sent = { setId: normalizeSet(report.packager, report.packages).setId, sentAt: new Date().toISOString() };
        entry.inFlight = sent;
        let answer: { status: number; body: string } | undefined;
        try {
          const res = await fetch(`${first.url}/feed/?protocol=5`, {
            method: 'POST',
            body: report.body,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'libwww-perl/6.68' },
          });
          answer = { status: res.status, body: await res.text() };
        } catch {
          return; // the server is gone: this report stays in flight, answered or not
        }
        if (answer.status === 200 && answer.body === 'OK\n') {
          entry.oks.push(sent);
          entry.inFlight = undefined;
          if (++ok >= KILL_AFTER_OK) kill();
        } else {
          refused++;
          entry.inFlight = undefined;
        }
      }
    }
  }
  const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
  await Promise.race([killedNow, new Promise((r) => setTimeout(r, KILL_AFTER_MS))]);
  killed = true;
  const exit = await first.stop('SIGKILL');
  const inFlightAtKill = [...log.values()].filter((h) => h.inFlight).length;
  await Promise.all(clients);

  assert.equal(exit, null, 'the server died of the signal');
  assert.equal(refused, 0, 'no report was refused before the kill');
  assert.ok(ok >= 100, `a sustained ingest: ${ok} reports answered OK in ${Date.now() - start} ms`);

  const second = await startServer(serverEnv);
  servers.push(second);
  const check = open();
  try {
    const hosts = await check.db.selectFrom('host').selectAll().where('hostname', 'like', 'crash%').execute();
    const byName = new Map(hosts.map((h) => [h.hostname, h]));
    let checked = 0;
    let inFlightCommitted = 0;
    for (const [name, entry] of log) {
      if (entry.oks.length === 0) continue;
      const last = entry.oks[entry.oks.length - 1]!;
      const row = byName.get(name);
      assert.ok(row, `${name}: answered OK ${entry.oks.length} times, but not in the database`);
      const allowed = [last.setId, ...(entry.inFlight ? [entry.inFlight.setId] : [])];
      assert.ok(allowed.includes(row.set_id!), `${name}: package set ${row.set_id} is neither that of its last OK'd report nor of the one in flight`);
      assert.ok(
        row.report_count >= entry.oks.length && row.report_count <= entry.oks.length + (entry.inFlight ? 1 : 0),
        `${name}: ${row.report_count} reports counted for ${entry.oks.length} OKs${entry.inFlight ? ' and one in flight' : ''}`,
      );
      assert.ok(row.last_report_at >= last.sentAt, `${name}: last report ${row.last_report_at} is older than its last OK'd report (${last.sentAt})`);
      if (row.report_count > entry.oks.length) inFlightCommitted++;
      checked++;
    }
    assert.ok(checked >= CLIENTS, `${checked} hosts checked`);
    assert.equal(hosts.length <= log.size, true, 'no host that was never reported');
    if (check.dialect === 'sqlite') {
      const integrity = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(check.db);
      assert.deepEqual(
        integrity.rows.map((r) => r.integrity_check),
        ['ok'],
      );
    }
    // The restarted server takes reports again, for a host it knew before the crash.
    const again = roundOf(0).report(0);
    const res = await fetch(`${second.url}/feed/?protocol=5`, {
      method: 'POST',
      body: again.body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(await res.text(), 'OK\n');
    console.log(
      `# ${ok} reports answered OK from ${CLIENTS} clients before kill -9 (${inFlightAtKill} in flight, ` +
        `${inFlightCommitted} of those committed without an answer); ${checked} hosts checked after restart`,
    );
  } finally {
    await check.close();
  }
});
