// Registry use cases for NGIs, sites, service endpoints and VOs: scope check, transaction, audit.
import type { Db } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { ConflictError, NotFoundError } from '../../core/errors.js';
import { abilities, can, everything, reach as reachOf, requireAccess, type Actor } from '../../core/access.js';
import { PERMISSIONS } from '../../core/roles.js';
import type { PageQuery } from '../../core/paging.js';
import type { Bool, SiteTable } from '../../db/schema.js';
import * as repo from './repo.js';
import * as people from './people-repo.js';
import { toEndpoint, toNgi, toRoleAssignment, toSite, toVo } from './views.js';
import { checkCertificationChange, diffFields } from './rules.js';

export interface RegistryDeps {
  db: Db;
  clock: Clock;
  audit: Audit;
}

export interface NgiInput {
  name: string;
  description?: string | null;
  email?: string | null;
  securityEmail?: string | null;
}
export interface SiteInput {
  name: string;
  ngiId: string;
  officialName?: string | null;
  description?: string | null;
  countryCode?: string | null;
  country?: string | null;
  certificationStatus?: string;
  isProduction?: boolean;
  securityEmail?: string | null;
  contactEmail?: string | null;
  isNotified?: boolean;
  homeUrl?: string | null;
  timezone?: string | null;
}
export interface EndpointInput {
  siteId: string;
  hostname: string;
  serviceType: string;
  url?: string | null;
  isInProduction?: boolean;
  isMonitored?: boolean;
  hostDn?: string | null;
}
export interface VoInput {
  name: string;
  description?: string | null;
  securityEmail?: string | null;
  homepageUrl?: string | null;
}

const b = (v: boolean | undefined, fallback: boolean): Bool => ((v ?? fallback) ? 1 : 0);
const siteTarget = (s: { site_id: string; ngi_id: string }) => ({ type: 'site' as const, siteId: s.site_id, ngiId: s.ngi_id });

export function createRegistryService({ db, clock, audit }: RegistryDeps) {
  const now = () => clock.now().toISOString();

  async function getSiteRow(actor: Actor, siteId: string) {
    const site = await repo.findSite(db, siteId);
    if (!site || !can(actor, 'registry:read', siteTarget(site))) throw new NotFoundError('site', siteId);
    return site;
  }

  return {
    /** The id of an NGI, site or VO given by name or id (for the CLI's --scope ngi:NGI_X). */
    async resolveScopeId(scopeType: 'ngi' | 'site' | 'vo', nameOrId: string): Promise<string> {
      const row =
        scopeType === 'ngi'
          ? await db
              .selectFrom('ngi')
              .select('ngi_id as id')
              .where((eb) => eb.or([eb('name', '=', nameOrId), eb('ngi_id', '=', nameOrId)]))
              .executeTakeFirst()
          : scopeType === 'site'
            ? await db
                .selectFrom('site')
                .select('site_id as id')
                .where((eb) => eb.or([eb('name', '=', nameOrId), eb('site_id', '=', nameOrId)]))
                .executeTakeFirst()
            : await db
                .selectFrom('vo')
                .select('vo_id as id')
                .where((eb) => eb.or([eb('name', '=', nameOrId), eb('vo_id', '=', nameOrId)]))
                .executeTakeFirst();
      if (!row) throw new NotFoundError(scopeType === 'vo' ? 'VO' : scopeType === 'ngi' ? 'NGI' : 'site', nameOrId);
      return row.id;
    },

    /** The scope target of a site the actor can see (other modules check permissions on it). */
    async siteTarget(actor: Actor, siteId: string) {
      return siteTarget(await getSiteRow(actor, siteId));
    },

    // ---- NGIs ----
    listNgis: async (actor: Actor, page: PageQuery) => {
      const { items, total } = await repo.listNgis(db, reachOf(actor, 'registry:read'), page);
      return { items: items.map(toNgi), total, limit: page.limit, offset: page.offset };
    },
    async getNgi(actor: Actor, ngiId: string) {
      const ngi = await repo.findNgi(db, ngiId);
      if (!ngi || !can(actor, 'registry:read', { type: 'ngi', ngiId })) throw new NotFoundError('NGI', ngiId);
      const roles = await people.listRolesOnScope(db, 'ngi', ngiId);
      return { ...toNgi(ngi), contacts: roles.map(toRoleAssignment), abilities: abilities(actor, { type: 'ngi', ngiId }, PERMISSIONS) };
    },
    createNgi: (actor: Actor, input: NgiInput) =>
      db.transaction().execute(async (trx) => {
        await requireAccess(actor, 'ngi:write', { type: 'federation' });
        if (await repo.findNgiByName(trx, input.name)) throw new ConflictError(`NGI ${input.name} already exists`);
        const t = now();
        const row = {
          ngi_id: newId(),
          gocdb_key: null,
          name: input.name,
          description: input.description ?? null,
          email: input.email ?? null,
          security_email: input.securityEmail ?? null,
          created_at: t,
          updated_at: t,
          removed_at: null,
        };
        await repo.insertNgi(trx, row);
        await audit.record(trx, { actor, action: 'ngi.create', objectType: 'ngi', objectId: row.ngi_id, after: toNgi(row) });
        return toNgi(row);
      }),
    updateNgi: (actor: Actor, ngiId: string, input: Partial<NgiInput>) =>
      db.transaction().execute(async (trx) => {
        await requireAccess(actor, 'ngi:write', { type: 'ngi', ngiId });
        const before = await repo.findNgi(trx, ngiId);
        if (!before) throw new NotFoundError('NGI', ngiId);
        const set = diffFields(before, { name: input.name, description: input.description, email: input.email, security_email: input.securityEmail });
        if (Object.keys(set).length === 0) return toNgi(before);
        const after = { ...before, ...set, updated_at: now() };
        await repo.updateNgi(trx, ngiId, { ...set, updated_at: after.updated_at });
        await audit.record(trx, { actor, action: 'ngi.update', objectType: 'ngi', objectId: ngiId, before: toNgi(before), after: toNgi(after) });
        return toNgi(after);
      }),

    // ---- Sites ----
    listSites: async (actor: Actor, page: PageQuery, filter: repo.SiteFilter) => {
      const { items, total } = await repo.listSites(db, reachOf(actor, 'registry:read'), page, filter);
      return { items: items.map(toSite), total, limit: page.limit, offset: page.offset };
    },
    /** A site with its service endpoints and contacts (everyone holding a role on it). */
    async getSite(actor: Actor, siteId: string) {
      const site = await getSiteRow(actor, siteId);
      const endpoints = await repo.listEndpoints(db, everything('registry:read'), { limit: 500, offset: 0, order: 'asc', sort: 'hostname' }, siteId);
      const contacts = await people.listRolesOnScope(db, 'site', siteId);
      return {
        ...toSite(site),
        endpoints: endpoints.items.map(toEndpoint),
        contacts: contacts.map(toRoleAssignment),
        abilities: abilities(actor, siteTarget(site), PERMISSIONS),
      };
    },
    createSite: (actor: Actor, input: SiteInput) =>
      db.transaction().execute(async (trx) => {
        const ngi = await repo.findNgi(trx, input.ngiId);
        if (!ngi) throw new NotFoundError('NGI', input.ngiId);
        await requireAccess(actor, 'site:create', { type: 'ngi', ngiId: ngi.ngi_id });
        if (await repo.findSiteByName(trx, input.name)) throw new ConflictError(`site ${input.name} already exists`);
        const t = now();
        const row: SiteTable = {
          site_id: newId(),
          gocdb_key: null,
          name: input.name,
          official_name: input.officialName ?? null,
          description: input.description ?? null,
          ngi_id: ngi.ngi_id,
          country_code: input.countryCode ?? null,
          country: input.country ?? null,
          certification_status: input.certificationStatus ?? 'candidate',
          is_production: b(input.isProduction, true),
          security_email: input.securityEmail ?? null,
          contact_email: input.contactEmail ?? null,
          is_notified: b(input.isNotified, true),
          home_url: input.homeUrl ?? null,
          timezone: input.timezone ?? null,
          created_at: t,
          updated_at: t,
          removed_at: null,
        };
        await repo.insertSite(trx, row);
        const view = toSite({ ...row, ngi_name: ngi.name });
        await audit.record(trx, { actor, action: 'site.create', objectType: 'site', objectId: row.site_id, after: view });
        return view;
      }),
    updateSite: (actor: Actor, siteId: string, input: Partial<SiteInput>) =>
      db.transaction().execute(async (trx) => {
        const before = await repo.findSite(trx, siteId);
        if (!before || !can(actor, 'registry:read', siteTarget(before))) throw new NotFoundError('site', siteId);
        await requireAccess(actor, 'site:write', siteTarget(before));
        if (input.ngiId !== undefined && input.ngiId !== before.ngi_id) {
          // Moving a site between NGIs changes who is responsible for it: federation level only.
          await requireAccess(actor, 'ngi:write', { type: 'federation' });
          if (!(await repo.findNgi(trx, input.ngiId))) throw new NotFoundError('NGI', input.ngiId);
        }
        if (input.certificationStatus !== undefined) checkCertificationChange(before.certification_status, input.certificationStatus);
        const set = diffFields(before, {
          name: input.name,
          ngi_id: input.ngiId,
          official_name: input.officialName,
          description: input.description,
          country_code: input.countryCode,
          country: input.country,
          certification_status: input.certificationStatus,
          security_email: input.securityEmail,
          contact_email: input.contactEmail,
          home_url: input.homeUrl,
          timezone: input.timezone,
          is_production: input.isProduction === undefined ? undefined : b(input.isProduction, true),
          is_notified: input.isNotified === undefined ? undefined : b(input.isNotified, true),
        });
        if (set.name && set.name !== before.name && (await repo.findSiteByName(trx, set.name))) throw new ConflictError(`site ${set.name} already exists`);
        if (Object.keys(set).length === 0) return toSite(before);
        await repo.updateSite(trx, siteId, { ...set, updated_at: now() });
        const after = await repo.findSite(trx, siteId);
        await audit.record(trx, { actor, action: 'site.update', objectType: 'site', objectId: siteId, before: toSite(before), after: toSite(after!) });
        return toSite(after!);
      }),

    // ---- Service endpoints ----
    listEndpoints: async (actor: Actor, page: PageQuery, siteId?: string, serviceType?: string) => {
      const { items, total } = await repo.listEndpoints(db, reachOf(actor, 'registry:read'), page, siteId, serviceType);
      return { items: items.map(toEndpoint), total, limit: page.limit, offset: page.offset };
    },
    async getEndpoint(actor: Actor, endpointId: string) {
      const row = await repo.findEndpoint(db, endpointId);
      if (!row || !can(actor, 'registry:read', siteTarget(row))) throw new NotFoundError('service endpoint', endpointId);
      return toEndpoint(row);
    },
    createEndpoint: (actor: Actor, input: EndpointInput) =>
      db.transaction().execute(async (trx) => {
        const site = await repo.findSite(trx, input.siteId);
        if (!site || !can(actor, 'registry:read', siteTarget(site))) throw new NotFoundError('site', input.siteId);
        await requireAccess(actor, 'endpoint:write', siteTarget(site));
        const t = now();
        const row = {
          endpoint_id: newId(),
          gocdb_key: null,
          site_id: site.site_id,
          hostname: input.hostname.toLowerCase(),
          service_type: input.serviceType,
          url: input.url ?? null,
          is_in_production: b(input.isInProduction, true),
          is_monitored: b(input.isMonitored, true),
          host_dn: input.hostDn ?? null,
          created_at: t,
          updated_at: t,
        };
        await repo.insertEndpoint(trx, row);
        const view = toEndpoint({ ...row, site_name: site.name });
        await audit.record(trx, { actor, action: 'endpoint.create', objectType: 'service_endpoint', objectId: row.endpoint_id, after: view });
        return view;
      }),
    updateEndpoint: (actor: Actor, endpointId: string, input: Partial<Omit<EndpointInput, 'siteId'>>) =>
      db.transaction().execute(async (trx) => {
        const before = await repo.findEndpoint(trx, endpointId);
        if (!before || !can(actor, 'registry:read', siteTarget(before))) throw new NotFoundError('service endpoint', endpointId);
        await requireAccess(actor, 'endpoint:write', siteTarget(before));
        const set = diffFields(before, {
          hostname: input.hostname?.toLowerCase(),
          service_type: input.serviceType,
          url: input.url,
          host_dn: input.hostDn,
          is_in_production: input.isInProduction === undefined ? undefined : b(input.isInProduction, true),
          is_monitored: input.isMonitored === undefined ? undefined : b(input.isMonitored, true),
        });
        if (Object.keys(set).length === 0) return toEndpoint(before);
        const after = { ...before, ...set, updated_at: now() };
        await repo.updateEndpoint(trx, endpointId, { ...set, updated_at: after.updated_at });
        await audit.record(trx, {
          actor,
          action: 'endpoint.update',
          objectType: 'service_endpoint',
          objectId: endpointId,
          before: toEndpoint(before),
          after: toEndpoint(after),
        });
        return toEndpoint(after);
      }),
    deleteEndpoint: (actor: Actor, endpointId: string) =>
      db.transaction().execute(async (trx) => {
        const before = await repo.findEndpoint(trx, endpointId);
        if (!before || !can(actor, 'registry:read', siteTarget(before))) throw new NotFoundError('service endpoint', endpointId);
        await requireAccess(actor, 'endpoint:write', siteTarget(before));
        await repo.deleteEndpoint(trx, endpointId);
        await audit.record(trx, { actor, action: 'endpoint.delete', objectType: 'service_endpoint', objectId: endpointId, before: toEndpoint(before) });
      }),

    // ---- VOs ----
    listVos: async (actor: Actor, page: PageQuery) => {
      const { items, total } = await repo.listVos(db, reachOf(actor, 'registry:read'), page);
      return { items: items.map(toVo), total, limit: page.limit, offset: page.offset };
    },
    async getVo(actor: Actor, voId: string) {
      const vo = await repo.findVo(db, voId);
      if (!vo || !can(actor, 'registry:read', { type: 'vo', voId })) throw new NotFoundError('VO', voId);
      const roles = await people.listRolesOnScope(db, 'vo', voId);
      return { ...toVo(vo), contacts: roles.map(toRoleAssignment), abilities: abilities(actor, { type: 'vo', voId }, PERMISSIONS) };
    },
    createVo: (actor: Actor, input: VoInput) =>
      db.transaction().execute(async (trx) => {
        await requireAccess(actor, 'vo:create', { type: 'federation' });
        if (await trx.selectFrom('vo').select('vo_id').where('name', '=', input.name).executeTakeFirst())
          throw new ConflictError(`VO ${input.name} already exists`);
        const t = now();
        const row = {
          vo_id: newId(),
          name: input.name,
          description: input.description ?? null,
          security_email: input.securityEmail ?? null,
          homepage_url: input.homepageUrl ?? null,
          created_at: t,
          updated_at: t,
        };
        await repo.insertVo(trx, row);
        await audit.record(trx, { actor, action: 'vo.create', objectType: 'vo', objectId: row.vo_id, after: toVo(row) });
        return toVo(row);
      }),
    updateVo: (actor: Actor, voId: string, input: Partial<VoInput>) =>
      db.transaction().execute(async (trx) => {
        const before = await repo.findVo(trx, voId);
        if (!before || !can(actor, 'registry:read', { type: 'vo', voId })) throw new NotFoundError('VO', voId);
        await requireAccess(actor, 'vo:write', { type: 'vo', voId });
        const set = diffFields(before, {
          name: input.name,
          description: input.description,
          security_email: input.securityEmail,
          homepage_url: input.homepageUrl,
        });
        if (Object.keys(set).length === 0) return toVo(before);
        const after = { ...before, ...set, updated_at: now() };
        await repo.updateVo(trx, voId, { ...set, updated_at: after.updated_at });
        await audit.record(trx, { actor, action: 'vo.update', objectType: 'vo', objectId: voId, before: toVo(before), after: toVo(after) });
        return toVo(after);
      }),
  };
}
export type RegistryService = ReturnType<typeof createRegistryService>;
