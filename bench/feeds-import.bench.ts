// Full-size feed imports and `vigil evaluate` (issue 10, "Must show").
//
// 1. A Red Hat 9 OVAL v2 file and a Debian 12 OVAL file generated at their real scale
//    (bench/support/oval-feeds.ts; 14,000 and 35,000 definitions unless given:
//    `… feeds-import.bench.ts 14000 35000`), each imported through the real refresh path
//    (`FeedService.importFrom`: two passes, disk spool, one replacing transaction fed 500 rows
//    at a time) into a fresh SQLite file, in a child process of its own so that its peak RSS
//    (the kernel's maxrss) is the import's alone. Beside it, the longest time the import held
//    SQLite's write lock, seen from a second connection probing `begin immediate` every 5 ms
//    (what a server beside it would wait), and the baseline from the same run: saxes tokenising
//    the same file with empty handlers, one pass.
// 2. `vigil evaluate` of a 1,500-package list (rpm for Rocky 9, dpkg for Debian 12) against each
//    imported database, as a user runs it (a new process: start, load and compile the feed,
//    evaluate, print), best of 3; baseline: the in-process evaluator on the same list, compiled
//    once (the server's cost per new host).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { OVAL_LIMITS } from '../src/lib/oval/parse.js';
import { streamXml } from '../src/lib/xml/bounded-sax.js';
import { migrateToLatest, openDatabase } from '../src/db/database.js';
import { createServices } from '../src/server/services.js';
import { loadAuditKeys } from '../src/core/audit-keys.js';
import { systemActor } from '../src/core/access.js';
import { parsePackageList } from '../src/lib/package-list/index.js';
import { writeDebianOval, writeRhelOval } from './support/oval-feeds.js';
import { population } from './support/reports.js';

const MB = 1024 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const self = fileURLToPath(import.meta.url);
// Tries `begin immediate` (no waiting) every 5 ms; answers the longest run of refusals when told to stop.
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(${JSON.stringify(join(root, 'node_modules/better-sqlite3'))});
const db = new Database(workerData.dbPath);
db.pragma('busy_timeout = 0');
const nap = new Int32Array(new SharedArrayBuffer(4));
let since, max = 0;
parentPort.postMessage('ready');
let stop = false;
parentPort.on('message', () => { stop = true; });
(function loop() {
  for (let i = 0; i < 100 && !stop; i++) {
    try { db.exec('begin immediate'); db.exec('rollback'); if (since !== undefined) max = Math.max(max, performance.now() - since); since = undefined; }
    catch { since ??= performance.now(); }
    Atomics.wait(nap, 0, 0, 5);
  }
  if (stop) { db.close(); parentPort.postMessage(max); return; }
  setImmediate(loop);
})();
`;

interface Figures {
  ms: number;
  rssStartMB: number;
  rssPeakMB: number;
  heapPeakMB: number;
  lockMaxMs?: number;
  definitions?: number;
  cves?: number;
  evaluateMs?: number;
  /** The first evaluation, before any verdict is cached. */
  firstMs?: number;
  compileMs?: number;
  findings?: number;
}

async function measureChild(args: string[]): Promise<void> {
  const [mode, path, release, dbPath] = args as [string, string, string, string];
  globalThis.gc?.();
  const rssStart = process.memoryUsage().rss;
  let heapPeak = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  const t0 = performance.now();
  const out: Partial<Figures> = {};
  if (mode === 'sax') {
    await streamXml(createReadStream(path), OVAL_LIMITS, { open() {}, close() {}, text() {} }, { label: 'feed XML', localNames: true });
  } else if (mode === 'import') {
    const handle = openDatabase({ sqlitePath: dbPath });
    await migrateToLatest(handle);
    const s = createServices(handle, {
      sessionTtlHours: 1,
      loginMaxFailures: 5,
      loginWindowMinutes: 15,
      auditKeys: loadAuditKeys({ sqlitePath: dbPath, auditKeyDir: join(dbPath, '..') }, () => {}),
    });
    // A second connection, in a thread of its own, as the server would be: how long does it wait for the write lock?
    const prober = new Worker(PROBE, { eval: true, workerData: { dbPath } });
    await new Promise((resolve, reject) => {
      prober.once('message', resolve);
      prober.once('error', reject);
    });
    const t1 = performance.now();
    const feed = await s.feeds.importFrom(systemActor('bench'), { format: 'oval', source: path, release, name: release });
    out.ms = performance.now() - t1;
    prober.postMessage('stop');
    const lockMax = (await new Promise((r) => prober.once('message', r))) as number;
    await prober.terminate();
    await handle.close();
    Object.assign(out, { lockMaxMs: lockMax, definitions: feed.definitionCount, cves: feed.cveCount });
  } else if (mode === 'inproc') {
    // The evaluator the server compiles from the stored feed, then one host's list through it.
    const handle = openDatabase({ sqlitePath: dbPath });
    const s = createServices(handle, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 });
    const { readFileSync } = await import('node:fs');
    const tc = performance.now();
    const { evaluator } = await s.evaluators.get();
    out.compileMs = performance.now() - tc;
    const list = parsePackageList(readFileSync(path, 'utf8'));
    let best = Infinity;
    let findings = 0;
    for (let i = 0; i < 5; i++) {
      // A fresh list object and id each time: no reuse of the previous run's result.
      const te = performance.now();
      findings = evaluator.evaluate({ os: release, packages: list.packages.map((p) => ({ ...p })), packageSetId: `bench-${i}` }).findings.length;
      const ms = performance.now() - te;
      if (i === 0) out.firstMs = ms;
      best = Math.min(best, ms);
    }
    out.evaluateMs = best;
    out.findings = findings;
    await handle.close();
  }
  clearInterval(sampler);
  const figures: Figures = {
    ms: out.ms ?? performance.now() - t0,
    rssStartMB: rssStart / MB,
    rssPeakMB: (process.resourceUsage().maxRSS * 1024) / MB,
    heapPeakMB: heapPeak / MB,
    ...out,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function inChild(args: string[]): Figures {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--measure', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) throw new Error(`measuring ${args.join(' ')} failed (exit ${r.status})`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Figures;
}

function cliEvaluate(dbPath: string, list: string, os: string): { ms: number; findings: number } {
  let best = Infinity;
  let findings = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'evaluate', list, '--os', os, '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 256 * MB,
      env: { ...process.env, VIGIL_SQLITE_PATH: dbPath, VIGIL_DATABASE_URL: '', VIGIL_AUDIT_KEY_DIR: join(dbPath, '..'), VIGIL_LOG_LEVEL: 'silent' },
    });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`vigil evaluate failed (exit ${r.status}): ${r.stderr}`);
    findings = (JSON.parse(r.stdout) as { findings: unknown[] }).findings.length;
    best = Math.min(best, ms);
  }
  return { ms: best, findings };
}

async function main(rhelDefs: number, debianDefs: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-feeds-bench-'));
  try {
    const hosts = population({ site: 'BENCH', prefix: 'bench', scenario: 'distinct', seed: 3, packages: 1500 });
    const cases = [
      {
        label: 'Red Hat 9 OVAL v2',
        release: 'rhel:9',
        os: 'rocky:9',
        defs: rhelDefs,
        write: writeRhelOval,
        host: hosts.report(0),
        line: (p: { name: string; version: string; arch: string }) => `${p.name} ${p.version} ${p.arch}`,
      },
      {
        label: 'Debian 12 OVAL',
        release: 'debian:12',
        os: 'debian:12',
        defs: debianDefs,
        write: writeDebianOval,
        host: hosts.report(1),
        line: (p: { name: string; version: string; arch: string }) => `${p.name}\t${p.version}\t${p.arch}`,
      },
    ];
    for (const c of cases) {
      const path = join(dir, `${c.release.replace(':', '-')}.oval.xml`);
      const dbDir = mkdtempSync(join(dir, 'db-'));
      const dbPath = join(dbDir, 'vigil.db');
      await c.write(path, c.defs);
      const mb = statSync(path).size / MB;
      const imp = inChild(['import', path, c.release, dbPath]);
      const sax = inChild(['sax', path, c.release, dbPath]);
      console.log(`${c.label}: ${mb.toFixed(0)} MB, ${c.defs} definitions (generated)`);
      console.log(
        `  import through the feed refresh path into SQLite: ${(imp.ms / 1000).toFixed(1)} s (${(mb / (imp.ms / 1000)).toFixed(1)} MB/s), ` +
          `peak RSS ${imp.rssPeakMB.toFixed(0)} MB (process at start ${imp.rssStartMB.toFixed(0)} MB), peak heap ${imp.heapPeakMB.toFixed(0)} MB; ` +
          `${imp.definitions} definitions, ${imp.cves} CVEs stored; write lock held at most ${imp.lockMaxMs!.toFixed(0)} ms at a time`,
      );
      console.log(
        `  baseline: saxes tokenising the same file, one pass: ${(sax.ms / 1000).toFixed(1)} s (${(mb / (sax.ms / 1000)).toFixed(1)} MB/s), peak RSS ${sax.rssPeakMB.toFixed(0)} MB`,
      );
      rmSync(path);
      const list = join(dir, `${c.release.replace(':', '-')}-host.txt`);
      writeFileSync(list, c.host.packages.map(c.line).join('\n') + '\n');
      const cli = cliEvaluate(dbPath, list, c.os);
      const inproc = inChild(['inproc', list, c.os, dbPath]);
      console.log(
        `  vigil evaluate, ${c.host.packages.length}-package list against this database: ${(cli.ms / 1000).toFixed(2)} s per host (best of 3, a new process each: start, load, compile, evaluate), ${cli.findings} findings`,
      );
      console.log(
        `  baseline: the in-process evaluator on the same list: ${inproc.firstMs!.toFixed(1)} ms the first time, ${inproc.evaluateMs!.toFixed(1)} ms with its verdicts cached (best of 5), after compiling the stored feed once in ${(inproc.compileMs! / 1000).toFixed(2)} s; ${inproc.findings} findings`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const argv = process.argv.slice(2);
if (argv[0] === '--measure') await measureChild(argv.slice(1));
else await main(Number(argv[0] ?? 14_000), Number(argv[1] ?? 35_000));
