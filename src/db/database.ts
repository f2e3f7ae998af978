// Opens the configured database: embedded SQLite by default, PostgreSQL when a URL is set.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type SqliteDatabase, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import { migrations } from './migrations/index.js';

export type Db = Kysely<Database>;
/** Either the database or an open transaction: repo functions accept both. */
export type Executor = Kysely<Database> | Transaction<Database>;
export type Dialect = 'sqlite' | 'postgres';

export interface DbHandle {
  db: Db;
  dialect: Dialect;
  /** PostgreSQL schema holding Vigil's tables when not the default one. */
  schema?: string | undefined;
  /** Connection-pool figures for /metrics. */
  poolStats(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

// PostgreSQL returns 64-bit integers (counts, sums) as strings; ours fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenOptions {
  databaseUrl?: string | undefined;
  sqlitePath?: string;
  poolSize?: number;
  /** PostgreSQL schema to use (tests isolate themselves in one schema each). */
  pgSchema?: string | undefined;
}

export function openDatabase(options: OpenOptions): DbHandle {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10, options.pgSchema);
  return openSqlite(options.sqlitePath ?? './data/vigil.db');
}

function openSqlite(path: string): DbHandle {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  // WAL + NORMAL is durable across process crashes (only an OS crash may lose the last commits).
  sqlite.pragma('synchronous = NORMAL');
  // 64 MiB page cache and in-memory temporary tables: package sets are large and hot.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: 'sqlite',
    poolStats: () => ({ total: 1, idle: 1, waiting: 0 }),
    close: () => db.destroy(),
  };
}

const STATEMENT_CACHE_SIZE = 512;

/** Kysely prepares every query it runs; preparing costs as much as running a small one, and the
 *  same few hundred statements recur, so prepared statements are kept by their SQL text. A
 *  statement still being iterated (a stream) is never handed out twice. */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(text: string) {
      // Kysely opens every transaction with a plain (deferred) `begin`. Beside another process
      // (the server, `vigil feeds import`), a deferred transaction that reads and then writes
      // fails at once with SQLITE_BUSY when the other committed in between: busy_timeout cannot
      // help, the snapshot is stale. `begin immediate` takes the write lock first, waiting for it
      // under busy_timeout (issue 10, item 9). One connection per process: nothing waits in-process.
      const sqlText = text === 'begin' ? 'begin immediate' : text;
      const hit = cache.get(sqlText);
      if (hit && !hit.busy) return hit;
      const statement = sqlite.prepare(sqlText);
      if (!hit) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sqlText, statement);
      }
      return statement;
    },
    close: () => {
      cache.clear();
      sqlite.close();
    },
  } as SqliteDatabase;
}

function openPostgres(url: string, max: number, schema: string | undefined): DbHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    schema,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}

// The migration tables are looked up by schema: without it, another schema's copy on the same
// server would be taken for ours.
function migrator({ db, schema }: Pick<DbHandle, 'db' | 'schema'>): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations }, ...(schema ? { migrationTableSchema: schema } : {}) });
}

/** Applies every pending migration; returns the names applied. Safe with several processes. */
export async function migrateToLatest(handle: Pick<DbHandle, 'db' | 'schema'>): Promise<string[]> {
  const { error, results } = await migrator(handle).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** True when every known migration has been applied. */
export async function migrationsCurrent(handle: Pick<DbHandle, 'db' | 'schema'>): Promise<boolean> {
  const all = await migrator(handle).getMigrations();
  return all.every((m) => m.executedAt !== undefined);
}
