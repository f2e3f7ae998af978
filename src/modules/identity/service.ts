// Sign-in, sessions, API tokens and the Actor every request runs as.
import type { Db } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError, UnauthenticatedError } from '../../core/errors.js';
import { hasPermission, type Actor } from '../../core/access.js';
import { isPermission, ROLE_PERMISSIONS, type Permission } from '../../core/roles.js';
import { dummyHash, hashPassword, passwordProblem, verifyPassword } from './passwords.js';
import { createLoginThrottle } from './throttle.js';
import { createAccountAdmin } from './accounts.js';
import { digest, newPrefixedToken, newSecret } from '../../core/secrets.js';
import * as repo from './repo.js';
import { findPersonName, listRoleGrants } from '../registry/index.js';

export interface IdentityDeps {
  db: Db;
  clock: Clock;
  audit: Audit;
  sessionTtlHours: number;
  loginMaxFailures: number;
  loginWindowMinutes: number;
  /** Checks a password against its stored hash (tests pass one that counts its calls). */
  verify?: (password: string, stored: string) => Promise<boolean>;
}

export interface SessionInfo {
  sessionToken: string;
  csrfToken: string;
  expiresAt: string;
}

const SESSION_TOUCH_MS = 60_000;
const TOKEN_MAX_DAYS = 366;

export function createIdentityService(deps: IdentityDeps) {
  const { db, clock, audit } = deps;
  const nowIso = () => clock.now().toISOString();
  const verify = deps.verify ?? verifyPassword;
  const throttle = createLoginThrottle(deps);

  async function actorForPerson(personId: string, label: string, tokenPermissions?: Set<Permission>): Promise<Actor> {
    return { kind: 'person', personId, label, grants: await listRoleGrants(db, personId), tokenPermissions };
  }

  return {
    /** Verifies a password and opens a session. The attempt is counted in the database before
     *  the password is hashed (throttle.ts), so the limits hold across every server process. */
    async login(username: string, password: string, clientIp: string): Promise<SessionInfo & { actor: Actor }> {
      const admission = await throttle.admit(username, clientIp);
      const account = await repo.findAccountByUsername(db, username);
      const ok = await verify(password, account?.password_hash ?? (await dummyHash()));
      if (!account || !ok || account.is_disabled) throw new UnauthenticatedError('wrong account name or password');
      await admission.succeeded();

      const now = clock.now();
      const sessionToken = newSecret();
      const csrfToken = newSecret();
      const expiresAt = new Date(now.getTime() + deps.sessionTtlHours * 3_600_000).toISOString();
      await repo.insertSession(db, {
        session_hash: digest(sessionToken),
        account_id: account.account_id,
        csrf_token: csrfToken,
        created_at: now.toISOString(),
        expires_at: expiresAt,
      });
      await repo.markLogin(db, account.account_id, now.toISOString());
      return { sessionToken, csrfToken, expiresAt, actor: await actorForPerson(account.person_id, account.username) };
    },

    async logout(sessionToken: string): Promise<void> {
      await repo.deleteSession(db, digest(sessionToken));
    },

    /** The actor behind a session cookie, or undefined when it is unknown or expired. */
    async fromSession(sessionToken: string): Promise<{ actor: Actor; csrfToken: string; expiresAt: string } | undefined> {
      const now = clock.now();
      const hash = digest(sessionToken);
      const session = await repo.findSession(db, hash, now.toISOString());
      if (!session) return undefined;
      const account = await repo.findAccountById(db, session.account_id);
      if (!account || account.is_disabled) return undefined;
      if (now.getTime() - Date.parse(session.last_seen_at) > SESSION_TOUCH_MS) await repo.touchSession(db, hash, now.toISOString());
      return { actor: await actorForPerson(account.person_id, account.username), csrfToken: session.csrf_token, expiresAt: session.expires_at };
    },

    /** The actor behind an API token (`Authorization: Bearer vgl_…`). */
    async fromApiToken(token: string): Promise<Actor | undefined> {
      if (!token.startsWith('vgl_') || token.length > 200) return undefined;
      const row = await repo.findTokenByHash(db, digest(token));
      const now = nowIso();
      // A disabled account's tokens are refused with everything else of it.
      if (!row || row.revoked_at || row.expires_at <= now || row.is_disabled) return undefined;
      if (!row.last_used_at || Date.parse(now) - Date.parse(row.last_used_at) > SESSION_TOUCH_MS) await repo.touchToken(db, row.token_id, now);
      const permissions = new Set((JSON.parse(row.permissions) as string[]).filter(isPermission));
      return actorForPerson(row.person_id, `${row.person_name} (token ${row.prefix})`, permissions);
    },

    actorForPerson,

    personOfAccount: async (username: string) => (await repo.findAccountByUsername(db, username))?.person_id,

    /** Creates a local account for a person (the person must exist). */
    async createAccount(actor: Actor, input: { personId: string; username: string; password: string }) {
      if (!hasPermission(actor, 'account:manage')) throw new ForbiddenError('account:manage not permitted');
      const problem = passwordProblem(input.password);
      if (problem) throw new InvalidError(problem, { field: 'password' });
      if (!/^[a-z0-9][a-z0-9._@-]{1,63}$/i.test(input.username))
        throw new InvalidError('account name must be 2-64 letters, digits or . _ @ -', { field: 'username' });
      const passwordHash = await hashPassword(input.password);
      return db.transaction().execute(async (trx) => {
        const person = await findPersonName(trx, input.personId);
        if (!person) throw new NotFoundError('person', input.personId);
        if (await repo.findAccountByUsername(trx, input.username)) throw new ConflictError(`account ${input.username} already exists`);
        if (await repo.findAccountByPerson(trx, input.personId)) throw new ConflictError(`${person.name} already has an account`);
        const after = { accountId: newId(), personId: input.personId, username: input.username, isDisabled: false, createdAt: nowIso() };
        await trx
          .insertInto('account')
          .values({
            account_id: after.accountId,
            person_id: after.personId,
            username: after.username,
            password_hash: passwordHash,
            is_disabled: 0,
            created_at: after.createdAt,
            last_login_at: null,
          })
          .execute();
        await audit.record(trx, { actor, action: 'account.create', objectType: 'account', objectId: after.accountId, after });
        return after;
      });
    },

    /** Issues an API token for the actor itself. The token text is returned once, never stored. */
    async createToken(actor: Actor, input: { name: string; permissions: string[]; expiresInDays: number }) {
      if (!actor.personId) throw new ForbiddenError('only a person can own a token');
      if (actor.tokenPermissions) throw new ForbiddenError('a token cannot create tokens');
      if (input.expiresInDays < 1 || input.expiresInDays > TOKEN_MAX_DAYS) throw new InvalidError(`expiresInDays must be 1-${TOKEN_MAX_DAYS}`);
      const held = new Set(actor.grants.flatMap((g) => ROLE_PERMISSIONS[g.role]));
      for (const p of input.permissions) {
        if (!isPermission(p)) throw new InvalidError(`unknown permission ${p}`, { field: 'permissions' });
        if (!held.has(p)) throw new ForbiddenError(`you do not hold ${p}, so a token of yours cannot either`);
      }
      const { token, prefix } = newPrefixedToken('vgl');
      const now = clock.now();
      const owner = await findPersonName(db, actor.personId);
      if (!owner) throw new NotFoundError('person', actor.personId);
      const record = {
        tokenId: newId(),
        personId: actor.personId,
        personName: owner.name,
        name: input.name,
        prefix,
        permissions: [...new Set(input.permissions)].sort(),
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000).toISOString(),
        revokedAt: null as string | null,
        lastUsedAt: null as string | null,
      };
      await db.transaction().execute(async (trx) => {
        await repo.insertToken(trx, {
          token_id: record.tokenId,
          person_id: record.personId,
          name: record.name,
          token_hash: digest(token),
          prefix,
          permissions: JSON.stringify(record.permissions),
          created_at: record.createdAt,
          expires_at: record.expiresAt,
          revoked_at: null,
          last_used_at: null,
        });
        await audit.record(trx, { actor, action: 'token.create', objectType: 'api_token', objectId: record.tokenId, after: record });
      });
      return { token, record };
    },

    /** Own tokens; an account manager sees everyone's. */
    async listTokens(actor: Actor) {
      const all = hasPermission(actor, 'account:manage');
      const rows = await repo.listTokens(db, all ? undefined : (actor.personId ?? ''));
      return rows.map(toTokenView);
    },

    async revokeToken(actor: Actor, tokenId: string) {
      return db.transaction().execute(async (trx) => {
        const before = await repo.findToken(trx, tokenId);
        if (!before || (before.person_id !== actor.personId && !hasPermission(actor, 'account:manage'))) throw new NotFoundError('token', tokenId);
        if (before.revoked_at) return;
        const now = nowIso();
        await repo.revokeToken(trx, tokenId, now);
        await audit.record(trx, {
          actor,
          action: 'token.revoke',
          objectType: 'api_token',
          objectId: tokenId,
          before: { name: before.name, prefix: before.prefix, revokedAt: null },
          after: { name: before.name, prefix: before.prefix, revokedAt: now },
        });
      });
    },

    /** Hourly housekeeping: expired sessions and stale sign-in counters. */
    async purgeExpiredSessions(): Promise<void> {
      await repo.deleteExpiredSessions(db, nowIso());
      await throttle.purge();
    },

    ...createAccountAdmin(deps),
  };
}

function toTokenView(r: Awaited<ReturnType<typeof repo.listTokens>>[number]) {
  return {
    tokenId: r.token_id,
    personId: r.person_id,
    personName: r.person_name,
    name: r.name,
    prefix: r.prefix,
    permissions: JSON.parse(r.permissions) as string[],
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    lastUsedAt: r.last_used_at,
  };
}

export type IdentityService = ReturnType<typeof createIdentityService>;
