// vigil migrate: apply pending database migrations.
import type { Command } from 'commander';
import { migrateToLatest } from '../../db/database.js';
import { sealIfUpgraded, withConfigOption, withContext } from '../context.js';

export function register(program: Command): void {
  withConfigOption(program.command('migrate').description('apply pending database migrations (also done at every start)')).action(
    async (opts: { config?: string }) => {
      await withContext(
        opts,
        async ({ services, notes }) => {
          const applied = await migrateToLatest(services.dbHandle);
          const upgraded = await sealIfUpgraded(services.dbHandle, services.audit.keys, applied);
          for (const note of [...notes, ...(upgraded ? [upgraded] : [])]) process.stderr.write(`vigil: ${note}\n`);
          process.stderr.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
        },
        false,
      );
    },
  );
}
