// vigil feeds add|import|list|refresh: vulnerability feeds (and Debian/Ubuntu package indexes) for patch monitoring.
// The operator runs this on the server machine, holding its configuration and database: a source
// named here may be any path or URL, unlike one registered over the API, which must lie in the
// configured feedDirectories or under feedUrlPrefixes (docs/patching.md, "Where feeds are read from").
import type { Command } from 'commander';
import { InvalidError } from '../../core/errors.js';
import { systemActor } from '../../core/access.js';
import { reevaluateStale } from '../../modules/patching/evaluation.js';
import type { FeedFormat } from '../../modules/patching/feed-source.js';
import { MISSING_INDEX } from '../../modules/patching/index-coverage.js';
import { printJson, printTable } from '../output.js';
import { withConfigOption, withContext, type CliContext } from '../context.js';

const FORMATS = ['oval', 'osv', 'csaf', 'debian-index'];
const format = (f: string): FeedFormat => {
  if (!FORMATS.includes(f)) throw new InvalidError(`unknown format ${f}; use oval, osv, csaf or debian-index`);
  return f as FeedFormat;
};
/** What a refresh read: definitions, or an index's binary → source names. */
const summary = (f: { format: string; definitionCount: number; cveCount: number; mappingCount: number }) =>
  f.format === 'debian-index' ? `${f.mappingCount} binary → source mappings` : `${f.definitionCount} definitions, ${f.cveCount} CVEs`;

/** A refresh whose status is `warning` (e.g. no CVEs) says so loudly; its other warnings follow. */
function printWarnings(f: { name: string; lastStatus: string; warnings: string[] }) {
  if (f.lastStatus === 'warning') process.stderr.write(`vigil: WARNING: ${f.name} was stored but looks broken: ${f.warnings[0]}\n`);
  for (const w of f.warnings.slice(f.lastStatus === 'warning' ? 1 : 0)) process.stderr.write(`warning: ${w}\n`);
}

/** Re-evaluates hosts now (the server does it in the background after a refresh). */
async function reevaluate(ctx: CliContext) {
  const s = ctx.services;
  return reevaluateStale(
    s.dbHandle.db,
    s.evaluators,
    () => s.clock.now().toISOString(),
    async () => undefined,
  );
}

export function register(program: Command): void {
  const feeds = program.command('feeds').description('vulnerability feeds (OVAL, OSV, CSAF VEX) and Debian/Ubuntu package indexes');
  const actor = systemActor('cli feeds');

  withConfigOption(
    feeds
      .command('add')
      .description('register a feed; refreshed on its schedule by the server')
      .argument('<name>', 'a name, e.g. rhel-9-oval')
      .argument('<source>', 'file, directory or URL (.gz, .bz2, .xz are decompressed)'),
  )
    .requiredOption('--format <format>', 'oval, osv, csaf or debian-index (a Sources or Packages index)')
    .option('--release <release>', 'OVAL and debian-index: the release the file covers (rhel:9, almalinux:9, debian:12, ubuntu:22.04)')
    .option('--refresh-hours <hours>', 'refresh interval (0: never)', '24')
    .option('--json', 'print the feed as JSON')
    .action(async (name: string, source: string, opts: { config?: string; format: string; release?: string; refreshHours: string; json?: boolean }) => {
      const feed = await withContext(opts, ({ services }) =>
        services.feeds.add(
          actor,
          { name, source, format: format(opts.format), release: opts.release, refreshHours: Number(opts.refreshHours) },
          { operator: true },
        ),
      );
      if (opts.json) return printJson(feed);
      process.stderr.write(`feed ${feed.name} added; run vigil feeds refresh ${feed.name} to read it now\n`);
    });

  withConfigOption(
    feeds.command('import').description('read a feed now (adding it if new) and re-evaluate the hosts').argument('<source>', 'file, directory or URL'),
  )
    .requiredOption('--format <format>', 'oval, osv, csaf or debian-index')
    .option('--release <release>', 'OVAL and debian-index: the release the file covers')
    .option('--name <name>', 'feed name (default: from the source)')
    .option('--json', 'print the feed as JSON')
    .action(async (source: string, opts: { config?: string; format: string; release?: string; name?: string; json?: boolean }) => {
      const { feed, done } = await withContext(opts, async (ctx) => {
        const f = await ctx.services.feeds.importFrom(actor, {
          format: format(opts.format),
          source,
          release: opts.release,
          ...(opts.name ? { name: opts.name } : {}),
        });
        return { feed: f, done: await reevaluate(ctx) };
      });
      if (opts.json) return printJson({ ...feed, reevaluated: done });
      process.stderr.write(`${feed.name}: ${summary(feed)}; re-evaluated ${done.hosts} hosts\n`);
      printWarnings(feed);
    });

  withConfigOption(feeds.command('list').description('feeds and their status'))
    .option('--json', 'print as JSON')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const list = await withContext(opts, ({ services }) => services.feeds.list());
      if (opts.json) return printJson(list);
      printTable(
        list.map((f) => ({ ...f, warnings: f.warnings.length })),
        ['name', 'format', 'release', 'lastStatus', 'lastRefreshAt', 'definitionCount', 'cveCount', 'mappingCount', 'warnings'],
      );
      // A Debian/Ubuntu feed without its release's binary → source index misses packages (issue 10, item 12).
      for (const f of list) for (const w of f.warnings.filter((x) => x.startsWith(MISSING_INDEX))) process.stderr.write(`warning: ${f.name}: ${w}\n`);
    });

  withConfigOption(
    feeds.command('refresh').description('read one feed (or all) now and re-evaluate the hosts').argument('[name]', 'feed name or id; all feeds when omitted'),
  )
    .option('--json', 'print the feeds as JSON')
    .action(async (name: string | undefined, opts: { config?: string; json?: boolean }) => {
      const result = await withContext(opts, async (ctx) => {
        if (name) return { refreshed: [await ctx.services.feeds.refresh(actor, name)], failed: [], done: await reevaluate(ctx) };
        // Every feed is tried: one that fails (recorded on it) does not keep the others from refreshing.
        const refreshed = [];
        const failed: Array<{ name: string; error: string }> = [];
        for (const f of (await ctx.services.feeds.list()).filter((x) => x.isEnabled)) {
          try {
            refreshed.push(await ctx.services.feeds.refresh(actor, f.feedId));
          } catch (err) {
            failed.push({ name: f.name, error: err instanceof Error ? err.message.split('\n')[0]! : String(err) });
          }
        }
        return { refreshed, failed, done: await reevaluate(ctx) };
      });
      if (result.failed.length > 0) process.exitCode = 1;
      if (opts.json) return printJson(result);
      for (const f of result.refreshed) {
        process.stderr.write(`${f.name}: ${summary(f)}\n`);
        printWarnings(f);
      }
      for (const f of result.failed) process.stderr.write(`vigil: ${f.name}: ${f.error}\n`);
      process.stderr.write(`re-evaluated ${result.done.hosts} hosts\n`);
    });
}
