// vigil audit verify: check the audit log's hash chain.
import type { Command } from 'commander';
import { verifyAuditChain } from '../../core/audit.js';
import { printJson } from '../output.js';
import { withConfigOption, withContext } from '../context.js';

export function register(program: Command): void {
  const audit = program.command('audit').description('the audit log');
  withConfigOption(audit.command('verify').description('check the hash chain; names the first broken link'))
    .option('--json', 'print the result as JSON')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const result = await withContext(opts, ({ services }) => verifyAuditChain(services.dbHandle.db));
      if (opts.json) printJson(result);
      if (result.ok) {
        if (!opts.json) process.stdout.write(`audit log intact: ${result.checked} events verified\n`);
        return;
      }
      process.stderr.write(`vigil: audit log broken at event ${result.firstBroken!.seq}: ${result.firstBroken!.reason}\n`);
      process.exitCode = 1;
    });
}
