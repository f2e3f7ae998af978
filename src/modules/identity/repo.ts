// Queries on accounts, sessions, API tokens and login failures. People's names come from the
// registry's fragments (it owns `person`).
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { containsCi } from '../../db/filters.js';
import type { ApiTokenTable } from '../../db/schema.js';
import { personNames } from '../registry/index.js';

export const findAccountByUsername = (db: Executor, username: string) =>
  db
    .selectFrom('account')
    .innerJoin(personNames(db).as('p'), 'p.person_id', 'account.person_id')
    .select(['account.account_id', 'account.person_id', 'account.username', 'account.password_hash', 'account.is_disabled', 'p.person_name as name'])
    .where('account.username', '=', username)
    .executeTakeFirst();

export const findAccountById = (db: Executor, accountId: string) =>
  db
    .selectFrom('account')
    .innerJoin(personNames(db).as('p'), 'p.person_id', 'account.person_id')
    .select(['account.account_id', 'account.person_id', 'account.username', 'account.is_disabled', 'p.person_name as name'])
    .where('account.account_id', '=', accountId)
    .executeTakeFirst();

export const findAccountByPerson = (db: Executor, personId: string) =>
  db
    .selectFrom('account')
    .select(['account_id', 'username', 'is_disabled', 'created_at', 'last_login_at'])
    .where('person_id', '=', personId)
    .executeTakeFirst();

export const insertSession = (db: Executor, row: { session_hash: string; account_id: string; csrf_token: string; created_at: string; expires_at: string }) =>
  db
    .insertInto('session')
    .values({ ...row, last_seen_at: row.created_at })
    .execute();

export const findSession = (db: Executor, sessionHash: string, now: string) =>
  db.selectFrom('session').selectAll().where('session_hash', '=', sessionHash).where('expires_at', '>', now).executeTakeFirst();

export const touchSession = (db: Executor, sessionHash: string, now: string) =>
  db.updateTable('session').set({ last_seen_at: now }).where('session_hash', '=', sessionHash).execute();

export const deleteSession = (db: Executor, sessionHash: string) => db.deleteFrom('session').where('session_hash', '=', sessionHash).execute();

export const deleteExpiredSessions = (db: Executor, now: string) => db.deleteFrom('session').where('expires_at', '<=', now).execute();

export const markLogin = (db: Executor, accountId: string, now: string) =>
  db.updateTable('account').set({ last_login_at: now }).where('account_id', '=', accountId).execute();

/** Counts one attempt in a fixed window and returns the count, restarting the window when the
 *  old one has passed. One statement, atomic on both engines: concurrent attempts each get
 *  their own number, so a limit checked on it holds before any password is hashed. */
export const countAttempt = (db: Executor, bucket: string, now: string, windowStart: string) =>
  db
    .insertInto('login_failure')
    .values({ bucket, failures: 1, window_start: now, blocked_until: null })
    .onConflict((oc) =>
      oc.column('bucket').doUpdateSet({
        failures: sql`case when login_failure.window_start < ${windowStart} then 1 else login_failure.failures + 1 end`,
        window_start: sql`case when login_failure.window_start < ${windowStart} then ${now} else login_failure.window_start end`,
      }),
    )
    .returning(['failures', 'window_start'])
    .executeTakeFirstOrThrow();

/** Gives back an attempt counted by countAttempt (it was refused elsewhere, or succeeded). */
export const releaseAttempt = (db: Executor, bucket: string) =>
  db
    .updateTable('login_failure')
    .set((eb) => ({ failures: eb('failures', '-', 1) }))
    .where('bucket', '=', bucket)
    .where('failures', '>', 0)
    .execute();

export const findBucket = (db: Executor, bucket: string) => db.selectFrom('login_failure').selectAll().where('bucket', '=', bucket).executeTakeFirst();

export const ensureBucket = (db: Executor, bucket: string, now: string) =>
  db
    .insertInto('login_failure')
    .values({ bucket, failures: 0, window_start: now, blocked_until: null })
    .onConflict((oc) => oc.column('bucket').doNothing())
    .execute();

/**
 * Takes an account's next back-off slot in one statement (atomic on both engines): counts the
 * attempt and sets how long the next one waits, unless the account is waiting now. Returns the
 * new count, or undefined when the slot is not free (or the row is missing).
 * `schedule.waits[k]` is the time the next attempt waits until after attempt `free + k`.
 */
export async function takeBackoffSlot(
  db: Executor,
  bucket: string,
  schedule: { now: string; quietStart: string; free: number; waits: string[]; capUntil: string },
): Promise<number | undefined> {
  const count = sql<number>`(case when login_failure.window_start < ${schedule.quietStart} then 1 else login_failure.failures + 1 end)`;
  const steps = schedule.waits.map((until, k) => sql`when ${count} = ${schedule.free + k} then ${until}`);
  const blockedUntil = sql<string | null>`case when ${count} < ${schedule.free} then null ${sql.join(steps, sql` `)} else ${schedule.capUntil} end`;
  const row = await db
    .updateTable('login_failure')
    .set({ failures: count, window_start: schedule.now, blocked_until: blockedUntil })
    .where('bucket', '=', bucket)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', schedule.now)]))
    .returning('failures')
    .executeTakeFirst();
  return row?.failures;
}

/** Records a successful sign-in from an address (`window_start` holds its time). */
export const markBucket = (db: Executor, bucket: string, now: string) =>
  db
    .insertInto('login_failure')
    .values({ bucket, failures: 0, window_start: now, blocked_until: null })
    .onConflict((oc) => oc.column('bucket').doUpdateSet({ window_start: now }))
    .execute();

export const clearBucket = (db: Executor, bucket: string) => db.deleteFrom('login_failure').where('bucket', '=', bucket).execute();

/** Drops counters older than `staleBefore` and success marks older than `knownBefore`. */
export const purgeBuckets = (db: Executor, staleBefore: string, knownBefore: string, knownPrefix: string) =>
  db
    .deleteFrom('login_failure')
    .where((eb) =>
      eb.or([
        eb.and([eb('bucket', 'not like', `${knownPrefix}%`), eb('window_start', '<', staleBefore)]),
        eb.and([eb('bucket', 'like', `${knownPrefix}%`), eb('window_start', '<', knownBefore)]),
      ]),
    )
    .execute();

export const insertToken = (db: Executor, row: ApiTokenTable) => db.insertInto('api_token').values(row).execute();

/** A token with its owner's name and account state (null when the owner has no account). */
export const findTokenByHash = (db: Executor, tokenHash: string) =>
  db
    .selectFrom('api_token')
    .innerJoin(personNames(db).as('p'), 'p.person_id', 'api_token.person_id')
    .leftJoin('account', 'account.person_id', 'api_token.person_id')
    .select([
      'api_token.token_id',
      'api_token.person_id',
      'api_token.name',
      'api_token.prefix',
      'api_token.permissions',
      'api_token.expires_at',
      'api_token.revoked_at',
      'api_token.last_used_at',
      'p.person_name',
      'account.is_disabled',
    ])
    .where('api_token.token_hash', '=', tokenHash)
    .executeTakeFirst();

export const findToken = (db: Executor, tokenId: string) => db.selectFrom('api_token').selectAll().where('token_id', '=', tokenId).executeTakeFirst();

export const listTokens = (db: Executor, personId: string | undefined) => {
  let q = db
    .selectFrom('api_token')
    .innerJoin(personNames(db).as('p'), 'p.person_id', 'api_token.person_id')
    .select([
      'api_token.token_id',
      'api_token.person_id',
      'api_token.name',
      'api_token.prefix',
      'api_token.permissions',
      'api_token.created_at',
      'api_token.expires_at',
      'api_token.revoked_at',
      'api_token.last_used_at',
      'p.person_name',
    ])
    .orderBy('api_token.created_at', 'desc');
  if (personId) q = q.where('api_token.person_id', '=', personId);
  return q.execute();
};

export const revokeToken = (db: Executor, tokenId: string, now: string) =>
  db.updateTable('api_token').set({ revoked_at: now }).where('token_id', '=', tokenId).execute();

export const touchToken = (db: Executor, tokenId: string, now: string) =>
  db.updateTable('api_token').set({ last_used_at: now }).where('token_id', '=', tokenId).execute();

const accountColumns = [
  'account.account_id',
  'account.person_id',
  'p.person_name',
  'account.username',
  'account.is_disabled',
  'account.created_at',
  'account.last_login_at',
] as const;

export const findAccountView = (db: Executor, accountId: string) =>
  db
    .selectFrom('account')
    .innerJoin(personNames(db).as('p'), 'p.person_id', 'account.person_id')
    .select(accountColumns)
    .where('account.account_id', '=', accountId)
    .executeTakeFirst();

export async function listAccounts(db: Executor, filter: { q?: string | undefined; personId?: string | undefined; limit: number; offset: number }) {
  let q = db.selectFrom('account').innerJoin(personNames(db).as('p'), 'p.person_id', 'account.person_id');
  if (filter.personId) q = q.where('account.person_id', '=', filter.personId);
  if (filter.q) {
    const term = filter.q;
    q = q.where((eb) => eb.or([containsCi(eb.ref('account.username'), term), containsCi(eb.ref('p.person_name'), term)]));
  }
  const [items, total] = await Promise.all([
    q.select(accountColumns).orderBy('account.username').limit(filter.limit).offset(filter.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export const setDisabled = (db: Executor, accountId: string, disabled: boolean) =>
  db
    .updateTable('account')
    .set({ is_disabled: disabled ? 1 : 0 })
    .where('account_id', '=', accountId)
    .execute();

export const setPasswordHash = (db: Executor, accountId: string, passwordHash: string) =>
  db.updateTable('account').set({ password_hash: passwordHash }).where('account_id', '=', accountId).execute();

/** Ends every session of an account; returns how many there were. */
export async function deleteSessionsOf(db: Executor, accountId: string): Promise<number> {
  const r = await db.deleteFrom('session').where('account_id', '=', accountId).executeTakeFirst();
  return Number(r.numDeletedRows);
}
