// Queries on NGIs, sites, service endpoints and VOs. Lists take the reader's reach so that
// nobody is shown an object outside their scopes.
import type { Executor } from '../../db/database.js';
import { containsCi, idsOrNone } from '../../db/filters.js';
import type { Reach } from '../../core/access.js';
import { ngisInReach, sitesInReach } from './reach.js';
import { sortColumn, type PageQuery } from '../../core/paging.js';
import type { NgiTable, ServiceEndpointTable, SiteTable, VoTable } from '../../db/schema.js';

// ---- NGIs -------------------------------------------------------------------------------
function ngiQuery(db: Executor, reach: Reach, q?: string) {
  return db
    .selectFrom('ngi')
    .$if(!reach.all, (qb) => qb.where('ngi.ngi_id', 'in', ngisInReach(db, reach)))
    .$if(!!q, (qb) => qb.where((eb) => eb.or([containsCi(eb.ref('ngi.name'), q!), containsCi(eb.ref('ngi.description'), q!)])));
}

export async function listNgis(db: Executor, reach: Reach, page: PageQuery) {
  const sort = sortColumn({ name: 'ngi.name', updatedAt: 'ngi.updated_at' } as const, page.sort);
  const { total } = await ngiQuery(db, reach, page.q)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const items = await ngiQuery(db, reach, page.q)
    .selectAll('ngi')
    .select((eb) =>
      eb
        .selectFrom('site')
        .whereRef('site.ngi_id', '=', 'ngi.ngi_id')
        .where('site.removed_at', 'is', null)
        .select((e) => e.fn.countAll<number>().as('c'))
        .as('site_count'),
    )
    .orderBy(sort, page.order)
    .orderBy('ngi.ngi_id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { items, total: Number(total) };
}

export const findNgi = (db: Executor, ngiId: string) => db.selectFrom('ngi').selectAll().where('ngi_id', '=', ngiId).executeTakeFirst();
export const findNgiByName = (db: Executor, name: string) => db.selectFrom('ngi').selectAll().where('name', '=', name).executeTakeFirst();
export const insertNgi = (db: Executor, row: NgiTable) => db.insertInto('ngi').values(row).execute();
export const updateNgi = (db: Executor, ngiId: string, set: Partial<NgiTable>) => db.updateTable('ngi').set(set).where('ngi_id', '=', ngiId).execute();

// ---- Sites ------------------------------------------------------------------------------
export interface SiteFilter {
  ngiId?: string | undefined;
  certificationStatus?: string | undefined;
  isProduction?: boolean | undefined;
  includeRemoved?: boolean | undefined;
}

function siteQuery(db: Executor, reach: Reach, page: PageQuery, f: SiteFilter) {
  return db
    .selectFrom('site')
    .innerJoin('ngi', 'ngi.ngi_id', 'site.ngi_id')
    .$if(!reach.all, (qb) => qb.where('site.site_id', 'in', sitesInReach(db, reach)))
    .$if(!f.includeRemoved, (qb) => qb.where('site.removed_at', 'is', null))
    .$if(!!f.ngiId, (qb) => qb.where('site.ngi_id', '=', f.ngiId!))
    .$if(!!f.certificationStatus, (qb) => qb.where('site.certification_status', '=', f.certificationStatus!))
    .$if(f.isProduction !== undefined, (qb) => qb.where('site.is_production', '=', f.isProduction ? 1 : 0))
    .$if(!!page.q, (qb) =>
      qb.where((eb) =>
        eb.or([
          containsCi(eb.ref('site.name'), page.q!),
          containsCi(eb.ref('site.official_name'), page.q!),
          containsCi(eb.ref('site.country'), page.q!),
          containsCi(eb.ref('site.security_email'), page.q!),
        ]),
      ),
    );
}

export async function listSites(db: Executor, reach: Reach, page: PageQuery, f: SiteFilter) {
  const sort = sortColumn(
    {
      name: 'site.name',
      ngiName: 'ngi.name',
      country: 'site.country',
      certificationStatus: 'site.certification_status',
      updatedAt: 'site.updated_at',
    } as const,
    page.sort,
  );
  const { total } = await siteQuery(db, reach, page, f)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const items = await siteQuery(db, reach, page, f)
    .selectAll('site')
    .select('ngi.name as ngi_name')
    .orderBy(sort, page.order)
    .orderBy('site.site_id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { items, total: Number(total) };
}

export const findSite = (db: Executor, siteId: string) =>
  db
    .selectFrom('site')
    .innerJoin('ngi', 'ngi.ngi_id', 'site.ngi_id')
    .selectAll('site')
    .select('ngi.name as ngi_name')
    .where('site.site_id', '=', siteId)
    .executeTakeFirst();
export const findSiteByName = (db: Executor, name: string) =>
  db
    .selectFrom('site')
    .innerJoin('ngi', 'ngi.ngi_id', 'site.ngi_id')
    .selectAll('site')
    .select('ngi.name as ngi_name')
    .where('site.name', '=', name)
    .executeTakeFirst();
export const insertSite = (db: Executor, row: SiteTable) => db.insertInto('site').values(row).execute();
export const updateSite = (db: Executor, siteId: string, set: Partial<SiteTable>) => db.updateTable('site').set(set).where('site_id', '=', siteId).execute();

// ---- Service endpoints -----------------------------------------------------------------
function endpointQuery(db: Executor, reach: Reach, page: PageQuery, siteId?: string, serviceType?: string) {
  return db
    .selectFrom('service_endpoint')
    .innerJoin('site', 'site.site_id', 'service_endpoint.site_id')
    .$if(!reach.all, (qb) => qb.where('site.site_id', 'in', sitesInReach(db, reach)))
    .$if(!!siteId, (qb) => qb.where('service_endpoint.site_id', '=', siteId!))
    .$if(!!serviceType, (qb) => qb.where('service_endpoint.service_type', '=', serviceType!))
    .$if(!!page.q, (qb) =>
      qb.where((eb) => eb.or([containsCi(eb.ref('service_endpoint.hostname'), page.q!), containsCi(eb.ref('service_endpoint.service_type'), page.q!)])),
    );
}

export async function listEndpoints(db: Executor, reach: Reach, page: PageQuery, siteId?: string, serviceType?: string) {
  const sort = sortColumn({ hostname: 'service_endpoint.hostname', serviceType: 'service_endpoint.service_type', siteName: 'site.name' } as const, page.sort);
  const { total } = await endpointQuery(db, reach, page, siteId, serviceType)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const items = await endpointQuery(db, reach, page, siteId, serviceType)
    .selectAll('service_endpoint')
    .select('site.name as site_name')
    .orderBy(sort, page.order)
    .orderBy('service_endpoint.endpoint_id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { items, total: Number(total) };
}

export const findEndpoint = (db: Executor, endpointId: string) =>
  db
    .selectFrom('service_endpoint')
    .innerJoin('site', 'site.site_id', 'service_endpoint.site_id')
    .selectAll('service_endpoint')
    .select(['site.name as site_name', 'site.ngi_id'])
    .where('service_endpoint.endpoint_id', '=', endpointId)
    .executeTakeFirst();
export const insertEndpoint = (db: Executor, row: ServiceEndpointTable) => db.insertInto('service_endpoint').values(row).execute();
export const updateEndpoint = (db: Executor, endpointId: string, set: Partial<ServiceEndpointTable>) =>
  db.updateTable('service_endpoint').set(set).where('endpoint_id', '=', endpointId).execute();
export const deleteEndpoint = (db: Executor, endpointId: string) => db.deleteFrom('service_endpoint').where('endpoint_id', '=', endpointId).execute();

// ---- VOs --------------------------------------------------------------------------------
function voQuery(db: Executor, reach: Reach, q?: string) {
  return db
    .selectFrom('vo')
    .$if(!reach.all, (qb) => qb.where('vo.vo_id', 'in', idsOrNone(reach.voIds)))
    .$if(!!q, (qb) => qb.where((eb) => eb.or([containsCi(eb.ref('vo.name'), q!), containsCi(eb.ref('vo.description'), q!)])));
}

export async function listVos(db: Executor, reach: Reach, page: PageQuery) {
  const sort = sortColumn({ name: 'vo.name', updatedAt: 'vo.updated_at' } as const, page.sort);
  const { total } = await voQuery(db, reach, page.q)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const items = await voQuery(db, reach, page.q).selectAll('vo').orderBy(sort, page.order).orderBy('vo.vo_id').limit(page.limit).offset(page.offset).execute();
  return { items, total: Number(total) };
}

export const findVo = (db: Executor, voId: string) => db.selectFrom('vo').selectAll().where('vo_id', '=', voId).executeTakeFirst();
export const insertVo = (db: Executor, row: VoTable) => db.insertInto('vo').values(row).execute();
export const updateVo = (db: Executor, voId: string, set: Partial<VoTable>) => db.updateTable('vo').set(set).where('vo_id', '=', voId).execute();
