// GOCDB role names (GOCDB config/RoleActionMappings.xml, GOCDB PI documentation) to Vigil roles.
import type { Role } from '../../core/roles.js';

const BY_GOCDB_NAME: ReadonlyMap<string, Role> = new Map([
  ['site security officer', 'site-security-officer'],
  ['site administrator', 'site-admin'],
  ['site operations manager', 'site-admin'],
  ['site operations deputy manager', 'site-admin'],
  ['ngi security officer', 'ngi-security-officer'],
  // NGI operations managers see their NGI's sites (read-only, held at NGI scope) but are not
  // security officers: Vigil grants security powers only to the NGI Security Officer.
  ['ngi operations manager', 'read-only'],
  ['ngi operations deputy manager', 'read-only'],
  ['egi csirt officer', 'csirt'],
] as const);

/**
 * The Vigil role a GOCDB role grants, or undefined for roles Vigil does not map (ROD, COD,
 * service-group roles…), which stay raw contacts. The scope is the entity the GOCDB role is
 * held on (a site, an NGI, or the EGI project for the CSIRT). Case and spacing are ignored.
 *
 * @example mapGocdbRole('Site Security Officer') // 'site-security-officer'
 * @example mapGocdbRole('Regional Staff (ROD)')  // undefined
 */
export function mapGocdbRole(roleName: string): Role | undefined {
  return BY_GOCDB_NAME.get(roleName.trim().replace(/\s+/g, ' ').toLowerCase());
}
