// Account administration for federation admins (`account:manage`): find an account, disable or
// enable it, set or generate a new password, end its sessions. Every change is audited; a
// password (or its hash) never reaches the audit log.
import { randomBytes } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../../core/errors.js';
import { hasPermission, type Actor } from '../../core/access.js';
import type { Page } from '../../core/paging.js';
import { hashPassword, passwordProblem } from './passwords.js';
import * as repo from './repo.js';

export interface AccountDeps {
  db: Db;
  clock: Clock;
  audit: Audit;
}

export interface AccountView {
  accountId: string;
  personId: string;
  personName: string;
  username: string;
  isDisabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
}

type AccountRow = NonNullable<Awaited<ReturnType<typeof repo.findAccountView>>>;
const toView = (r: AccountRow): AccountView => ({
  accountId: r.account_id,
  personId: r.person_id,
  personName: r.person_name,
  username: r.username,
  isDisabled: Boolean(r.is_disabled),
  createdAt: r.created_at,
  lastLoginAt: r.last_login_at,
});
/** What the audit log keeps of an account: never its password hash. */
const auditView = (a: AccountView) => ({ accountId: a.accountId, personId: a.personId, username: a.username, isDisabled: a.isDisabled });

function requireManage(actor: Actor): void {
  if (!hasPermission(actor, 'account:manage')) throw new ForbiddenError('account:manage not permitted');
}

export function createAccountAdmin({ db, audit }: AccountDeps) {
  async function getAccount(trx: Executor, accountId: string): Promise<AccountView> {
    const row = await repo.findAccountView(trx, accountId);
    if (!row) throw new NotFoundError('account', accountId);
    return toView(row);
  }

  async function setDisabled(actor: Actor, accountId: string, disabled: boolean): Promise<AccountView> {
    requireManage(actor);
    return db.transaction().execute(async (trx) => {
      const before = await getAccount(trx, accountId);
      if (disabled && actor.personId && before.personId === actor.personId) throw new ConflictError('you cannot disable your own account');
      if (before.isDisabled === disabled) return before;
      await repo.setDisabled(trx, accountId, disabled);
      // A disabled account's sessions end now, so enabling it later revives no stolen cookie.
      const sessionsEnded = disabled ? await repo.deleteSessionsOf(trx, accountId) : 0;
      const after = { ...before, isDisabled: disabled };
      await audit.record(trx, {
        actor,
        action: disabled ? 'account.disable' : 'account.enable',
        objectType: 'account',
        objectId: accountId,
        before: auditView(before),
        after: { ...auditView(after), ...(disabled ? { sessionsEnded } : {}) },
      });
      return after;
    });
  }

  return {
    async listAccounts(
      actor: Actor,
      query: { limit: number; offset: number; q?: string | undefined; personId?: string | undefined },
    ): Promise<Page<AccountView>> {
      requireManage(actor);
      const { items, total } = await repo.listAccounts(db, query);
      return { items: items.map(toView), total, limit: query.limit, offset: query.offset };
    },

    /** The account signing in as `username` (for the CLI); NotFoundError when there is none. */
    async getAccountByUsername(actor: Actor, username: string): Promise<AccountView> {
      requireManage(actor);
      const row = await repo.findAccountByUsername(db, username);
      if (!row) throw new NotFoundError('account', username);
      return getAccount(db, row.account_id);
    },

    /** Refuses every credential of the account (password, sessions, API tokens) until enabled. */
    disableAccount: (actor: Actor, accountId: string) => setDisabled(actor, accountId, true),
    enableAccount: (actor: Actor, accountId: string) => setDisabled(actor, accountId, false),

    /** Sets the given password, or generates one and returns it (once). Ends every session. */
    async resetPassword(actor: Actor, accountId: string, password?: string): Promise<{ account: AccountView; sessionsEnded: number; password?: string }> {
      requireManage(actor);
      const generated = password === undefined ? randomBytes(18).toString('base64url') : undefined;
      const chosen = password ?? generated!;
      const problem = passwordProblem(chosen);
      if (problem) throw new InvalidError(problem, { field: 'password' });
      const passwordHash = await hashPassword(chosen);
      return db.transaction().execute(async (trx) => {
        const account = await getAccount(trx, accountId);
        await repo.setPasswordHash(trx, accountId, passwordHash);
        const sessionsEnded = await repo.deleteSessionsOf(trx, accountId);
        await audit.record(trx, {
          actor,
          action: 'account.reset-password',
          objectType: 'account',
          objectId: accountId,
          before: auditView(account),
          after: { ...auditView(account), passwordGenerated: generated !== undefined, sessionsEnded },
        });
        return { account, sessionsEnded, ...(generated !== undefined ? { password: generated } : {}) };
      });
    },

    /** Signs the account out everywhere (API tokens are revoked one by one, or by disabling). */
    async endSessions(actor: Actor, accountId: string): Promise<{ account: AccountView; sessionsEnded: number }> {
      requireManage(actor);
      return db.transaction().execute(async (trx) => {
        const account = await getAccount(trx, accountId);
        const sessionsEnded = await repo.deleteSessionsOf(trx, accountId);
        await audit.record(trx, {
          actor,
          action: 'account.end-sessions',
          objectType: 'account',
          objectId: accountId,
          before: auditView(account),
          after: { ...auditView(account), sessionsEnded },
        });
        return { account, sessionsEnded };
      });
    },
  };
}
