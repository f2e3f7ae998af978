// vigil evaluate: one host's package list in (a Pakiti report, Vigil's JSON report, rpm -qa or
// dpkg-query -W output), its findings out (table, JSON or CSV), without a running server: against
// the feeds stored in the database, or against feed files named with --feed (nothing stored).
// Exit codes: 0, or --exit-code N when findings remain after the filters; 1 on any error.
import { existsSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { loadConfig } from '../../config/config.js';
import { compileFeed, createEvaluator, type Evaluator, type Finding } from '../../lib/evaluate/index.js';
import { identifyOs } from '../../lib/os-release/index.js';
import { PACKAGE_LIST_FORMATS, PACKAGE_LIST_LIMITS, parsePackageList, type PackageListFormat } from '../../lib/package-list/index.js';
import { explainNote, type Definition, type Severity } from '../../lib/vuln-model/index.js';
import { createDebianSourceOf, type SourceMaps } from '../../modules/patching/debian-sources.js';
import { ANYWHERE } from '../../modules/patching/feed-places.js';
import { readFeed, type FeedFormat } from '../../modules/patching/feed-source.js';
import { printJson, printTable } from '../output.js';
import { withConfigOption, withContext } from '../context.js';

const OUTPUTS = ['table', 'json', 'csv'] as const;
const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'negligible', 'unknown'];
const RELEASE_KEY = /^[a-z][a-z-]{1,30}:\d{1,4}(?:\.\d{1,4})?$/;
const DPKG_DISTROS = /^(?:debian|ubuntu|ubuntu-pro):/;

interface Options {
  config?: string;
  os?: string;
  kernel?: string;
  inputFormat?: string;
  format: string;
  feed: string[];
  index: string[];
  feedFormat?: string;
  release?: string;
  exitCode: string;
  ignoreUnfixed?: boolean;
  severity?: string;
}

/** Reads a file or stdin (`-`), refusing more than the package-list limit without buffering it. */
async function readInput(path: string): Promise<string> {
  const max = PACKAGE_LIST_LIMITS.maxBytes;
  const chunks: Buffer[] = [];
  let size = 0;
  const source =
    path === '-'
      ? process.stdin
      : (
          await open(path).catch(() => {
            throw new InvalidError(`${path}: no such file or not readable`);
          })
        ).createReadStream();
  for await (const chunk of source) {
    size += (chunk as Buffer).length;
    if (size > max) {
      source.destroy();
      throw new TooLargeError(`${path === '-' ? 'stdin' : path}: the package list is over ${max} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.includes('\ufffd')) throw new InvalidError(`${path === '-' ? 'stdin' : path}: not UTF-8 text`);
  return text;
}

/** The release key to evaluate as: --os (a key such as rocky:9, or a system line), else the report's system. */
function releaseOf(opts: Options, system: string | undefined, packager: 'rpm' | 'dpkg'): string {
  const given = opts.os?.trim();
  let key: string;
  if (given && RELEASE_KEY.test(given)) key = given;
  else if (given || system) {
    const os = identifyOs(given ?? system!, packager);
    if (!os.known) throw new InvalidError(`${given ? '--os' : 'the report'}: ${os.reason}; say which release with --os (e.g. --os rhel:9, --os debian:12)`);
    key = os.key;
  } else
    throw new InvalidError('the package list does not say which OS it is from: give --os (e.g. --os rhel:9, --os rocky:9, --os debian:12, --os ubuntu:22.04)');
  const wants = DPKG_DISTROS.test(key) ? 'dpkg' : 'rpm';
  if (wants !== packager) throw new InvalidError(`${key} uses ${wants}, but the package list is ${packager} output`);
  return key;
}

/** The feed format of a file: --feed-format, else its name (.xml → OVAL, .json or a directory → OSV). */
function feedFormatOf(path: string, given: string | undefined): FeedFormat {
  if (given) {
    if (!['oval', 'osv', 'csaf'].includes(given)) throw new InvalidError(`unknown feed format ${given}; use oval, osv or csaf`);
    return given as FeedFormat;
  }
  const name = path.replace(/\.(?:gz|bz2|xz)$/, '');
  if (name.endsWith('.xml')) return 'oval';
  if (name.endsWith('.json') || !/\.[a-z]+$/.test(name)) return 'osv';
  throw new InvalidError(`${path}: cannot tell the feed format from the name; give --feed-format oval|osv|csaf`);
}

/** Binary → source names from the Sources/Packages indexes given with --index, for `release`. */
async function indexesFromFiles(paths: string[], release: string): Promise<SourceMaps> {
  if (paths.length === 0) return new Map();
  if (!/^(debian|ubuntu):/.test(release)) throw new InvalidError(`--index is for Debian and Ubuntu hosts, not ${release}`);
  const names = new Map<string, string>();
  for (const path of paths)
    await readFeed({ format: 'debian-index', source: path, release }, ANYWHERE, async (read) => {
      const pairs = read.sourceMap?.pairs ?? [];
      if (pairs.length === 0) throw new InvalidError(`${path}: no binary → source names read (is it a Sources or Packages file?)`);
      for (const [binary, source] of pairs) if (!names.has(binary)) names.set(binary, source);
    });
  return new Map([[release, names]]);
}

/** An evaluator over feed files read now (nothing stored); Debian names through the indexes given, then the built-in rules. */
async function evaluatorFromFiles(opts: Options, os: string): Promise<Evaluator> {
  const definitions: Definition[] = [];
  for (const path of opts.feed) {
    const format = feedFormatOf(path, opts.feedFormat);
    if (format === 'oval' && !opts.release) throw new InvalidError(`${path}: an OVAL feed needs --release (e.g. rhel:9, debian:12, ubuntu:22.04)`);
    await readFeed({ format, source: path, release: opts.release }, ANYWHERE, async (read) => {
      if (read.definitionCount === 0) throw new InvalidError(`${path}: the feed yielded no definitions`);
      for (const page of read.pages(1000)) for (const d of page) definitions.push(JSON.parse(d.bodyJson) as Definition);
    });
  }
  return createEvaluator(compileFeed(definitions), { sourceOf: createDebianSourceOf(await indexesFromFiles(opts.index, os)) });
}

/** The evaluator the server would use now, from the feeds in the configured database (not migrated, not written). */
async function withStoredEvaluator<T>(opts: Options, use: (ev: Evaluator) => T): Promise<T> {
  const config = loadConfig({ file: opts.config });
  if (!config.databaseUrl && config.sqlitePath !== ':memory:' && !existsSync(config.sqlitePath))
    throw new InvalidError(`no database at ${config.sqlitePath}: import feeds first (vigil feeds import), or give feed files with --feed`);
  return withContext(
    opts,
    async ({ services }) => {
      const current = await services.evaluators.get().catch((err: unknown) => {
        throw new InvalidError(`cannot read the feeds from the database (${(err as Error).message.split('\n')[0]}): is it migrated (vigil migrate)?`);
      });
      if (current.definitions === 0) throw new InvalidError('the database holds no feed definitions: import a feed (vigil feeds import) or give --feed');
      return use(current.evaluator);
    },
    false,
  );
}

const csvCell = (v: string) => {
  // A cell a spreadsheet would take for a formula is quoted as text (package names come from the host).
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

const row = (f: Finding) => ({
  package: f.package,
  installed: f.installedVersion,
  arch: f.arch,
  fixed: f.fixedVersion ?? '',
  state: f.fixState,
  severity: f.severity,
  cves: f.cves.join(' '),
  advisory: f.advisoryId ?? f.definitionId,
});
const COLUMNS = ['package', 'installed', 'arch', 'fixed', 'state', 'severity', 'cves', 'advisory'] as const;

export function register(program: Command): void {
  withConfigOption(
    program
      .command('evaluate')
      .description('evaluate one host’s package list against the feeds (in the database, or files given with --feed), without a server')
      .argument('[file]', 'a Pakiti report, a vigil.report/1 JSON report, rpm -qa or dpkg-query -W output; - or nothing for stdin', '-'),
  )
    .option('--input-format <format>', `${PACKAGE_LIST_FORMATS.join(', ')} (default: recognised from the text)`)
    .option('--os <release>', 'the host’s release (rhel:9, rocky:9, debian:12, ubuntu:22.04) or its system line; default: from the report')
    .option('--kernel <uname-r>', 'the running kernel (default: from the report); without it every installed kernel is judged')
    .option(
      '--feed <file>',
      'an OVAL, OSV or CSAF feed file or directory to evaluate against instead of the database (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option(
      '--index <file>',
      'with --feed for a Debian or Ubuntu host: the release’s Sources or Packages index (binary → source names; .gz/.bz2/.xz; repeatable)',
      (v: string, all: string[]) => [...all, v],
      [],
    )
    .option('--feed-format <format>', 'oval, osv or csaf (default: from the file name)')
    .option('--release <release>', 'with an OVAL --feed: the release it covers (rhel:9, debian:12)')
    .option('--format <format>', 'table, json or csv', 'table')
    .option('--severity <list>', 'only findings of these severities (comma-separated: critical,high,medium,low,negligible,unknown)')
    .option('--ignore-unfixed', 'leave out findings with no fix available')
    .option('--exit-code <code>', 'exit with this code when findings remain (like Trivy)', '0')
    .action(async (file: string, opts: Options) => {
      if (!(OUTPUTS as readonly string[]).includes(opts.format)) throw new InvalidError(`unknown --format ${opts.format}; use table, json or csv`);
      if (opts.inputFormat && !(PACKAGE_LIST_FORMATS as readonly string[]).includes(opts.inputFormat))
        throw new InvalidError(`unknown --input-format ${opts.inputFormat}; use ${PACKAGE_LIST_FORMATS.join(', ')}`);
      if (!/^\d{1,3}$/.test(opts.exitCode) || Number(opts.exitCode) > 255) throw new InvalidError('--exit-code takes a number from 0 to 255');
      const severities = opts.severity?.split(',').map((s) => s.trim().toLowerCase());
      for (const s of severities ?? []) if (!SEVERITIES.includes(s as Severity)) throw new InvalidError(`unknown severity ${s}; use ${SEVERITIES.join(', ')}`);
      if (opts.release && opts.feed.length === 0) throw new InvalidError('--release goes with --feed (an OVAL file)');
      if (opts.index.length > 0 && opts.feed.length === 0) throw new InvalidError('--index goes with --feed (the database has its own debian-index feeds)');

      const list = parsePackageList(await readInput(file), opts.inputFormat as PackageListFormat | undefined);
      const os = releaseOf(opts, list.system, list.packager);
      const kernel = opts.kernel ?? list.kernel;
      const judge = (ev: Evaluator) => ev.evaluate({ os, packages: list.packages, ...(kernel ? { runningKernel: kernel } : {}) });
      const result = opts.feed.length > 0 ? judge(await evaluatorFromFiles(opts, os)) : await withStoredEvaluator(opts, judge);
      // No data for the release is no answer, not a clean host (issue 10, item 8).
      if (!result.feedRelease) throw new InvalidError(`no feed covers ${os}: nothing was evaluated`);
      const findings = result.findings.filter((f) => (!opts.ignoreUnfixed || f.fixAvailable) && (!severities || severities.includes(f.severity)));

      for (const w of list.warnings) process.stderr.write(`warning: ${w}\n`);
      if (opts.format === 'json') {
        printJson({ host: list.host ?? null, os, feedRelease: result.feedRelease, packages: list.packages.length, notes: result.notes, findings });
      } else if (opts.format === 'csv') {
        process.stdout.write(COLUMNS.join(',') + '\n');
        for (const f of findings) process.stdout.write(COLUMNS.map((c) => csvCell(row(f)[c])).join(',') + '\n');
      } else {
        if (findings.length > 0) printTable(findings.map(row), [...COLUMNS]);
        const cves = new Set(findings.flatMap((f) => f.cves)).size;
        process.stderr.write(`${list.packages.length} packages (${os}, data of ${result.feedRelease}): ${findings.length} findings, ${cves} CVEs\n`);
        for (const n of result.notes) process.stderr.write(`note: ${explainNote(n)}\n`);
      }
      if (findings.length > 0) process.exitCode = Number(opts.exitCode);
    });
}
