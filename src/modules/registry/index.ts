// The registry's public entry: what other modules may use of it. Its tables are read elsewhere
// only through these fragments; its services through the types below.
export { ngisInReach, siteScope, sitesInReach } from './reach.js';
export {
  endpointOwners,
  findPersonName,
  findSiteByName,
  listRoleGrants,
  personNames,
  siteAndNgiNames,
  siteIdByName,
  siteIdsWhere,
  siteNames,
  siteNamesOfNgis,
  siteSecurityContacts,
  securityContacts,
  peopleByEmail,
  scopeNames,
} from './fragments.js';
export type { ContactScope, SecurityContact, ScopeRef } from './fragments.js';
export type { RegistryService } from './service.js';
export type { PeopleService } from './people-service.js';
