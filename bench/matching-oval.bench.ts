// OVAL parsing throughput and peak memory on generated Red Hat style files of 10 MB and 100 MB
// (written to a temp dir at bench time, deleted after), then hostile inputs: each must fail
// cleanly, with a message, and with bounded memory.
//
// Each measurement runs in a fresh child process (this file with --measure), so that its peak
// RSS (the kernel's maxrss, not a sample) is its own and not the high-water mark of an earlier
// run. Measured: the path feed refreshes use (readFeed: two passes, tables in the temporary
// SQLite file, definitions spooled there and read back a page at a time as the store step
// does), beside two baselines from the same run: two passes with the in-memory table store
// (definitions counted, not kept), and saxes tokenising the whole file with empty handlers (the
// ceiling for one pass).
//
// Peak heap sampled during a run counts garbage not yet collected, and how much V8 lets pile up
// depends on how long it has been running, not on what is live; so each path is run a second
// time with a full GC every 250 ms, and the largest heap left after one is what the reader
// actually holds ("retained"). Whether memory grows with the file is judged on that; peak RSS
// is printed too, and judged between the two largest sizes when three are given (10 100 300).
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { OVAL_LIMITS, parseOval } from '../src/lib/oval/parse.js';
import { streamXml } from '../src/lib/xml/bounded-sax.js';
import { readFeed } from '../src/modules/patching/feed-source.js';
import { ANYWHERE } from '../src/modules/patching/feed-places.js';

const MB = 1024 * 1024;
type Mode = 'feed' | 'memory' | 'sax';
interface Figures {
  ms: number;
  heapMB: number;
  rssStartMB: number;
  rssPeakMB: number;
  retainedMB: number;
  definitions: number;
  ranges: number;
}

function definition(i: number): string {
  const id = 20240000 + i;
  const pkgs = ['openssl', 'openssl-libs', 'openssl-devel', 'openssl-perl'];
  const crit = pkgs
    .map(
      (p, k) =>
        `<criteria operator="AND"><criterion comment="${p} is earlier than 1:3.0.7-${i % 90}.el9" test_ref="oval:com.redhat.rhsa:tst:${id}${k}1"/><criterion comment="${p} is signed with Red Hat redhatrelease2 key" test_ref="oval:com.redhat.rhsa:tst:${id}${k}2"/></criteria>`,
    )
    .join('');
  return `<definition class="patch" id="oval:com.redhat.rhsa:def:${id}" version="637"><metadata><title>RHSA-2024:${i}: openssl security update (Moderate)</title><affected family="unix"><platform>Red Hat Enterprise Linux 9</platform></affected><reference ref_id="RHSA-2024:${i}" ref_url="https://access.redhat.com/errata/RHSA-2024:${i}" source="RHSA"/><reference ref_id="CVE-2024-${i}" ref_url="https://access.redhat.com/security/cve/CVE-2024-${i}" source="CVE"/><description>${'OpenSSL is a toolkit that implements the Secure Sockets Layer (SSL) and Transport Layer Security (TLS) protocols. '.repeat(12)}</description><advisory from="secalert@redhat.com"><severity>Moderate</severity><cve href="https://access.redhat.com/security/cve/CVE-2024-${i}" impact="moderate" public="20240101">CVE-2024-${i}</cve></advisory></metadata><criteria operator="OR"><criterion comment="Red Hat Enterprise Linux must be installed" test_ref="oval:com.redhat.rhba:tst:20221728001"/><criteria operator="AND"><criteria operator="OR">${crit}</criteria></criteria></criteria></definition>\n`;
}
function tests(i: number): string {
  const id = 20240000 + i;
  return [0, 1, 2, 3]
    .map(
      (k) =>
        `<red-def:rpminfo_test check="at least one" comment="pkg is earlier" id="oval:com.redhat.rhsa:tst:${id}${k}1" version="637"><red-def:object object_ref="oval:com.redhat.rhsa:obj:${id}${k}"/><red-def:state state_ref="oval:com.redhat.rhsa:ste:${id}${k}"/></red-def:rpminfo_test><red-def:rpminfo_test check="at least one" comment="pkg is signed" id="oval:com.redhat.rhsa:tst:${id}${k}2" version="637"><red-def:object object_ref="oval:com.redhat.rhsa:obj:${id}${k}"/><red-def:state state_ref="oval:com.redhat.rhba:ste:20221728003"/></red-def:rpminfo_test>\n`,
    )
    .join('');
}
function objectsAndStates(i: number): [string, string] {
  const id = 20240000 + i;
  const names = ['openssl', 'openssl-libs', 'openssl-devel', 'openssl-perl'];
  return [
    names
      .map(
        (n, k) => `<red-def:rpminfo_object id="oval:com.redhat.rhsa:obj:${id}${k}" version="637"><red-def:name>${n}</red-def:name></red-def:rpminfo_object>\n`,
      )
      .join(''),
    names
      .map(
        (_, k) =>
          `<red-def:rpminfo_state id="oval:com.redhat.rhsa:ste:${id}${k}" version="637"><red-def:arch datatype="string" operation="pattern match">aarch64|ppc64le|s390x|x86_64</red-def:arch><red-def:evr datatype="evr_string" operation="less than">1:3.0.7-${i % 90}.el9</red-def:evr></red-def:rpminfo_state>\n`,
      )
      .join(''),
  ];
}

async function generate(path: string, targetBytes: number): Promise<number> {
  const perDef = definition(1).length + tests(1).length + objectsAndStates(1).join('').length;
  const n = Math.ceil(targetBytes / perDef);
  const out = createWriteStream(path);
  const write = async (s: string) => {
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(
    '<?xml version="1.0" encoding="utf-8"?>\n<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:red-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux"><definitions>\n',
  );
  for (let i = 0; i < n; i++) await write(definition(i));
  await write('</definitions><tests>\n');
  for (let i = 0; i < n; i++) await write(tests(i));
  await write('</tests><objects>\n');
  for (let i = 0; i < n; i++) await write(objectsAndStates(i)[0]);
  await write(
    '</objects><states><red-def:rpminfo_state id="oval:com.redhat.rhba:ste:20221728003" version="637"><red-def:signature_keyid operation="equals">199e2f91fd431d51</red-def:signature_keyid></red-def:rpminfo_state>\n',
  );
  for (let i = 0; i < n; i++) await write(objectsAndStates(i)[1]);
  await write('</states></oval_definitions>\n');
  out.end();
  await once(out, 'finish');
  return n;
}

let heap = 0;
let rss = 0;
/** Records current heap and RSS; called by a timer and by the input generators themselves. */
function sample(): void {
  const m = process.memoryUsage();
  heap = Math.max(heap, m.heapUsed);
  rss = Math.max(rss, m.rss);
}
/** Yields `count` copies of `chunk` after `head`, sampling memory every 16 chunks. */
function* chunks(head: string, chunk: Buffer | string, count: number): Generator<Buffer | string> {
  yield head;
  for (let i = 0; i < count; i++) {
    if (i % 16 === 0) sample();
    yield chunk;
  }
}

/** Runs `fn`, sampling heap and RSS; reports their peaks above the starting point. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T | Error; ms: number; heapMB: number; rssMB: number }> {
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage().rss;
  heap = heap0;
  rss = rss0;
  const timer = setInterval(sample, 20);
  const t0 = process.hrtime.bigint();
  let value: T | Error;
  try {
    value = await fn();
  } catch (err) {
    value = err as Error;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  clearInterval(timer);
  sample();
  return { value, ms, heapMB: (heap - heap0) / MB, rssMB: (rss - rss0) / MB };
}

/** Child process: one measurement of `mode` on `path`, printed as JSON; with `retained`, a full GC every 250 ms. */
async function child(mode: Mode, path: string, retained: boolean): Promise<void> {
  // 64 KiB chunks, as feed-source reads (a larger chunk decodes to a string in large-object space).
  const open = () => createReadStream(path);
  let definitions = 0;
  let ranges = 0;
  globalThis.gc?.();
  const rssStart = process.memoryUsage().rss;
  const heapStart = process.memoryUsage().heapUsed;
  let heapAfterGc = heapStart;
  const collector = retained
    ? setInterval(() => {
        globalThis.gc?.();
        heapAfterGc = Math.max(heapAfterGc, process.memoryUsage().heapUsed);
      }, 250)
    : undefined;
  const r = await measure(async () => {
    if (mode === 'feed') {
      await readFeed({ format: 'oval', source: path, release: 'rhel:9' }, ANYWHERE, async (read) => {
        for (const page of read.pages(500)) {
          definitions += page.length;
          sample();
        }
        ranges = read.stats.affected;
      });
    } else if (mode === 'memory') {
      await parseOval(open, {
        release: 'rhel:9',
        onDefinition: (d) => {
          definitions++;
          ranges += d.affected.length;
        },
      });
    } else {
      await streamXml(open(), OVAL_LIMITS, { open() {}, close() {}, text() {} }, { label: 'feed XML', localNames: true });
    }
  });
  clearInterval(collector);
  if (r.value instanceof Error) throw r.value;
  const figures: Figures = {
    ms: r.ms,
    heapMB: r.heapMB,
    rssStartMB: rssStart / MB,
    rssPeakMB: (process.resourceUsage().maxRSS * 1024) / MB,
    retainedMB: (heapAfterGc - heapStart) / MB,
    definitions,
    ranges,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

function inChild(mode: Mode, path: string, retained = false): Figures {
  const args = ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--measure', mode, path, ...(retained ? ['--retained'] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`measuring ${mode} on ${path} failed (exit ${r.status})`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '') as Figures;
}

/** File sizes in MB: 10 and 100 unless given (`… matching-oval.bench.ts 10 100 300`). */
async function main(sizes: number[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-oval-bench-'));
  try {
    const feed: Record<number, Figures> = {};
    for (const size of sizes) {
      const path = join(dir, `rhel-${size}mb.oval.xml`);
      const n = await generate(path, size * MB);
      const mb = statSync(path).size / MB;
      const line = (label: string, f: Figures, kept?: Figures) =>
        `  ${label}: ${(mb / (f.ms / 1000)).toFixed(1)} MB/s (${(f.ms / 1000).toFixed(1)} s), ` +
        `peak RSS ${f.rssPeakMB.toFixed(0)} MB (+${(f.rssPeakMB - f.rssStartMB).toFixed(0)} MB over the process at start), peak heap +${f.heapMB.toFixed(0)} MB` +
        (kept ? `, retained heap +${kept.retainedMB.toFixed(1)} MB` : '');
      const [disk, memory, sax] = [inChild('feed', path), inChild('memory', path), inChild('sax', path)];
      const [diskKept, memoryKept] = [inChild('feed', path, true), inChild('memory', path, true)];
      feed[size] = { ...disk, retainedMB: diskKept.retainedMB };
      const same = disk.definitions === memory.definitions && disk.ranges === memory.ranges && disk.definitions === n;
      console.log(`OVAL ${mb.toFixed(0)} MB (${n} definitions):`);
      console.log(
        `${line('feed refresh path (two passes, disk store, spooled, paged)', disk, diskKept)}; ${disk.definitions} definitions, ${disk.ranges} ranges`,
      );
      console.log(`${line('baseline: two passes, in-memory store, counted', memory, memoryKept)}; same definitions and ranges: ${same ? 'yes' : 'NO'}`);
      console.log(line('baseline: saxes tokenising only, one pass', sax));
      rmSync(path);
    }
    const runs = sizes.map((size) => ({ size, f: feed[size]! }));
    const [small, large] = [runs[0]!, runs[runs.length - 1]!];
    const rssGrowth = (f: Figures) => f.rssPeakMB - f.rssStartMB;
    // Within noise is not growth with the file: 2 MB retained, 16 MB RSS (GC timing, allocator), or 25%.
    const grew = (a: number, b: number, slack: number) => b - a > Math.max(slack, 0.25 * a);
    const verdict = (g: boolean) => (g ? 'GREW' : 'did not grow');
    const each = (figure: (f: Figures) => number) => runs.map((r) => `+${figure(r.f).toFixed(0)}`).join(' → ');
    console.log(
      `feed refresh path, ${small.size} MB → ${large.size} MB: retained heap ${verdict(grew(small.f.retainedMB, large.f.retainedMB, 2))} ` +
        `(${runs.map((r) => `+${r.f.retainedMB.toFixed(1)}`).join(' → ')} MB)`,
    );
    // Peaks count garbage V8 has not collected yet; it lets that reach a limit set from the live
    // heap, and a short run ends before getting there. Levelling off shows between larger sizes.
    const [before, last] = [runs[runs.length - 2], runs[runs.length - 1]!];
    console.log(
      `  peak RSS ${each(rssGrowth)} MB, peak heap ${each((f) => f.heapMB)} MB (with uncollected garbage)` +
        (runs.length >= 3 && before
          ? `; from ${before.size} to ${last.size} MB peak RSS ${verdict(grew(rssGrowth(before.f), rssGrowth(last.f), 16))}`
          : '; pass sizes 10 100 300 to see whether they level off'),
    );

    const hostile: Array<[string, () => Promise<unknown>]> = [
      [
        'entity expansion (billion laughs)',
        () =>
          parseOval(
            '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><oval_definitions>&c;</oval_definitions>',
            { release: 'rhel:9' },
          ),
      ],
      [
        'external entity',
        () =>
          parseOval('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><oval_definitions>&x;</oval_definitions>', {
            release: 'rhel:9',
          }),
      ],
      [
        'criteria nested 1,000,000 deep',
        () =>
          parseOval(chunks('<oval_definitions><definitions><definition id="x" class="patch"><criteria>', '<criteria>'.repeat(1000), 1000), {
            release: 'rhel:9',
          }),
      ],
      [
        '1.1 GB stream of definitions',
        () =>
          parseOval(
            chunks(
              '<oval_definitions><definitions>',
              Buffer.from(`<definition id="x" class="patch"><metadata><description>${'a'.repeat(1_000_000)}</description></metadata></definition>`),
              1100,
            ),
            { release: 'rhel:9' },
          ),
      ],
      [
        '1 GB single text node',
        () =>
          parseOval(chunks('<oval_definitions><definitions><definition id="x"><metadata><description>', Buffer.alloc(MB, 'a'), 1024), { release: 'rhel:9' }),
      ],
      [
        'invalid UTF-8',
        () =>
          parseOval(
            [Buffer.from('<oval_definitions><definitions><definition id="'), Buffer.from([0xff, 0xfe]), Buffer.from('"/></definitions></oval_definitions>')],
            { release: 'rhel:9' },
          ),
      ],
    ];
    for (const [label, run] of hostile) {
      const r = await measure(run);
      const outcome = r.value instanceof Error ? `fails cleanly: ${r.value.constructor.name}: ${r.value.message}` : 'ACCEPTED (unexpected)';
      console.log(
        `hostile ${label}: ${outcome} — after ${(r.ms / 1000).toFixed(2)} s, peak heap +${r.heapMB.toFixed(0)} MB, peak RSS +${r.rssMB.toFixed(0)} MB`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--measure');
if (at >= 0) await child(process.argv[at + 1] as Mode, process.argv[at + 2] ?? '', process.argv.includes('--retained'));
else {
  const sizes = process.argv
    .slice(2)
    .map(Number)
    .filter((n) => n > 0);
  await main(sizes.length > 0 ? sizes : [10, 100]);
}
