// Shared set-up for the patch-monitoring benches: which database to use (SQLite file, or a fresh
// PostgreSQL schema when one is reachable), a federation with sites that allow anonymous
// reports (made through the services, as `vigil` would), feeds imported with `vigil feeds import`;
// bulk inserts, row counts and timings.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Insertable } from 'kysely';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DbHandle, type Executor } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import { createServices, type Services } from '../../src/server/services.js';
import { systemActor } from '../../src/core/access.js';
import { loadAuditKeys } from '../../src/core/audit-keys.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const admin = systemActor('bench');
export const pgUrl = process.env.VIGIL_TEST_PG_URL ?? 'postgres://vigil:vigil@127.0.0.1:5432/vigil_test';

export type Target = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string };

/** Environment that points `vigil` (CLI or server) at the target database. */
export function targetEnv(t: Target): Record<string, string> {
  const db: Record<string, string> =
    t.kind === 'sqlite' ? { VIGIL_SQLITE_PATH: t.path, VIGIL_DATABASE_URL: '' } : { VIGIL_DATABASE_URL: t.url, VIGIL_DATABASE_SCHEMA: t.schema };
  return { ...db, VIGIL_AUDIT_KEY_DIR: auditKeyDir };
}

/** The audit keys the benches' services, CLI runs and servers share (the chain is sealed with them). */
const auditKeyDir = `${root}.bench-tmp/audit-keys`;

export function openTarget(t: Target, poolSize = 10): DbHandle {
  return t.kind === 'sqlite' ? openDatabase({ sqlitePath: t.path }) : openDatabase({ databaseUrl: t.url, pgSchema: t.schema, poolSize });
}

export const servicesFor = (h: DbHandle): Services =>
  createServices(h, {
    sessionTtlHours: 1,
    loginMaxFailures: 5,
    loginWindowMinutes: 15,
    auditKeys: loadAuditKeys({ sqlitePath: `${auditKeyDir}/unused.db`, auditKeyDir }, () => {}),
  });

/** A fresh PostgreSQL schema, or the reason there is none. */
export async function freshPgSchema(prefix: string): Promise<{ target: Target; drop: () => Promise<void> } | { skipped: string }> {
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
  } catch (err) {
    return { skipped: `PostgreSQL not reachable at ${pgUrl.replace(/:[^:@/]*@/, ':***@')} (${(err as Error).message})` };
  }
  const schema = `${prefix}_${process.pid}`;
  await client.query(`drop schema if exists ${schema} cascade; create schema ${schema}`);
  await client.end();
  return {
    target: { kind: 'postgres', url: pgUrl, schema },
    drop: async () => {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`drop schema if exists ${schema} cascade`);
      await c.end();
    },
  };
}

/**
 * Runs `bench` on a SQLite file, then on a fresh PostgreSQL schema (dropped after) when one is
 * reachable; the labels are `sqlite` and `postgres`.
 */
export async function onSqliteAndPostgres(sqlitePath: string, pgPrefix: string, bench: (label: string, t: Target) => Promise<void>): Promise<void> {
  await bench('sqlite', { kind: 'sqlite', path: sqlitePath });
  const pgTarget = await freshPgSchema(pgPrefix);
  if ('skipped' in pgTarget) {
    console.log(`postgres skipped: ${pgTarget.skipped}`);
    return;
  }
  try {
    await bench('postgres', pgTarget.target);
  } finally {
    await pgTarget.drop();
  }
}

/** Migrates, then creates NGIs and sites (anonymous reports allowed, as Pakiti sites are). */
export async function federation(t: Target, sites: number, ngis = 1): Promise<{ siteNames: string[]; siteIds: string[] }> {
  const h = openTarget(t);
  await migrateToLatest(h);
  const s = servicesFor(h);
  const ngiIds: string[] = [];
  for (let i = 0; i < ngis; i++)
    ngiIds.push((await s.registry.createNgi(admin, { name: `NGI_BENCH${i}`, securityEmail: `security@ngi${i}.example.org` })).ngiId);
  const siteNames: string[] = [];
  const siteIds: string[] = [];
  for (let i = 0; i < sites; i++) {
    const name = `BENCH-SITE-${i}`;
    const { siteId } = await s.registry.createSite(admin, { name, ngiId: ngiIds[i % ngis]!, securityEmail: `csirt@site${i}.example.org` });
    await s.reporters.setAnonymous(admin, siteId, true);
    siteNames.push(name);
    siteIds.push(siteId);
  }
  await h.close();
  return { siteNames, siteIds };
}

/** `vigil feeds import FILE --format oval --release R` against the target, as an operator would. */
export function cliFeedImport(t: Target, file: string, release: string, name?: string): string {
  const args = ['--import', 'tsx', 'src/cli/main.ts', 'feeds', 'import', file, '--format', 'oval', '--release', release, ...(name ? ['--name', name] : [])];
  const r = spawnSync(process.execPath, args, { cwd: root, env: { ...process.env, ...targetEnv(t), VIGIL_LOG_LEVEL: 'warn' }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vigil feeds import ${file} failed (${r.status}): ${r.stderr}`);
  return r.stderr.trim();
}

/** Bulk load: `rows` inserted `size` at a time (both dialects cap a statement's parameters). */
export async function insertChunked<T extends keyof Database & string>(db: Executor, table: T, rows: Insertable<Database[T]>[], size: number): Promise<void> {
  for (let k = 0; k < rows.length; k += size)
    await db
      .insertInto(table)
      .values(rows.slice(k, k + size))
      .execute();
}

/** `select count(*) from <table>`. */
export async function countRows(db: Executor, table: keyof Database & string): Promise<number> {
  return Number(
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
}

export const fixture = (p: string) => fileURLToPath(new URL(`../../test/fixtures/${p}`, import.meta.url));

export async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

/** The times in ms of `runs` calls of `fn`, one after the other, shortest first. */
export async function sortedTimes(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await timed(fn))[0]);
  return times.sort((a, b) => a - b);
}
