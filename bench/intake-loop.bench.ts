// Event-loop delay while large host reports are taken in (issue 9): a server in this process
// (SQLite file, Debian 12 OVAL loaded) receives 1 MB reports from a client in another process,
// one after the other, each a new host with a package set never seen (the costly path). The
// worst delay of this process's event loop is what any other request could have waited.
// Baseline: the same loop idle, and the time the same body takes to parse on the event loop
// (what every other request waited for before parsing moved to worker threads).
// Target: max delay during intake within a few ms of the idle loop.
// Env: BENCH_REPORTS (default 10 of each kind).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { buildApp } from '../src/server/app.js';
import { parseJsonReportBody, parseProtocol5Body } from '../src/server/parse-tasks.js';
import { testConfig } from '../test/support/app.js';
import { debianPool, drawList, protocol5, rng } from './support/reports.js';
import { admin, cliFeedImport, federation, fixture, openTarget, servicesFor, type Target } from './support/setup.js';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 10);
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-loop-'));
const target: Target = { kind: 'sqlite', path: join(dir, 'bench.db') };

const { siteNames, siteIds } = await federation(target, 1);
cliFeedImport(target, fixture('feeds/debian-12.oval.xml'), 'debian:12');
const handle = openTarget(target);
const services = servicesFor(handle);
const token = (await services.reporters.createToken(admin, siteIds[0]!, 'bench')).token;
const app = await buildApp(services, { ...testConfig, logLevel: 'warn' });
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

// Reports of ~1 MB: Debian 12 package names and versions, a different list on every host.
const { pool, origin } = debianPool();
const rand = rng(9);
const header = { site: siteNames[0]!, packager: 'dpkg' as const, system: 'Debian GNU/Linux 12', kernel: '6.1.0-18-amd64', arch: 'x86_64' };
const jsonReport = (i: number) =>
  Buffer.from(
    JSON.stringify({
      schema: 'vigil.report/1',
      ...header,
      host: `json${i}.bench.example.org`,
      agent: { name: 'vigil-agent', version: '1.0.0' },
      packages: drawList(pool, [], 15_000, rand),
    }),
  );
const p5Report = (i: number) => Buffer.from(protocol5({ ...header, host: `p5-${i}.bench.example.org` }, drawList(pool, [], 29_000, rand)));

/** Sends the files in order from another process, so that the client's work is not measured here. */
async function send(url: string, headers: Record<string, string>, files: string[]): Promise<string[]> {
  const client = `const fs = require('node:fs'); (async () => { const out = [];
    for (const f of ${JSON.stringify(files)}) { const r = await fetch(${JSON.stringify(url)}, { method: 'POST', headers: ${JSON.stringify(headers)}, body: fs.readFileSync(f) }); out.push(r.status + ' ' + (await r.text()).slice(0, 80)); }
    process.stdout.write(JSON.stringify(out)); })();`;
  return JSON.parse((await run(process.execPath, ['-e', client], { maxBuffer: 1 << 20 })).stdout) as string[];
}

const ms = (h: IntervalHistogram, f: (h: IntervalHistogram) => number) => (f(h) / 1e6).toFixed(1).padStart(6);
const row = (label: string, h: IntervalHistogram, extra = '') =>
  console.log(`${label.padEnd(38)} max ${ms(h, (x) => x.max)} ms  p99 ${ms(h, (x) => x.percentile(99))} ms  mean ${ms(h, (x) => x.mean)} ms${extra}`);

async function measure(fn: () => Promise<unknown>): Promise<IntervalHistogram> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await fn();
  h.disable();
  return h;
}

console.log(`${REPORTS} reports of each kind, packages from ${origin}`);
// Warm up: the parse workers start, the routes compile.
await send(`${base}/api/v1/reports`, { 'content-type': 'application/json', authorization: `Bearer ${token}` }, [
  (() => {
    const f = join(dir, 'warm.json');
    writeFileSync(f, jsonReport(-1));
    return f;
  })(),
]);

const idle = await measure(() => new Promise((r) => setTimeout(r, 2000)));
row('baseline  idle loop, 2 s', idle);

for (const kind of ['json', 'protocol 5'] as const) {
  const bodies = Array.from({ length: REPORTS }, (_, i) => (kind === 'json' ? jsonReport(i) : p5Report(i)));
  const files = bodies.map((b, i) => {
    const f = join(dir, `${kind === 'json' ? 'r' : 'p'}${i}`);
    writeFileSync(f, b);
    return f;
  });
  const mb = bodies.reduce((a, b) => a + b.length, 0) / bodies.length / 1e6;
  const start = performance.now();
  let answers: string[] = [];
  const h = await measure(async () => {
    answers =
      kind === 'json'
        ? await send(`${base}/api/v1/reports`, { 'content-type': 'application/json', authorization: `Bearer ${token}` }, files)
        : await send(`${base}/feed/`, { authorization: `Bearer ${token}` }, files);
  });
  const perReport = (performance.now() - start) / REPORTS;
  const ok = answers.filter((a) => a.startsWith('200')).length;
  row(`intake    ${kind}, ${mb.toFixed(2)} MB each`, h, `  (${ok}/${REPORTS} stored, ${perReport.toFixed(0)} ms per report)`);
  // What the loop would have been held for per report had the body been parsed on it.
  let inline = Infinity;
  for (const b of bodies.slice(0, 3)) {
    const t0 = performance.now();
    if (kind === 'json') parseJsonReportBody({ body: b, limits: {} });
    else parseProtocol5Body({ body: b, limits: {} });
    inline = Math.min(inline, performance.now() - t0);
  }
  console.log(`reference parse + set id of one body on the event loop: ${inline.toFixed(1)} ms (best of 3)`);
  if (ok !== REPORTS)
    console.log(
      `  unexpected answers: ${answers
        .filter((a) => !a.startsWith('200'))
        .slice(0, 3)
        .join(' | ')}`,
    );
}

await app.close();
await handle.close();
rmSync(dir, { recursive: true, force: true });
