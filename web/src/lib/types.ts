// Wire shapes of the Vigil API (see /openapi.json); kept apart from any view state.

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface Grant {
  role: string;
  scopeType: string;
  scopeId: string;
}

export interface Session {
  personId: string | null;
  label: string;
  grants: Grant[];
  permissions: string[];
  /** Held federation-wide; the others hold only in the scopes of the grants. */
  federationPermissions: string[];
  csrfToken?: string;
  expiresAt?: string;
}

export interface RoleAssignment {
  roleAssignmentId: string;
  personId: string;
  personName: string;
  personEmail: string | null;
  role: string;
  scopeType: string;
  scopeId: string;
  scopeName: string | null;
  source: string;
  createdAt: string;
}

interface Stamps {
  createdAt: string;
  updatedAt: string;
}

export interface Ngi extends Stamps {
  ngiId: string;
  gocdbKey: string | null;
  name: string;
  description: string | null;
  email: string | null;
  securityEmail: string | null;
  siteCount?: number;
  removedAt: string | null;
}
/** Permissions the reader holds on the object, as the server decided. */
export type Abilities = string[];

export interface NgiDetail extends Ngi {
  contacts: RoleAssignment[];
  abilities: Abilities;
}

export interface Site extends Stamps {
  siteId: string;
  gocdbKey: string | null;
  name: string;
  officialName: string | null;
  description: string | null;
  ngiId: string;
  ngiName: string;
  countryCode: string | null;
  country: string | null;
  certificationStatus: string;
  isProduction: boolean;
  securityEmail: string | null;
  contactEmail: string | null;
  isNotified: boolean;
  homeUrl: string | null;
  timezone: string | null;
  removedAt: string | null;
}

export interface Endpoint extends Stamps {
  endpointId: string;
  gocdbKey: string | null;
  siteId: string;
  siteName: string;
  hostname: string;
  serviceType: string;
  url: string | null;
  isInProduction: boolean;
  isMonitored: boolean;
  hostDn: string | null;
}
export interface SiteDetail extends Site {
  endpoints: Endpoint[];
  contacts: RoleAssignment[];
  abilities: Abilities;
}

export interface Vo extends Stamps {
  voId: string;
  name: string;
  description: string | null;
  securityEmail: string | null;
  homepageUrl: string | null;
}
export interface VoDetail extends Vo {
  contacts: RoleAssignment[];
  abilities: Abilities;
}

export interface Person extends Stamps {
  personId: string;
  gocdbKey: string | null;
  name: string;
  email: string | null;
  dn: string | null;
  checkinSubject: string | null;
  identityVerified?: boolean;
  hasAccount?: boolean;
}
export interface PersonDetail extends Person {
  roles: RoleAssignment[];
}

interface Counts {
  ngis: number;
  sites: number;
  endpoints: number;
  people: number;
  roles: number;
}
export interface ImportSummary {
  dryRun: boolean;
  added: Counts;
  changed: Counts;
  removed: Counts;
  unchanged: Counts;
  /** What is (or would be) removed, by name (the first 500). */
  removals: Array<{ kind: 'sites' | 'endpoints' | 'roles'; name: string; scope?: string }>;
  skipped: Array<{ element: string; reason: string }>;
  warnings: string[];
}

export interface AuditEvent {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  objectType: string;
  objectId: string;
  before: unknown;
  after: unknown;
  hash: string;
}

export interface Job {
  jobId: string;
  kind: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  runAt: string;
  progress: number;
  progressMessage: string | null;
  lastError: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ApiToken {
  tokenId: string;
  personId: string;
  personName: string;
  name: string;
  prefix: string;
  permissions: string[];
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const CERTIFICATION_STATUSES = ['candidate', 'uncertified', 'certified', 'suspended', 'closed'] as const;
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
export const ROLE_SCOPES: Record<string, readonly string[]> = {
  'federation-admin': ['federation'],
  csirt: ['federation'],
  'ngi-security-officer': ['ngi'],
  'site-security-officer': ['site'],
  'site-admin': ['site'],
  'vo-manager': ['vo'],
  'vo-endorser': ['vo'],
  'read-only': ['federation', 'ngi', 'site', 'vo'],
};

/** "site-security-officer" → "Site security officer". */
export function roleLabel(role: string): string {
  const text = role
    .replace(/-/g, ' ')
    .replace(/\bngi\b/, 'NGI')
    .replace(/\bvo\b/, 'VO')
    .replace(/\bcsirt\b/, 'CSIRT');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
