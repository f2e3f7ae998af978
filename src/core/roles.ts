// Roles, scopes and the permissions each role grants: the one table authorization reads.

export const ROLES = [
  'federation-admin',
  'csirt',
  'ngi-security-officer',
  'site-security-officer',
  'site-admin',
  'vo-manager',
  'vo-endorser',
  'read-only',
] as const;
export type Role = (typeof ROLES)[number];

export type ScopeType = 'federation' | 'ngi' | 'site' | 'vo';

/** Where each role may be held. */
export const ROLE_SCOPES: Record<Role, readonly ScopeType[]> = {
  'federation-admin': ['federation'],
  csirt: ['federation'],
  'ngi-security-officer': ['ngi'],
  'site-security-officer': ['site'],
  'site-admin': ['site'],
  'vo-manager': ['vo'],
  'vo-endorser': ['vo'],
  'read-only': ['federation', 'ngi', 'site', 'vo'],
};

export const PERMISSIONS = [
  'registry:read',
  'ngi:write',
  'site:create',
  'site:write',
  'endpoint:write',
  'vo:create',
  'vo:write',
  'person:create',
  'person:write',
  'role:grant',
  'import:gocdb',
  'audit:read',
  'account:manage',
  'job:read',
  'token:own',
  'patching:read',
  'feed:manage',
  'cve:tag',
  'exception:manage',
  /** Accept or reject site exceptions to CSIRT-tagged CVEs, set which tag levels need no review. */
  'exception:review',
  'enrolment:manage',
  'quarantine:review',
  'report-policy:manage',
  'lifecycle:manage',
  /** See the tasks addressed to a scope and its response times. */
  'task:read',
  /** Acknowledge, resolve, comment on and attach to the tasks addressed to a scope. */
  'task:answer',
  /** Open (and cancel) tasks and checklists for a scope. */
  'task:create',
  /** Edit deadline rules, the working calendar and checklist templates. */
  'deadline:manage',
  /** Webhook endpoints, the dead-letter list, inbound mail held for review. */
  'notification:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What each role may do, within the scope where it is held. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  'federation-admin': PERMISSIONS,
  csirt: [
    'registry:read',
    'audit:read',
    'job:read',
    'token:own',
    'patching:read',
    'feed:manage',
    'cve:tag',
    'exception:review',
    'quarantine:review',
    'report-policy:manage',
    'lifecycle:manage',
    'task:read',
    'task:answer',
    'task:create',
    'deadline:manage',
    'notification:manage',
  ],
  'ngi-security-officer': [
    'registry:read',
    'site:create',
    'site:write',
    'endpoint:write',
    'person:create',
    'role:grant',
    'audit:read',
    'token:own',
    'patching:read',
    'exception:manage',
    'enrolment:manage',
    'quarantine:review',
    'task:read',
    'task:answer',
    'task:create',
  ],
  'site-security-officer': [
    'registry:read',
    'site:write',
    'endpoint:write',
    'person:create',
    'role:grant',
    'audit:read',
    'token:own',
    'patching:read',
    'exception:manage',
    'enrolment:manage',
    'task:read',
    'task:answer',
  ],
  'site-admin': ['registry:read', 'site:write', 'endpoint:write', 'audit:read', 'token:own', 'patching:read', 'enrolment:manage', 'task:read', 'task:answer'],
  'vo-manager': ['registry:read', 'vo:write', 'person:create', 'role:grant', 'audit:read', 'token:own', 'task:read', 'task:answer'],
  'vo-endorser': ['registry:read', 'token:own'],
  'read-only': ['registry:read', 'token:own', 'patching:read'],
};

/**
 * How far a site-scoped grant of a permission reaches. By default a site role acts on its own
 * site only (patch data of a neighbouring site is exactly what must not leak); for registry
 * contacts it reaches the site's whole NGI, so a site administrator finds the NGI security
 * officer and the neighbouring sites' contacts.
 */
export const PERMISSION_REACH: Partial<Record<Permission, 'ngi-of-site'>> = {
  'registry:read': 'ngi-of-site',
};

/** Roles a holder of each role may grant, inside the scope they hold it in. */
export const GRANTABLE: Record<Role, readonly Role[]> = {
  'federation-admin': ROLES,
  csirt: [],
  'ngi-security-officer': ['site-security-officer', 'site-admin', 'read-only'],
  'site-security-officer': ['site-admin', 'read-only'],
  'site-admin': [],
  'vo-manager': ['vo-endorser', 'read-only'],
  'vo-endorser': [],
  'read-only': [],
};

export const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);
export const isPermission = (v: string): v is Permission => (PERMISSIONS as readonly string[]).includes(v);
