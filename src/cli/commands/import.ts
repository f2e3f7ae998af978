// vigil import gocdb: import GOCDB PI XML from files, directories or URLs.
import type { Command } from 'commander';
import { systemActor } from '../../core/access.js';
import { readGocdbSource } from '../../modules/registry/gocdb-fetch.js';
import type { ImportSummary } from '../../modules/registry/gocdb-import.js';
import { printJson, printTable } from '../output.js';
import { withConfigOption, withContext } from '../context.js';

export function register(program: Command): void {
  const imp = program.command('import').description('import registry data');
  withConfigOption(
    imp
      .command('gocdb')
      .description('import GOCDB PI XML (files, a directory of .xml files, or a PI URL) in one transaction')
      .argument('<sources...>', 'file, directory or URL (a URL without method= reads get_ngi, get_site, get_service_endpoint and get_site_contacts)'),
  )
    .option('--dry-run', 'report what would change, write nothing')
    .option('--json', 'print the summary as JSON')
    .action(async (sources: string[], opts: { config?: string; dryRun?: boolean; json?: boolean }) => {
      const summary = await withContext(opts, async ({ services, config }) => {
        const docs = [];
        for (const s of sources) docs.push(...(await readGocdbSource(s, config.importBodyLimit)));
        return services.importGocdb(systemActor('cli import'), docs, { dryRun: !!opts.dryRun, source: sources.join(' ') });
      });
      if (opts.json) return printJson(summary);
      printSummary(summary);
    });
}

function printSummary(s: ImportSummary): void {
  const kinds = ['ngis', 'sites', 'endpoints', 'people', 'roles'] as const;
  printTable(
    kinds.map((k) => ({ kind: k, added: s.added[k], changed: s.changed[k], removed: s.removed[k], unchanged: s.unchanged[k] })),
    ['kind', 'added', 'changed', 'removed', 'unchanged'],
  );
  for (const r of s.removals)
    process.stdout.write(`${s.dryRun ? 'would remove' : 'removed'} ${r.kind.replace(/s$/, '')} ${r.name}${r.scope ? ` (${r.scope})` : ''}\n`);
  const unnamed = s.removed.sites + s.removed.endpoints + s.removed.roles - s.removals.length;
  if (unnamed > 0) process.stdout.write(`… and ${unnamed} more (--json lists the first ${s.removals.length})\n`);
  for (const sk of s.skipped) process.stderr.write(`skipped ${sk.element}: ${sk.reason}\n`);
  for (const w of s.warnings) process.stderr.write(`warning: ${w}\n`);
  if (s.dryRun) process.stderr.write('dry run: nothing was written\n');
}
