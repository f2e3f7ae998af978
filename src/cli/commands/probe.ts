// vigil probe site SITE: a Nagios/ARGO plugin (one status line with perfdata, exit 0-3).
import type { Command } from 'commander';
import { systemActor } from '../../core/access.js';
import { probeSite } from '../../modules/patching/probe.js';
import { withConfigOption, withContext } from '../context.js';

export function register(program: Command): void {
  const probe = program.command('probe').description('monitoring probes (Nagios plugin output and exit codes)');
  withConfigOption(
    probe
      .command('site')
      .description('patch status of one site: OK, WARNING (high-tagged CVEs or silent hosts), CRITICAL (critical-tagged CVEs)')
      .argument('<site>', 'site name as in GOCDB'),
  ).action(async (site: string, opts: { config?: string }) => {
    try {
      const result = await withContext(opts, ({ services }) => probeSite(services.patchingViews, systemActor('probe'), site), { mustExist: true });
      process.stdout.write(result.text + '\n');
      process.exitCode = result.code;
    } catch (err) {
      // A probe never exits 1 for its own failure: that would read as WARNING.
      process.stdout.write(`UNKNOWN: ${(err as Error).message.split('\n')[0]}\n`);
      process.exitCode = 3;
    }
  });
}
