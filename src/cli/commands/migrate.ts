// vigil migrate: apply pending database migrations.
import type { Command } from 'commander';
import { migrateToLatest } from '../../db/database.js';
import { withConfigOption, withContext } from '../context.js';

export function register(program: Command): void {
  withConfigOption(program.command('migrate').description('apply pending database migrations (also done at every start)'))
    .action(async (opts: { config?: string }) => {
      await withContext(opts, async ({ services }) => {
        const applied = await migrateToLatest(services.dbHandle);
        process.stderr.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      }, false);
    });
}
