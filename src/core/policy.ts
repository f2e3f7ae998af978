// Transitional names over core/access.ts, kept while modules move to `requireAccess` and `reach`.
import { ForbiddenError } from './errors.js';
import { can, reach, inReach, type Actor, type Reach, type RoleGrant, type Target } from './access.js';
import type { Permission } from './roles.js';

export { hasPermission, systemActor, type Actor, type RoleGrant, type Target, type Reach } from './access.js';

/** What an actor may read in the registry (site roles: their site's whole NGI). */
export type ReadReach = Reach;
export const readReach = (actor: Actor): Reach => reach(actor, 'registry:read');
export const reachesTarget = inReach;
export const canAt = can;
export function requireAt(actor: Actor, permission: Permission, target: Target): void {
  if (!can(actor, permission, target)) throw new ForbiddenError(`${permission} not permitted here`);
}

/** Does the grant's scope contain the target? (Role granting: a grant's own scope, no widening.) */
export function scopeContains(grant: RoleGrant, target: Target): boolean {
  switch (grant.scopeType) {
    case 'federation': return true;
    case 'ngi': return (target.type === 'ngi' || target.type === 'site') && target.ngiId === grant.scopeId;
    case 'site': return target.type === 'site' && target.siteId === grant.scopeId;
    case 'vo': return target.type === 'vo' && target.voId === grant.scopeId;
  }
}
