// Row → wire mapping for registry objects (camelCase JSON, real booleans).
import type { NgiTable, PersonTable, ServiceEndpointTable, SiteTable, VoTable } from '../../db/schema.js';

export const toNgi = (r: NgiTable & { site_count?: number | null }) => ({
  ngiId: r.ngi_id,
  gocdbKey: r.gocdb_key,
  name: r.name,
  description: r.description,
  email: r.email,
  securityEmail: r.security_email,
  siteCount: r.site_count === undefined || r.site_count === null ? undefined : Number(r.site_count),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  removedAt: r.removed_at,
});
export type Ngi = ReturnType<typeof toNgi>;

export const toSite = (r: SiteTable & { ngi_name: string }) => ({
  siteId: r.site_id,
  gocdbKey: r.gocdb_key,
  name: r.name,
  officialName: r.official_name,
  description: r.description,
  ngiId: r.ngi_id,
  ngiName: r.ngi_name,
  countryCode: r.country_code,
  country: r.country,
  certificationStatus: r.certification_status,
  isProduction: r.is_production === 1,
  securityEmail: r.security_email,
  contactEmail: r.contact_email,
  isNotified: r.is_notified === 1,
  homeUrl: r.home_url,
  timezone: r.timezone,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  removedAt: r.removed_at,
});
export type Site = ReturnType<typeof toSite>;

export const toEndpoint = (r: ServiceEndpointTable & { site_name: string }) => ({
  endpointId: r.endpoint_id,
  gocdbKey: r.gocdb_key,
  siteId: r.site_id,
  siteName: r.site_name,
  hostname: r.hostname,
  serviceType: r.service_type,
  url: r.url,
  isInProduction: r.is_in_production === 1,
  isMonitored: r.is_monitored === 1,
  hostDn: r.host_dn,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export type Endpoint = ReturnType<typeof toEndpoint>;

export const toVo = (r: VoTable) => ({
  voId: r.vo_id,
  name: r.name,
  description: r.description,
  securityEmail: r.security_email,
  homepageUrl: r.homepage_url,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export type Vo = ReturnType<typeof toVo>;

export const toPerson = (r: PersonTable & { has_account?: number | null }) => ({
  personId: r.person_id,
  gocdbKey: r.gocdb_key,
  name: r.name,
  email: r.email,
  dn: r.dn,
  checkinSubject: r.checkin_subject,
  identityVerified: Number(r.is_identity_verified) === 1,
  hasAccount: r.has_account === undefined ? undefined : Number(r.has_account) > 0,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export type Person = ReturnType<typeof toPerson>;

export interface RoleAssignmentRow {
  role_assignment_id: string;
  person_id: string;
  person_name: string;
  person_email: string | null;
  role: string;
  scope_type: string;
  scope_id: string;
  scope_name: string | null;
  source: string;
  created_at: string;
}
export const toRoleAssignment = (r: RoleAssignmentRow) => ({
  roleAssignmentId: r.role_assignment_id,
  personId: r.person_id,
  personName: r.person_name,
  personEmail: r.person_email,
  role: r.role,
  scopeType: r.scope_type,
  scopeId: r.scope_id,
  scopeName: r.scope_type === 'federation' ? 'federation' : r.scope_name,
  source: r.source,
  createdAt: r.created_at,
});
export type RoleAssignment = ReturnType<typeof toRoleAssignment>;
