// Sign-in, the current session, API tokens and local accounts.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../core/roles.js';
import { abilities, FEDERATION, hasPermission, type Actor } from '../../core/access.js';
import { actorOf, SESSION_COOKIE } from '../../server/auth.js';
import { errorResponses, Id, Nullable, Timestamp } from '../../server/schema-helpers.js';
import { PageOf } from '../../core/paging.js';
import type { IdentityService } from './service.js';

const tags = ['identity'];
const Grant = Type.Object({ role: Type.String(), scopeType: Type.String(), scopeId: Type.String() });
const Me = Type.Object({
  personId: Type.Union([Type.String(), Type.Null()]),
  label: Type.String(),
  grants: Type.Array(Grant),
  permissions: Type.Array(Type.String()),
  federationPermissions: Type.Array(Type.String(), { description: 'permissions held federation-wide (the rest hold only in the scopes of the grants)' }),
  csrfToken: Type.Optional(Type.String()),
  expiresAt: Type.Optional(Timestamp),
});
const TokenView = Type.Object({
  tokenId: Id,
  personId: Id,
  personName: Type.String(),
  name: Type.String(),
  prefix: Type.String(),
  permissions: Type.Array(Type.String()),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
});

const AccountView = Type.Object({
  accountId: Id,
  personId: Id,
  personName: Type.String(),
  username: Type.String(),
  isDisabled: Type.Boolean(),
  createdAt: Timestamp,
  lastLoginAt: Nullable(Timestamp),
});
const AccountParams = Type.Object({ accountId: Id });
const AccountsQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
    q: Type.Optional(Type.String({ maxLength: 200, description: "case-insensitive substring of the account name or the person's name" })),
    personId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
const SessionsEnded = Type.Object({ account: AccountView, sessionsEnded: Type.Integer() });

function describe(actor: Actor, extra: { csrfToken?: string; expiresAt?: string } = {}) {
  const permissions = PERMISSIONS.filter((p) => hasPermission(actor, p)).sort();
  const federationPermissions = abilities(actor, FEDERATION, PERMISSIONS).sort();
  return {
    personId: actor.personId,
    label: actor.label,
    grants: actor.grants.map(({ role, scopeType, scopeId }) => ({ role, scopeType, scopeId })),
    permissions,
    federationPermissions,
    ...extra,
  };
}

export const identityRoutes =
  (identity: IdentityService, options: { sessionTtlHours: number }): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/v1/auth/login',
      {
        schema: {
          tags,
          summary: 'Sign in with a local account; sets the session cookie',
          body: Type.Object(
            { username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
            { additionalProperties: false },
          ),
          response: { 200: Me, ...errorResponses },
        },
        config: { permission: 'public' },
      },
      async (req, reply) => {
        const session = await identity.login(req.body.username, req.body.password, req.ip);
        reply.setCookie(SESSION_COOKIE, session.sessionToken, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: 'auto',
          maxAge: options.sessionTtlHours * 3600,
        });
        return describe(session.actor, { csrfToken: session.csrfToken, expiresAt: session.expiresAt });
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        schema: { tags, summary: 'End the session', response: { 204: Type.Null(), ...errorResponses } },
        config: { permission: 'authenticated' },
      },
      async (req, reply) => {
        if (req.sessionToken) await identity.logout(req.sessionToken);
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/auth/session',
      {
        schema: { tags, summary: 'Who am I: grants, permissions and (for cookie sessions) the CSRF token', response: { 200: Me, ...errorResponses } },
        config: { permission: 'authenticated' },
      },
      async (req) => {
        const session = req.sessionToken ? await identity.fromSession(req.sessionToken) : undefined;
        return describe(actorOf(req), session ? { csrfToken: session.csrfToken, expiresAt: session.expiresAt } : {});
      },
    );

    app.get(
      '/api/v1/tokens',
      {
        schema: {
          tags,
          summary: 'Your API tokens (all tokens for account managers)',
          response: { 200: Type.Object({ items: Type.Array(TokenView) }), ...errorResponses },
        },
        config: { permission: 'token:own' },
      },
      async (req) => ({ items: await identity.listTokens(actorOf(req)) }),
    );

    app.post(
      '/api/v1/tokens',
      {
        schema: {
          tags,
          summary: 'Create an API token; the token text is shown only in this answer',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 100 }),
              permissions: Type.Array(Type.Union(PERMISSIONS.map((p) => Type.Literal(p))), { minItems: 1, maxItems: PERMISSIONS.length }),
              expiresInDays: Type.Integer({ minimum: 1, maximum: 366, default: 90 }),
            },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ token: Type.String(), record: TokenView }), ...errorResponses },
        },
        config: { permission: 'token:own' },
      },
      async (req, reply) => reply.code(201).send(await identity.createToken(actorOf(req), req.body)),
    );

    app.post(
      '/api/v1/tokens/:tokenId/revoke',
      {
        schema: { tags, summary: 'Revoke an API token', params: Type.Object({ tokenId: Id }), response: { 204: Type.Null(), ...errorResponses } },
        config: { permission: 'token:own' },
      },
      async (req, reply) => {
        await identity.revokeToken(actorOf(req), req.params.tokenId);
        return reply.code(204).send(null);
      },
    );

    app.post(
      '/api/v1/accounts',
      {
        schema: {
          tags,
          summary: 'Create a local account for a person',
          body: Type.Object(
            { personId: Id, username: Type.String({ minLength: 2, maxLength: 64 }), password: Type.String({ minLength: 12, maxLength: 1024 }) },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ accountId: Id, personId: Id, username: Type.String(), isDisabled: Type.Boolean(), createdAt: Timestamp }),
            ...errorResponses,
          },
        },
        config: { permission: 'account:manage' },
      },
      async (req, reply) => reply.code(201).send(await identity.createAccount(actorOf(req), req.body)),
    );

    app.get(
      '/api/v1/accounts',
      {
        schema: {
          tags,
          summary: 'Local accounts, by account name or person (to find an account id)',
          querystring: AccountsQuery,
          response: { 200: PageOf(AccountView), ...errorResponses },
        },
        config: { permission: 'account:manage' },
      },
      (req) => identity.listAccounts(actorOf(req), req.query),
    );

    app.post(
      '/api/v1/accounts/:accountId/disable',
      {
        schema: {
          tags,
          summary: 'Disable an account: its password, sessions and API tokens are all refused; its sessions end',
          params: AccountParams,
          response: { 200: AccountView, ...errorResponses },
        },
        config: { permission: 'account:manage' },
      },
      (req) => identity.disableAccount(actorOf(req), req.params.accountId),
    );

    app.post(
      '/api/v1/accounts/:accountId/enable',
      {
        schema: { tags, summary: 'Enable a disabled account again', params: AccountParams, response: { 200: AccountView, ...errorResponses } },
        config: { permission: 'account:manage' },
      },
      (req) => identity.enableAccount(actorOf(req), req.params.accountId),
    );

    app.post(
      '/api/v1/accounts/:accountId/reset-password',
      {
        schema: {
          tags,
          summary: 'Set a new password (or, without one, generate it and return it in this answer only); ends every session',
          params: AccountParams,
          body: Type.Object({ password: Type.Optional(Type.String({ minLength: 12, maxLength: 1024 })) }, { additionalProperties: false }),
          response: { 200: Type.Object({ account: AccountView, sessionsEnded: Type.Integer(), password: Type.Optional(Type.String()) }), ...errorResponses },
        },
        config: { permission: 'account:manage' },
      },
      (req) => identity.resetPassword(actorOf(req), req.params.accountId, req.body.password),
    );

    app.post(
      '/api/v1/accounts/:accountId/end-sessions',
      {
        schema: {
          tags,
          summary: 'Sign an account out everywhere (its API tokens are not touched)',
          params: AccountParams,
          response: { 200: SessionsEnded, ...errorResponses },
        },
        config: { permission: 'account:manage' },
      },
      (req) => identity.endSessions(actorOf(req), req.params.accountId),
    );
  };
