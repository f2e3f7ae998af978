import { test } from 'node:test';
import assert from 'node:assert/strict';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.js';
import { createGroupCommit } from './group-commit.js';
import { testDatabase } from '../../test/support/db.js';

const rowsOf = async (db: Kysely<Database>) => (await sql<{ v: string }>`select v from gc_probe order by v`.execute(db)).rows.map((r) => r.v);

test('work arriving together shares one commit; a failing piece rolls back alone', async () => {
  const commits: string[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: new SQLite(':memory:') }),
    log: (e) => {
      if (/^(commit|begin)/i.test(e.query.sql)) commits.push(e.query.sql.toLowerCase());
    },
  });
  await sql`create table gc_probe (v text primary key)`.execute(db);
  const writes = createGroupCommit({ db, dialect: 'sqlite' });

  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      writes.run(async (trx) => {
        await sql`insert into gc_probe (v) values (${`w${i}`})`.execute(trx);
        if (i === 4) throw new Error('work 4 fails after writing');
        return i;
      }),
    ),
  );

  assert.deepEqual(
    results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message)),
    [0, 1, 2, 3, 'work 4 fails after writing', 5, 6, 7, 8, 9],
  );
  assert.deepEqual(await rowsOf(db), ['w0', 'w1', 'w2', 'w3', 'w5', 'w6', 'w7', 'w8', 'w9']);
  // The first piece starts at once; the nine queued behind it are committed together.
  assert.deepEqual(commits.filter((c) => c.startsWith('commit')).length, 2);
  await db.destroy();
});

test('each piece of work commits on its own database transaction where the database runs them in parallel', async () => {
  const handle = await testDatabase();
  await sql`create table gc_probe (v text primary key)`.execute(handle.db);
  const writes = createGroupCommit({ db: handle.db, dialect: handle.dialect });
  const results = await Promise.allSettled(
    Array.from({ length: 4 }, (_, i) =>
      writes.run(async (trx) => {
        await sql`insert into gc_probe (v) values (${`w${i}`})`.execute(trx);
        if (i === 1) throw new Error('work 1 fails');
      }),
    ),
  );
  assert.deepEqual(
    results.map((r) => r.status),
    ['fulfilled', 'rejected', 'fulfilled', 'fulfilled'],
  );
  assert.deepEqual(await rowsOf(handle.db), ['w0', 'w2', 'w3']);
  await handle.close();
});
