// Queries on accounts, sessions, API tokens, login failures and role grants.
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { ApiTokenTable } from '../../db/schema.js';
import type { RoleGrant } from '../../core/policy.js';
import { isRole, type ScopeType } from '../../core/roles.js';

export const findAccountByUsername = (db: Executor, username: string) =>
  db.selectFrom('account').innerJoin('person', 'person.person_id', 'account.person_id')
    .select(['account.account_id', 'account.person_id', 'account.username', 'account.password_hash',
      'account.is_disabled', 'person.name'])
    .where('account.username', '=', username).executeTakeFirst();

export const findAccountById = (db: Executor, accountId: string) =>
  db.selectFrom('account').innerJoin('person', 'person.person_id', 'account.person_id')
    .select(['account.account_id', 'account.person_id', 'account.username', 'account.is_disabled', 'person.name'])
    .where('account.account_id', '=', accountId).executeTakeFirst();

export const findAccountByPerson = (db: Executor, personId: string) =>
  db.selectFrom('account').select(['account_id', 'username', 'is_disabled', 'created_at', 'last_login_at'])
    .where('person_id', '=', personId).executeTakeFirst();

/** A person's role grants, with each site grant's NGI so NGI-level reach needs no query. */
export async function listGrants(db: Executor, personId: string): Promise<RoleGrant[]> {
  const rows = await db.selectFrom('role_assignment')
    .leftJoin('site', (j) => j.onRef('site.site_id', '=', 'role_assignment.scope_id').on('role_assignment.scope_type', '=', 'site'))
    .select(['role_assignment.role', 'role_assignment.scope_type', 'role_assignment.scope_id', 'site.ngi_id'])
    .where('role_assignment.person_id', '=', personId).execute();
  return rows.filter((r) => isRole(r.role)).map((r) => ({
    role: r.role as RoleGrant['role'],
    scopeType: r.scope_type as ScopeType,
    scopeId: r.scope_id,
    ngiId: r.ngi_id ?? undefined,
  }));
}

export const insertSession = (db: Executor, row: { session_hash: string; account_id: string; csrf_token: string; created_at: string; expires_at: string }) =>
  db.insertInto('session').values({ ...row, last_seen_at: row.created_at }).execute();

export const findSession = (db: Executor, sessionHash: string, now: string) =>
  db.selectFrom('session').selectAll().where('session_hash', '=', sessionHash).where('expires_at', '>', now).executeTakeFirst();

export const touchSession = (db: Executor, sessionHash: string, now: string) =>
  db.updateTable('session').set({ last_seen_at: now }).where('session_hash', '=', sessionHash).execute();

export const deleteSession = (db: Executor, sessionHash: string) =>
  db.deleteFrom('session').where('session_hash', '=', sessionHash).execute();

export const deleteExpiredSessions = (db: Executor, now: string) =>
  db.deleteFrom('session').where('expires_at', '<=', now).execute();

export const markLogin = (db: Executor, accountId: string, now: string) =>
  db.updateTable('account').set({ last_login_at: now }).where('account_id', '=', accountId).execute();

export const failureCount = async (db: Executor, bucket: string, windowStart: string) => {
  const row = await db.selectFrom('login_failure').select('failures')
    .where('bucket', '=', bucket).where('window_start', '>=', windowStart).executeTakeFirst();
  return row?.failures ?? 0;
};

/** Counts one failure, restarting the window when the old one has passed. Atomic on both engines. */
export const addFailure = (db: Executor, bucket: string, now: string, windowStart: string) =>
  db.insertInto('login_failure').values({ bucket, failures: 1, window_start: now })
    .onConflict((oc) => oc.column('bucket').doUpdateSet({
      failures: sql`case when login_failure.window_start < ${windowStart} then 1 else login_failure.failures + 1 end`,
      window_start: sql`case when login_failure.window_start < ${windowStart} then ${now} else login_failure.window_start end`,
    })).execute();

export const clearFailures = (db: Executor, bucket: string) =>
  db.deleteFrom('login_failure').where('bucket', '=', bucket).execute();

export const insertToken = (db: Executor, row: ApiTokenTable) => db.insertInto('api_token').values(row).execute();

export const findTokenByHash = (db: Executor, tokenHash: string) =>
  db.selectFrom('api_token').innerJoin('person', 'person.person_id', 'api_token.person_id')
    .select(['api_token.token_id', 'api_token.person_id', 'api_token.name', 'api_token.prefix', 'api_token.permissions',
      'api_token.expires_at', 'api_token.revoked_at', 'api_token.last_used_at', 'person.name as person_name'])
    .where('api_token.token_hash', '=', tokenHash).executeTakeFirst();

export const findToken = (db: Executor, tokenId: string) =>
  db.selectFrom('api_token').selectAll().where('token_id', '=', tokenId).executeTakeFirst();

export const listTokens = (db: Executor, personId: string | undefined) => {
  let q = db.selectFrom('api_token').innerJoin('person', 'person.person_id', 'api_token.person_id')
    .select(['api_token.token_id', 'api_token.person_id', 'api_token.name', 'api_token.prefix', 'api_token.permissions',
      'api_token.created_at', 'api_token.expires_at', 'api_token.revoked_at', 'api_token.last_used_at', 'person.name as person_name'])
    .orderBy('api_token.created_at', 'desc');
  if (personId) q = q.where('api_token.person_id', '=', personId);
  return q.execute();
};

export const revokeToken = (db: Executor, tokenId: string, now: string) =>
  db.updateTable('api_token').set({ revoked_at: now }).where('token_id', '=', tokenId).execute();

export const touchToken = (db: Executor, tokenId: string, now: string) =>
  db.updateTable('api_token').set({ last_used_at: now }).where('token_id', '=', tokenId).execute();
