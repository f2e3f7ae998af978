// GOCDB import: a 300-site federation (about 3,000 service endpoints and 5,000 contacts),
// imported into an empty database and then again (the idempotent path). Baseline: parsing the
// same file alone, in the same run. Target: both imports under 2 s on SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateFederationXml } from '../test/fixtures/gocdb/generate.js';
import { parseGocdb } from '../src/lib/gocdb/index.js';
import { migrateToLatest, openDatabase, type DbHandle } from '../src/db/database.js';
import { createServices } from '../src/server/services.js';
import { systemActor } from '../src/core/access.js';

const xml = generateFederationXml({ sites: 300, endpointsPerSite: 10, contactsPerSite: 17, ngis: 8, seed: 42 });
const bytes = Buffer.byteLength(xml);

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await fn();
  return [Number(process.hrtime.bigint() - start) / 1e6, value];
}

// Parsing alone: best of three, so the baseline is not flattered by a cold start.
let parseMs = Infinity;
let parsed = await parseGocdb(xml);
for (let i = 0; i < 3; i++) {
  const [ms, doc] = await timed(() => parseGocdb(xml));
  parseMs = Math.min(parseMs, ms);
  parsed = doc;
}
console.log(`file: ${(bytes / 1e6).toFixed(1)} MB, ${parsed.sites.length} sites, ${parsed.endpoints.length} endpoints, ${parsed.contacts.length} contacts`);
console.log(`baseline  parse only              ${parseMs.toFixed(0).padStart(6)} ms`);

async function run(label: string, handle: DbHandle) {
  await migrateToLatest(handle);
  const s = createServices(handle, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 });
  const actor = systemActor('bench');
  const [first, summary] = await timed(async () => s.importGocdb(actor, [await parseGocdb(xml)]));
  const [second, again] = await timed(async () => s.importGocdb(actor, [await parseGocdb(xml)]));
  const target = (ms: number) => (ms < 2000 ? 'meets < 2 s' : 'MISSES < 2 s');
  console.log(
    `${label.padEnd(9)} first import (parse+write)   ${first.toFixed(0).padStart(6)} ms  ${(first / parseMs).toFixed(2)}x parse  ${target(first)}` +
      `  (added ${summary.added.sites} sites, ${summary.added.endpoints} endpoints, ${summary.added.people} people, ${summary.added.roles} roles)`,
  );
  console.log(
    `${label.padEnd(9)} re-import (idempotent)       ${second.toFixed(0).padStart(6)} ms  ${(second / parseMs).toFixed(2)}x parse  ${target(second)}` +
      `  (changed ${Object.values(again.changed).reduce((a, b) => a + b, 0)}, added ${Object.values(again.added).reduce((a, b) => a + b, 0)})`,
  );
  await handle.close();
}

const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-'));
await run('sqlite', openDatabase({ sqlitePath: join(dir, 'bench.db') }));
rmSync(dir, { recursive: true, force: true });

const pgUrl = process.env.VIGIL_TEST_PG_URL ?? 'postgres://vigil:vigil@127.0.0.1:5432/vigil_test';
const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
try {
  await client.connect();
  const schema = `bench_${process.pid}`;
  await client.query(`drop schema if exists ${schema} cascade; create schema ${schema}`);
  await run('postgres', openDatabase({ databaseUrl: pgUrl, pgSchema: schema }));
  await client.query(`drop schema ${schema} cascade`);
  await client.end();
} catch (err) {
  console.log(`postgres  skipped: ${(err as Error).message}`);
}
