// Authorization in one place. A route declares the permission it needs (checked by the server
// before the handler reads the body); every service then opens with `requireAccess`, which
// resolves the object's scope itself and checks the permission there, or lists through `reach`,
// which says per permission which scopes the actor may list. Default deny.
// Scopes nest: federation ⊃ NGI ⊃ site; federation ⊃ VO. A named object (TLP:RED) is visible
// only to the people named on it.
import { ForbiddenError, NotFoundError } from './errors.js';
import { GRANTABLE, PERMISSION_REACH, ROLE_PERMISSIONS, type Permission, type Role, type ScopeType } from './roles.js';

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

/** The scope an object lives in: what a permission is exercised on. */
export type Target =
  | { type: 'federation' }
  | { type: 'ngi'; ngiId: string }
  | { type: 'site'; siteId: string; ngiId: string }
  | { type: 'vo'; voId: string }
  /** Only the people named (TLP:RED); they must still hold the permission at some scope. */
  | { type: 'named'; personIds: readonly string[] }
  /** Any of these (an object shared with several audiences, e.g. the CSIRT and the affected sites). */
  | { type: 'any'; of: readonly Target[] };

export const FEDERATION: Target = { type: 'federation' };

export const systemActor = (label = 'system'): Actor => ({
  kind: 'system',
  personId: null,
  label,
  grants: [{ role: 'federation-admin', scopeType: 'federation', scopeId: '' }],
});

const tokenAllows = (actor: Actor, permission: Permission) => !actor.tokenPermissions || actor.tokenPermissions.has(permission);
const grantsWith = (actor: Actor, permission: Permission) =>
  tokenAllows(actor, permission) ? actor.grants.filter((g) => ROLE_PERMISSIONS[g.role].includes(permission)) : [];

/** Does a grant of this permission reach the target? A site grant reaches the site's whole NGI
 *  for the permissions whose reach widens so (registry contacts), its own site otherwise. */
function grantReaches(grant: RoleGrant, permission: Permission, target: Target, actor: Actor): boolean {
  switch (target.type) {
    case 'any':
      return target.of.some((t) => grantReaches(grant, permission, t, actor));
    case 'named':
      return actor.personId !== null && target.personIds.includes(actor.personId);
    default:
      break;
  }
  switch (grant.scopeType) {
    case 'federation':
      return true;
    case 'ngi':
      return (target.type === 'ngi' || target.type === 'site') && target.ngiId === grant.scopeId;
    case 'site':
      if (target.type !== 'site' && target.type !== 'ngi') return false;
      if (PERMISSION_REACH[permission] === 'ngi-of-site') return target.ngiId === grant.ngiId;
      return target.type === 'site' && target.siteId === grant.scopeId;
    case 'vo':
      return target.type === 'vo' && target.voId === grant.scopeId;
  }
}

/** Holds the permission at some scope (the route-level check). */
export function hasPermission(actor: Actor, permission: Permission): boolean {
  return grantsWith(actor, permission).length > 0;
}

/** Holds the permission at a scope reaching the target. */
export function can(actor: Actor, permission: Permission, target: Target): boolean {
  return grantsWith(actor, permission).some((g) => grantReaches(g, permission, target, actor));
}

/** May the actor grant (or revoke) `role` at the target? The granter's own role decides which roles (GRANTABLE). */
export function canGrant(actor: Actor, role: Role, target: Target): boolean {
  return grantsWith(actor, 'role:grant').some((g) => GRANTABLE[g.role].includes(role) && grantReaches(g, 'role:grant', target, actor));
}

/** The permissions of `candidates` the actor holds on the target: what the web client may offer. */
export function abilities(actor: Actor, target: Target, candidates: readonly Permission[]): Permission[] {
  return candidates.filter((p) => can(actor, p, target));
}

/**
 * Which scopes the actor may list with a permission: everything, whole NGIs, single sites, VOs.
 * Lists filter with the registry's `sitesInReach` fragment (or the VO ids) built from this.
 */
export interface Reach {
  permission: Permission;
  all: boolean;
  ngiIds: readonly string[];
  siteIds: readonly string[];
  voIds: readonly string[];
  personId: string | null;
}

export function reach(actor: Actor, permission: Permission): Reach {
  const ngiIds = new Set<string>();
  const siteIds = new Set<string>();
  const voIds = new Set<string>();
  let all = false;
  for (const g of grantsWith(actor, permission)) {
    if (g.scopeType === 'federation') all = true;
    else if (g.scopeType === 'ngi') ngiIds.add(g.scopeId);
    else if (g.scopeType === 'site' && PERMISSION_REACH[permission] === 'ngi-of-site' && g.ngiId) ngiIds.add(g.ngiId);
    else if (g.scopeType === 'site') siteIds.add(g.scopeId);
    else if (g.scopeType === 'vo') voIds.add(g.scopeId);
  }
  return { permission, all, ngiIds: [...ngiIds], siteIds: [...siteIds], voIds: [...voIds], personId: actor.personId };
}

/** Is the target inside the reach? (The list-side twin of `can`.) */
export function inReach(r: Reach, target: Target): boolean {
  switch (target.type) {
    case 'any':
      return target.of.some((t) => inReach(r, t));
    case 'named':
      return r.personId !== null && target.personIds.includes(r.personId);
    case 'federation':
      return r.all;
    case 'ngi':
      return r.all || r.ngiIds.includes(target.ngiId);
    case 'site':
      return r.all || r.ngiIds.includes(target.ngiId) || r.siteIds.includes(target.siteId);
    case 'vo':
      return r.all || r.voIds.includes(target.voId);
  }
}

export const reachesNothing = (r: Reach) => !r.all && r.ngiIds.length === 0 && r.siteIds.length === 0 && r.voIds.length === 0;

/** A kind of object whose scope the access check can resolve from its id. */
export interface ObjectKind {
  /** Name in error messages ("host", "service endpoint"). */
  label: string;
  /** Who may know the object exists: anyone else is told it is not found. */
  read: Permission;
  /** The object's scope, or undefined when there is no such object. */
  scopeOf(id: string): Promise<Target | undefined>;
}

/** What `requireAccess` checks: an object by kind and id (its scope resolved), or a scope given directly. */
export type AccessTarget = { kind: ObjectKind; id: string } | Target;

/**
 * The one access check every service makes first. An object the actor may not read is not
 * found (its existence does not leak); one they read but may not change is forbidden.
 * Returns the object's scope.
 */
export async function requireAccess(actor: Actor, permission: Permission, target: AccessTarget): Promise<Target> {
  if ('kind' in target) {
    const scope = await target.kind.scopeOf(target.id);
    if (!scope || !can(actor, target.kind.read, scope)) throw new NotFoundError(target.kind.label, target.id);
    if (!can(actor, permission, scope)) throw new ForbiddenError(`${permission} not permitted on this ${target.kind.label}`);
    return scope;
  }
  if (!can(actor, permission, target)) throw new ForbiddenError(`${permission} not permitted here`);
  return target;
}

/** A reach over everything, for the system's own reads (never for a request's actor). */
export const everything = (permission: Permission): Reach => ({ permission, all: true, ngiIds: [], siteIds: [], voIds: [], personId: null });
