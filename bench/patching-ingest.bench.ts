// Report intake over HTTP: a real `vigil serve` process (SQLite file, then PostgreSQL when
// reachable) takes protocol-5 reports of ~1,500 packages from autocannon running in another
// process (bench/support/load.ts), one report per new host name:
//   (a) realistic mix: 70 % of hosts send one of 6 images' lists unchanged, the rest the image
//       with 1-20 packages changed (each a list no other host has);
//   (b) baseline: the same reports again, for the same hosts (nothing changed: the fast path);
//   (c) fully distinct lists (every report a package set never seen).
// Targets (issue 5): SQLite (a) >= 1,000 reports/s and p99 < 100 ms; (c) >= 200 reports/s.
// Every run is bounded by its report count and by MAX_SECONDS; everything is on loopback.
// Env: BENCH_CONNECTIONS (default 8), BENCH_MIX (3000), BENCH_DISTINCT (1000), BENCH_MAX_SECONDS (30 per run).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type ServerProcess } from '../test/support/server-process.js';
import { debianPool } from './support/reports.js';
import type { LoadParams, LoadResult } from './support/load.js';
import { cliFeedImport, federation, fixture, freshPgSchema, openTarget, root, targetEnv, type Target } from './support/setup.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const MIX = Number(process.env.BENCH_MIX ?? 3000);
const DISTINCT = Number(process.env.BENCH_DISTINCT ?? 1000);
const WARMUP = 100;
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 30);

function runLoad(p: Omit<LoadParams, 'connections' | 'maxSeconds'>): Promise<LoadResult> {
  const params: LoadParams = { ...p, connections: CONNECTIONS, maxSeconds: MAX_SECONDS };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/support/load.ts', JSON.stringify(params)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const kill = setTimeout(() => child.kill('SIGKILL'), (MAX_SECONDS + 120) * 1000);
    child.on('exit', (code) => {
      clearTimeout(kill);
      const line = out.trim().split('\n').pop();
      if (code !== 0 || !line) return reject(new Error(`load generator exited with ${code}: ${out}`));
      resolve(JSON.parse(line) as LoadResult);
    });
  });
}

/** CPU seconds (user + system) the server process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const f0 = (n: number) => n.toFixed(0);
function line(label: string, r: LoadResult, cpu: number, extra = '') {
  const bad = r.notOk + r.errors + r.timeouts > 0 ? `  NOT OK ${r.notOk}, errors ${r.errors}, timeouts ${r.timeouts}` : '';
  const cut = r.stopped ? `  (stopped at ${MAX_SECONDS} s)` : '';
  console.log(
    `${label.padEnd(44)} ${String(r.ok).padStart(5)} OK in ${r.seconds.toFixed(1).padStart(5)} s  ${f0(r.perSecond).padStart(5)} reports/s` +
      `  p50 ${f0(r.latency.p50).padStart(4)} ms  p99 ${f0(r.latency.p99).padStart(4)} ms  server CPU ${((cpu * 1000) / Math.max(r.ok, 1)).toFixed(2)} ms/report${extra}${bad}${cut}`,
  );
}

async function bench(label: string, target: Target, withDistinct: boolean) {
  const { siteNames } = await federation(target, 1);
  const site = siteNames[0]!;
  cliFeedImport(target, fixture('feeds/rhel-9.oval.xml'), 'rhel:9');
  cliFeedImport(target, fixture('feeds/debian-12.oval.xml'), 'debian:12');
  let server: ServerProcess | undefined;
  try {
    server = await startServer({ ...targetEnv(target), VIGIL_DEMO: 'false', VIGIL_LOG_LEVEL: 'error' });
    const pid = server.child.pid!;
    const measure = async (p: Omit<LoadParams, 'connections' | 'maxSeconds' | 'url' | 'site'>) => {
      const before = cpuSeconds(pid);
      const r = await runLoad({ ...p, url: server!.url, site });
      return { r, cpu: cpuSeconds(pid) - before };
    };
    // Warm-up (JIT, evaluator compile, the images' package sets stored once, as in production).
    await measure({ prefix: 'warm', scenario: 'mix', seed: 9, count: WARMUP });

    const mix = await measure({ prefix: 'h', scenario: 'mix', seed: 1, count: MIX });
    // The same reports again, for the hosts (a) surely stored: when (a) was cut at MAX_SECONDS,
    // only its first OK'd reports (less those possibly still in flight) are repeated.
    const base = await measure({ prefix: 'h', scenario: 'mix', seed: 1, count: Math.max(1, mix.r.ok - (mix.r.stopped ? CONNECTIONS : 0)) });
    line(`${label} (b) baseline: same reports, unchanged`, base.r, base.cpu);
    const meets = label === 'sqlite' ? `  ${mix.r.perSecond >= 1000 && mix.r.latency.p99 < 100 ? 'meets' : 'MISSES'} >= 1000/s & p99 < 100 ms` : '';
    line(`${label} (a) realistic mix, first reports`, mix.r, mix.cpu, `  ${(mix.r.perSecond / base.r.perSecond).toFixed(2)}x baseline${meets}`);
    if (withDistinct) {
      const d = await measure({ prefix: 'd', scenario: 'distinct', seed: 2, count: DISTINCT });
      const meetsD = label === 'sqlite' ? `  ${d.r.perSecond >= 200 ? 'meets' : 'MISSES'} >= 200/s` : '';
      line(`${label} (c) fully distinct lists`, d.r, d.cpu, `  ${(d.r.perSecond / base.r.perSecond).toFixed(2)}x baseline${meetsD}`);
    }
  } finally {
    await server?.stop();
  }
  // What the server stored: every OK'd first report is a host; sets are shared.
  const h = openTarget(target, 2);
  const hosts = await h.db
    .selectFrom('host')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const sets = await h.db
    .selectFrom('package_set')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const findings = await h.db
    .selectFrom('host_finding')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  console.log(`${label.padEnd(9)}stored: ${hosts.n} hosts, ${sets.n} package sets (one row each), ${findings.n} host findings`);
  await h.close();
}

console.log(
  `reports: ~1,500 packages each (dpkg from the ${debianPool().origin}; rpm EL9-shaped), ${CONNECTIONS} connections, ` +
    `autocannon in a separate process; ${WARMUP} warm-up reports first; mix ${MIX}, distinct ${DISTINCT} reports`,
);

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-ingest-'));
try {
  await bench('sqlite', { kind: 'sqlite', path: join(dir, 'ingest.db') }, true);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pgTarget = await freshPgSchema('bench_ingest');
if ('skipped' in pgTarget) {
  console.log(`postgres skipped: ${pgTarget.skipped}`);
} else {
  try {
    await bench('postgres', pgTarget.target, true);
  } finally {
    await pgTarget.drop();
  }
}
