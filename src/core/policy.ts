// Authorization in one place. Routes declare a permission (checked by the server before the
// handler); services then check the scope of the object they touch. Default deny.
// Scopes nest: federation ⊃ NGI ⊃ site; federation ⊃ VO.
import { ForbiddenError } from './errors.js';
import { ROLE_PERMISSIONS, type Permission, type Role, type ScopeType } from './roles.js';

export interface RoleGrant {
  role: Role;
  scopeType: ScopeType;
  /** '' for federation scope. */
  scopeId: string;
  /** For a site-scoped grant, the site's NGI, so NGI-level reach is known without a query. */
  ngiId?: string | undefined;
}

export interface Actor {
  kind: 'person' | 'system';
  personId: string | null;
  label: string;
  grants: readonly RoleGrant[];
  /** An API token narrows the owner's permissions to these; undefined for sessions. */
  tokenPermissions?: ReadonlySet<Permission> | undefined;
}

/** The object a permission is exercised on. */
export type Target =
  | { type: 'federation' }
  | { type: 'ngi'; ngiId: string }
  | { type: 'site'; siteId: string; ngiId: string }
  | { type: 'vo'; voId: string };

export const systemActor = (label = 'system'): Actor => ({
  kind: 'system', personId: null, label, grants: [{ role: 'federation-admin', scopeType: 'federation', scopeId: '' }],
});

function tokenAllows(actor: Actor, permission: Permission): boolean {
  return !actor.tokenPermissions || actor.tokenPermissions.has(permission);
}

/** Does the grant's scope contain the target? */
export function scopeContains(grant: RoleGrant, target: Target): boolean {
  switch (grant.scopeType) {
    case 'federation': return true;
    case 'ngi': return (target.type === 'ngi' || target.type === 'site') && target.ngiId === grant.scopeId;
    case 'site': return target.type === 'site' && target.siteId === grant.scopeId;
    case 'vo': return target.type === 'vo' && target.voId === grant.scopeId;
  }
}

/** Holds the permission at some scope (the route-level check). */
export function hasPermission(actor: Actor, permission: Permission): boolean {
  if (!tokenAllows(actor, permission)) return false;
  return actor.grants.some((g) => ROLE_PERMISSIONS[g.role].includes(permission));
}

/** Holds the permission at a scope containing the target (the service-level check). */
export function canAt(actor: Actor, permission: Permission, target: Target): boolean {
  if (!tokenAllows(actor, permission)) return false;
  return actor.grants.some((g) => ROLE_PERMISSIONS[g.role].includes(permission) && scopeContains(g, target));
}

export function requireAt(actor: Actor, permission: Permission, target: Target): void {
  if (!canAt(actor, permission, target)) throw new ForbiddenError(`${permission} not permitted here`);
}

/**
 * What an actor may read in the registry. Site roles reach their site's whole NGI (a site
 * administrator must find the NGI security officer and neighbouring sites' contacts), NGI
 * roles their NGI, VO roles their VO; federation roles everything.
 */
export interface ReadReach {
  all: boolean;
  ngiIds: string[];
  voIds: string[];
}

export function readReach(actor: Actor): ReadReach {
  if (!tokenAllows(actor, 'registry:read')) return { all: false, ngiIds: [], voIds: [] };
  const ngiIds = new Set<string>();
  const voIds = new Set<string>();
  let all = false;
  for (const g of actor.grants) {
    if (!ROLE_PERMISSIONS[g.role].includes('registry:read')) continue;
    if (g.scopeType === 'federation') all = true;
    else if (g.scopeType === 'ngi') ngiIds.add(g.scopeId);
    else if (g.scopeType === 'site' && g.ngiId) ngiIds.add(g.ngiId);
    else if (g.scopeType === 'vo') voIds.add(g.scopeId);
  }
  return { all, ngiIds: [...ngiIds], voIds: [...voIds] };
}

export function reachesTarget(reach: ReadReach, target: Target): boolean {
  if (reach.all) return true;
  switch (target.type) {
    case 'federation': return false;
    case 'ngi':
    case 'site': return reach.ngiIds.includes(target.ngiId);
    case 'vo': return reach.voIds.includes(target.voId);
  }
}
