// vigil audit verify | checkpoint | checkpoints: check the audit log's chain, sign its head,
// export the signed checkpoints for checking outside Vigil (docs/audit.md).
import type { Command } from 'commander';
import { createCheckpoint, listCheckpoints, verifyAuditChain } from '../../core/audit.js';
import { printJson, printTable } from '../output.js';
import { withConfigOption, withContext } from '../context.js';
import { exportCheckpoints, readExportedCheckpoints } from '../audit-export.js';

export function register(program: Command): void {
  const audit = program.command('audit').description('the audit log');
  withConfigOption(audit.command('verify').description('check the chain, its keyed start and every signed checkpoint; names the first broken link'))
    .option('--json', 'print the result as JSON')
    .option('--checkpoints <dir>', 'also check the checkpoints exported to this directory (vigil audit checkpoints --export)')
    .action(async (opts: { config?: string; json?: boolean; checkpoints?: string }) => {
      const evidence = opts.checkpoints ? readExportedCheckpoints(opts.checkpoints) : undefined;
      const result = await withContext(opts, ({ services }) => verifyAuditChain(services.dbHandle.db, services.audit.keys, { evidence }), { mustExist: true });
      if (opts.json) printJson(result);
      if (result.ok) {
        if (!opts.json)
          process.stdout.write(
            `audit log intact: ${result.checked} events verified, ${result.checkpoints} signed checkpoint${result.checkpoints === 1 ? '' : 's'}\n`,
          );
        return;
      }
      process.stderr.write(`vigil: audit log broken at event ${result.firstBroken!.seq}: ${result.firstBroken!.reason}\n`);
      process.exitCode = 1;
    });

  withConfigOption(audit.command('checkpoint').description("sign the chain's head now (after checking the links since the last checkpoint)"))
    .option('--json', 'print the checkpoint as JSON')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const { checkpoint, created } = await withContext(opts, ({ services }) => createCheckpoint(services.dbHandle.db, services.audit.keys, services.clock), {
        mustExist: true,
      });
      if (opts.json) printJson({ ...checkpoint, created });
      else process.stdout.write(checkpoint.statement);
      if (!created) process.stderr.write(`vigil: event ${checkpoint.seq} was already checkpointed; nothing new signed\n`);
    });

  withConfigOption(audit.command('checkpoints').description('list the signed checkpoints, or export them for openssl'))
    .option('--json', 'print them as JSON')
    .option('--export <dir>', 'write checkpoint-<seq>.txt, checkpoint-<seq>.sig, audit-pub.pem and VERIFY.txt into this directory')
    .action(async (opts: { config?: string; json?: boolean; export?: string }) => {
      await withContext(opts, async ({ services }) => {
        const rows = await listCheckpoints(services.dbHandle.db);
        if (opts.export) {
          const done = exportCheckpoints(opts.export, services.audit.keys, rows);
          process.stderr.write(
            `vigil: ${done.written} checkpoints written, ${done.unchanged} already there` +
              (done.otherKey ? `, ${done.otherKey} signed by another key skipped` : '') +
              ` (${opts.export}; see VERIFY.txt)\n`,
          );
          return;
        }
        if (opts.json) printJson({ keyId: services.audit.keys.keyId, publicKey: services.audit.keys.publicPem, checkpoints: rows });
        else
          printTable(
            rows.map((r) => ({ seq: r.seq, at: r.at, head: r.head_hash, key: r.key_id.slice(0, 16) })),
            ['seq', 'at', 'head', 'key'],
          );
      });
    });
}
