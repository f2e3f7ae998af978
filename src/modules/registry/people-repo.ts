// Queries on people and their role assignments. A reader sees a person when the person holds
// a role inside the reader's reach (or is the reader).
import { sql, type ExpressionBuilder, type SqlBool, type Expression } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database, PersonTable, RoleAssignmentTable } from '../../db/schema.js';
import { containsCi, idsOrNone } from '../../db/filters.js';
import { everything, type Reach } from '../../core/access.js';
import { sortColumn, type PageQuery } from '../../core/paging.js';
import { accountCount } from '../identity/index.js';
import type { RoleAssignmentRow } from './views.js';

/** True for role rows whose scope lies inside the reach. `ra` is the role_assignment alias. */
function roleInReach(eb: ExpressionBuilder<Database & { ra: RoleAssignmentTable }, 'ra'>, reach: Reach): Expression<SqlBool> {
  return eb.or([
    eb.and([eb('ra.scope_type', '=', 'ngi'), eb('ra.scope_id', 'in', idsOrNone(reach.ngiIds))]),
    eb.and([
      eb('ra.scope_type', '=', 'site'),
      eb(
        'ra.scope_id',
        'in',
        eb
          .selectFrom('site')
          .select('site.site_id')
          .where((w) => w.or([w('site.ngi_id', 'in', idsOrNone(reach.ngiIds)), w('site.site_id', 'in', idsOrNone(reach.siteIds))])),
      ),
    ]),
    eb.and([eb('ra.scope_type', '=', 'vo'), eb('ra.scope_id', 'in', idsOrNone(reach.voIds))]),
  ]);
}

export interface PeopleFilter {
  role?: string | undefined;
  scopeId?: string | undefined;
}

function peopleQuery(db: Executor, reach: Reach, selfId: string | null, page: PageQuery, f: PeopleFilter) {
  return db
    .selectFrom('person')
    .$if(!reach.all, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('person.person_id', '=', selfId ?? '(none)'),
          eb.exists(
            eb
              .selectFrom('role_assignment as ra')
              .select('ra.person_id')
              .whereRef('ra.person_id', '=', 'person.person_id')
              .where((e) => roleInReach(e as never, reach)),
          ),
        ]),
      ),
    )
    .$if(!!f.role || !!f.scopeId, (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('role_assignment as rf')
            .select('rf.person_id')
            .whereRef('rf.person_id', '=', 'person.person_id')
            .$if(!!f.role, (q) => q.where('rf.role', '=', f.role!))
            .$if(!!f.scopeId, (q) => q.where('rf.scope_id', '=', f.scopeId!)),
        ),
      ),
    )
    .$if(!!page.q, (qb) =>
      qb.where((eb) =>
        eb.or([containsCi(eb.ref('person.name'), page.q!), containsCi(eb.ref('person.email'), page.q!), containsCi(eb.ref('person.dn'), page.q!)]),
      ),
    );
}

export async function listPeople(db: Executor, reach: Reach, selfId: string | null, page: PageQuery, f: PeopleFilter) {
  const sort = sortColumn({ name: 'person.name', email: 'person.email', updatedAt: 'person.updated_at' } as const, page.sort);
  const { total } = await peopleQuery(db, reach, selfId, page, f)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const items = await peopleQuery(db, reach, selfId, page, f)
    .selectAll('person')
    .select((eb) => accountCount(db, eb.ref('person.person_id')).as('has_account'))
    .orderBy(sort, page.order)
    .orderBy('person.person_id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { items, total: Number(total) };
}

export const findPerson = (db: Executor, personId: string) =>
  db
    .selectFrom('person')
    .selectAll('person')
    .select((eb) => accountCount(db, eb.ref('person.person_id')).as('has_account'))
    .where('person_id', '=', personId)
    .executeTakeFirst();
export const insertPerson = (db: Executor, row: PersonTable) => db.insertInto('person').values(row).execute();
export const updatePerson = (db: Executor, personId: string, set: Partial<PersonTable>) =>
  db.updateTable('person').set(set).where('person_id', '=', personId).execute();

/** Does the person hold a role inside the reach? (single-object visibility check) */
export async function personInReach(db: Executor, personId: string, reach: Reach): Promise<boolean> {
  if (reach.all) return true;
  const row = await db
    .selectFrom('role_assignment as ra')
    .select('ra.person_id')
    .where('ra.person_id', '=', personId)
    .where((eb) => roleInReach(eb as never, reach))
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

// ---- Role assignments --------------------------------------------------------------------
export interface RoleFilter {
  personId?: string | undefined;
  scopeType?: string | undefined;
  scopeId?: string | undefined;
  role?: string | undefined;
}

function roleQuery(db: Executor, reach: Reach, f: RoleFilter) {
  return db
    .selectFrom('role_assignment as ra')
    .innerJoin('person', 'person.person_id', 'ra.person_id')
    .leftJoin('ngi', (j) => j.onRef('ngi.ngi_id', '=', 'ra.scope_id').on('ra.scope_type', '=', 'ngi'))
    .leftJoin('site', (j) => j.onRef('site.site_id', '=', 'ra.scope_id').on('ra.scope_type', '=', 'site'))
    .leftJoin('vo', (j) => j.onRef('vo.vo_id', '=', 'ra.scope_id').on('ra.scope_type', '=', 'vo'))
    .$if(!reach.all, (qb) => qb.where((eb) => roleInReach(eb as never, reach)))
    .$if(!!f.personId, (qb) => qb.where('ra.person_id', '=', f.personId!))
    .$if(!!f.scopeType, (qb) => qb.where('ra.scope_type', '=', f.scopeType!))
    .$if(!!f.scopeId, (qb) => qb.where('ra.scope_id', '=', f.scopeId!))
    .$if(!!f.role, (qb) => qb.where('ra.role', '=', f.role!));
}

const roleColumns = [
  'ra.role_assignment_id',
  'ra.person_id',
  'person.name as person_name',
  'person.email as person_email',
  'ra.role',
  'ra.scope_type',
  'ra.scope_id',
  'ra.source',
  'ra.created_at',
] as const;

export async function listRoleAssignments(db: Executor, reach: Reach, page: PageQuery, f: RoleFilter) {
  const sort = sortColumn({ personName: 'person.name', role: 'ra.role', scopeType: 'ra.scope_type', createdAt: 'ra.created_at' } as const, page.sort);
  const base = roleQuery(db, reach, f).$if(!!page.q, (qb) =>
    qb.where((eb) =>
      eb.or([
        containsCi(eb.ref('person.name'), page.q!),
        containsCi(eb.ref('site.name'), page.q!),
        containsCi(eb.ref('ngi.name'), page.q!),
        containsCi(eb.ref('vo.name'), page.q!),
      ]),
    ),
  );
  const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
  const items = await base
    .select([...roleColumns, sql<string | null>`coalesce(site.name, ngi.name, vo.name)`.as('scope_name')])
    .orderBy(sort, page.order)
    .orderBy('ra.role_assignment_id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return { items: items as RoleAssignmentRow[], total: Number(total) };
}

/** Every role on one scope object (e.g. a site's contacts), visibility already established. */
export const listRolesOnScope = (db: Executor, scopeType: string, scopeId: string) =>
  db
    .selectFrom('role_assignment as ra')
    .innerJoin('person', 'person.person_id', 'ra.person_id')
    .select([...roleColumns, sql<string | null>`null`.as('scope_name')])
    .where('ra.scope_type', '=', scopeType)
    .where('ra.scope_id', '=', scopeId)
    .orderBy('ra.role')
    .orderBy('person.name')
    .execute() as Promise<RoleAssignmentRow[]>;

export const listRolesOfPerson = (db: Executor, personId: string) =>
  roleQuery(db, everything('registry:read'), { personId })
    .select([...roleColumns, sql<string | null>`coalesce(site.name, ngi.name, vo.name)`.as('scope_name')])
    .orderBy('ra.role')
    .execute() as Promise<RoleAssignmentRow[]>;

export const findRoleAssignment = (db: Executor, id: string) =>
  db.selectFrom('role_assignment').selectAll().where('role_assignment_id', '=', id).executeTakeFirst();
export const findRoleAssignmentByKey = (db: Executor, k: { person_id: string; role: string; scope_type: string; scope_id: string }) =>
  db
    .selectFrom('role_assignment')
    .selectAll()
    .where('person_id', '=', k.person_id)
    .where('role', '=', k.role)
    .where('scope_type', '=', k.scope_type)
    .where('scope_id', '=', k.scope_id)
    .executeTakeFirst();
export const insertRoleAssignment = (db: Executor, row: RoleAssignmentTable) => db.insertInto('role_assignment').values(row).execute();
export const deleteRoleAssignment = (db: Executor, id: string) => db.deleteFrom('role_assignment').where('role_assignment_id', '=', id).execute();
