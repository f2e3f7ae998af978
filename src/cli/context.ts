// What every database-backed command needs: the checked configuration, an open database with
// current migrations, and the services.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config/config.js';
import { migrateToLatest, openDatabase } from '../db/database.js';
import { createServices, type Services } from '../server/services.js';

export interface CliContext { config: Config; services: Services; close(): Promise<void> }

/** Adds --config, used by every command that opens the database. */
export const withConfigOption = (cmd: Command) => cmd.option('-c, --config <file>', 'JSON configuration file (or VIGIL_CONFIG)');

export async function openContext(options: { config?: string }, migrate = true): Promise<CliContext> {
  const config = loadConfig({ file: options.config });
  const dbHandle = openDatabase({ databaseUrl: config.databaseUrl, pgSchema: config.databaseSchema, sqlitePath: config.sqlitePath, poolSize: config.databasePoolSize });
  try {
    if (migrate) await migrateToLatest(dbHandle);
  } catch (err) {
    await dbHandle.close();
    throw err;
  }
  return { config, services: createServices(dbHandle, config), close: () => dbHandle.close() };
}

/** Runs a command body with a context, always closing the database. */
export async function withContext<T>(options: { config?: string }, body: (ctx: CliContext) => Promise<T>, migrate = true): Promise<T> {
  const ctx = await openContext(options, migrate);
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}
