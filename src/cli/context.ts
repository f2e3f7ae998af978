// What every database-backed command needs: the checked configuration, an open database with
// current migrations, and the services.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidError } from '../core/errors.js';
import { loadConfig, type Config } from '../config/config.js';
import { migrateToLatest, openDatabase, type DbHandle } from '../db/database.js';
import { createServices, type Services } from '../server/services.js';
import { KEYED_CHAIN_MIGRATION, sealAuditChain } from '../core/audit.js';
import { loadAuditKeys, type AuditKeys } from '../core/audit-keys.js';
import { systemClock, type Clock } from '../core/clock.js';

/** The process that adds the keyed audit chain (its migration) seals the chain's start at the
 *  current head: the events already there keep their SHA-256 links. Returns a note for the operator. */
export async function sealIfUpgraded(handle: DbHandle, keys: AuditKeys, applied: string[]): Promise<string | undefined> {
  if (!applied.includes(KEYED_CHAIN_MIGRATION)) return undefined;
  const { keyedFrom, sealedNow } = await sealAuditChain(handle.db, keys);
  return sealedNow && keyedFrom > 1
    ? `audit log: events from ${keyedFrom} on are linked with the audit HMAC key; the ${keyedFrom - 1} before keep SHA-256 links`
    : undefined;
}

/** `notes`: what the operator should hear about the audit keys (generated, readable by others,
 *  chain upgraded); `vigil serve` logs them and `vigil migrate` prints them, other commands
 *  keep their output to what they were asked. */
export interface CliContext {
  config: Config;
  services: Services;
  notes: string[];
  close(): Promise<void>;
}

/** Adds --config, used by every command that opens the database. */
export const withConfigOption = (cmd: Command) => cmd.option('-c, --config <file>', 'JSON configuration file (or VIGIL_CONFIG)');

/** How a command opens the database. */
export interface OpenOptions {
  /** Apply pending migrations first (default true). */
  migrate?: boolean;
  /** A command that only reads: a missing SQLite file is an error, not a new empty database
   *  (a probe run with the wrong settings must not answer "no hosts"). */
  mustExist?: boolean;
  /** The time the services see (default: the system clock); `vigil tasks escalate --at` sets it. */
  clock?: Clock;
}

export async function openContext(options: { config?: string }, open: OpenOptions | boolean = true): Promise<CliContext> {
  const { migrate = true, mustExist = false, clock = systemClock } = typeof open === 'boolean' ? { migrate: open } : open;
  const config = loadConfig({ file: options.config });
  if (mustExist && !config.databaseUrl && config.sqlitePath !== ':memory:' && !existsSync(config.sqlitePath)) {
    throw new InvalidError(`no Vigil database at ${config.sqlitePath}; point VIGIL_SQLITE_PATH, VIGIL_DATABASE_URL or --config at the installation's database`);
  }
  const notes: string[] = [];
  const auditKeys = loadAuditKeys(config, (m) => notes.push(m));
  const dbHandle = openDatabase({
    databaseUrl: config.databaseUrl,
    pgSchema: config.databaseSchema,
    sqlitePath: config.sqlitePath,
    poolSize: config.databasePoolSize,
  });
  try {
    const upgraded = migrate ? await sealIfUpgraded(dbHandle, auditKeys, await migrateToLatest(dbHandle)) : undefined;
    if (upgraded) notes.push(upgraded);
  } catch (err) {
    await dbHandle.close();
    throw err;
  }
  return { config, services: createServices(dbHandle, { ...config, auditKeys }, clock), notes, close: () => dbHandle.close() };
}

/** Runs a command body with a context, always closing the database. */
export async function withContext<T>(options: { config?: string }, body: (ctx: CliContext) => Promise<T>, open: OpenOptions | boolean = true): Promise<T> {
  const ctx = await openContext(options, open);
  try {
    return await body(ctx);
  } finally {
    await ctx.close();
  }
}
