// Who is calling, and may they call this route? Runs on every request before the body is
// read: the actor comes from the session cookie or a bearer token; the route's declared
// permission is checked here (default deny); state-changing cookie requests need the CSRF token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../core/errors.js';
import { hasPermission, type Actor } from '../core/access.js';
import type { Permission } from '../core/roles.js';
import type { IdentityService } from '../modules/identity/service.js';

/** What a route needs: a permission, any signed-in actor, or nothing. */
export type RouteAccess = Permission | 'authenticated' | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    permission?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | undefined;
    sessionToken: string | undefined;
  }
}

export const SESSION_COOKIE = 'vigil_session';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The signed-in actor; routes that declare a permission always have one. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthenticatedError();
  return request.actor;
}

export function registerAuth(app: FastifyInstance, identity: IdentityService): void {
  app.decorateRequest('actor', undefined);
  app.decorateRequest('sessionToken', undefined);

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.permission;
    if (access === 'public') return;
    if (!request.routeOptions.url) return; // no route matched: the 404 handler answers
    if (access === undefined) {
      request.log.error({ route: request.routeOptions.url }, 'route declares no permission; denied');
      throw new ForbiddenError('this route declares no permission');
    }

    const bearer = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const cookie = request.cookies[SESSION_COOKIE];
    if (bearer) {
      request.actor = await identity.fromApiToken(bearer);
      if (!request.actor) throw new UnauthenticatedError('invalid, expired or revoked token');
    } else if (cookie) {
      const session = await identity.fromSession(cookie);
      if (!session) throw new UnauthenticatedError('session expired; sign in again');
      if (UNSAFE.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
        throw new ForbiddenError('missing or wrong X-CSRF-Token header');
      }
      request.actor = session.actor;
      request.sessionToken = cookie;
    } else {
      throw new UnauthenticatedError();
    }

    if (access !== 'authenticated' && !hasPermission(request.actor, access)) {
      throw new ForbiddenError(`${access} not permitted`);
    }
  });
}
