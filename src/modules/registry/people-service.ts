// People and their scoped roles: who is responsible for what.
import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { ConflictError, ForbiddenError, InvalidError, NotFoundError } from '../../core/errors.js';
import { can, canGrant, FEDERATION, hasPermission, reach, type Actor, type Target } from '../../core/access.js';
import { ROLE_SCOPES, isRole, type Role, type ScopeType } from '../../core/roles.js';
import type { PageQuery } from '../../core/paging.js';
import * as people from './people-repo.js';
import * as repo from './repo.js';
import { toPerson, toRoleAssignment } from './views.js';
import { diffFields } from './rules.js';

export interface PersonInput {
  name: string;
  email?: string | null;
  dn?: string | null;
  checkinSubject?: string | null;
}
export interface PersonPatch extends Partial<PersonInput> {
  identityVerified?: boolean;
}

export interface GrantInput {
  personId: string;
  role: string;
  scopeType: string;
  scopeId?: string | undefined;
}

/** Who someone is (certificate DN, Check-in subject, verified e-mail) is set at federation level
 *  only; NGI, site and VO officers record a name and a contact e-mail (issue 9, hole 6). */
const federationLevel = (actor: Actor) => can(actor, 'person:write', FEDERATION);

export function createPeopleService({ db, clock, audit }: { db: Db; clock: Clock; audit: Audit }) {
  const now = () => clock.now().toISOString();

  /** The scope object a grant names, resolved so that containment can be checked. */
  async function resolveTarget(ex: Executor, scopeType: string, scopeId: string): Promise<Target> {
    switch (scopeType) {
      case 'federation':
        return { type: 'federation' };
      case 'ngi': {
        if (!(await repo.findNgi(ex, scopeId))) throw new NotFoundError('NGI', scopeId);
        return { type: 'ngi', ngiId: scopeId };
      }
      case 'site': {
        const site = await repo.findSite(ex, scopeId);
        if (!site) throw new NotFoundError('site', scopeId);
        return { type: 'site', siteId: site.site_id, ngiId: site.ngi_id };
      }
      case 'vo': {
        if (!(await repo.findVo(ex, scopeId))) throw new NotFoundError('VO', scopeId);
        return { type: 'vo', voId: scopeId };
      }
      default:
        throw new InvalidError(`unknown scope type ${scopeType}`, { field: 'scopeType' });
    }
  }

  async function checkedGrant(ex: Executor, actor: Actor, input: GrantInput) {
    if (!isRole(input.role)) throw new InvalidError(`unknown role ${input.role}`, { field: 'role' });
    if (!(ROLE_SCOPES[input.role] as readonly string[]).includes(input.scopeType)) {
      throw new InvalidError(`${input.role} cannot be held at ${input.scopeType} scope`, { field: 'scopeType' });
    }
    const scopeId = input.scopeType === 'federation' ? '' : (input.scopeId ?? '');
    const target = await resolveTarget(ex, input.scopeType, scopeId);
    if (!canGrant(actor, input.role, target)) throw new ForbiddenError(`you may not grant ${input.role} here`);
    return { role: input.role, scopeType: input.scopeType as ScopeType, scopeId };
  }

  async function insertGrant(ex: Executor, actor: Actor, personId: string, g: { role: Role; scopeType: ScopeType; scopeId: string }, source = 'local') {
    const key = { person_id: personId, role: g.role, scope_type: g.scopeType, scope_id: g.scopeId };
    if (await people.findRoleAssignmentByKey(ex, key)) throw new ConflictError('that role is already held');
    const row = { role_assignment_id: newId(), ...key, source, created_at: now() };
    await people.insertRoleAssignment(ex, row);
    await audit.record(ex, {
      actor,
      action: 'role.grant',
      objectType: 'person',
      objectId: personId,
      after: { roleAssignmentId: row.role_assignment_id, role: g.role, scopeType: g.scopeType, scopeId: g.scopeId, source },
    });
    return row.role_assignment_id;
  }

  return {
    listPeople: async (actor: Actor, page: PageQuery, filter: people.PeopleFilter) => {
      const { items, total } = await people.listPeople(db, reach(actor, 'registry:read'), actor.personId, page, filter);
      return { items: items.map(toPerson), total, limit: page.limit, offset: page.offset };
    },
    async getPerson(actor: Actor, personId: string) {
      const person = await people.findPerson(db, personId);
      if (!person || (personId !== actor.personId && !(await people.personInReach(db, personId, reach(actor, 'registry:read')))))
        throw new NotFoundError('person', personId);
      const roles = await people.listRolesOfPerson(db, personId);
      return { ...toPerson(person), roles: roles.map(toRoleAssignment) };
    },
    /** Creates a person; anyone below federation level must give a first role inside their
     *  scope, or they could not see the person they made, and may not set a DN or Check-in
     *  subject: their record's e-mail stays an unverified contact address, which the GOCDB
     *  import never matches on. */
    createPerson: (actor: Actor, input: PersonInput & { grant?: Omit<GrantInput, 'personId'> | undefined }) =>
      db.transaction().execute(async (trx) => {
        if (!hasPermission(actor, 'person:create')) throw new ForbiddenError('person:create not permitted');
        const verified = federationLevel(actor);
        if (!verified) {
          if (input.dn) throw new InvalidError('only a federation administrator may set a certificate DN', { field: 'dn' });
          if (input.checkinSubject) throw new InvalidError('only a federation administrator may set a Check-in subject', { field: 'checkinSubject' });
        }
        if (!input.grant && !verified) throw new InvalidError('give a role for the new person inside your scope', { field: 'grant' });
        const grant = input.grant ? await checkedGrant(trx, actor, { ...input.grant, personId: '' }) : undefined;
        await checkUnique(trx, input);
        const t = now();
        const row = {
          person_id: newId(),
          gocdb_key: null,
          name: input.name,
          email: input.email?.toLowerCase() ?? null,
          dn: input.dn ?? null,
          checkin_subject: input.checkinSubject ?? null,
          is_identity_verified: verified ? 1 : 0,
          created_at: t,
          updated_at: t,
        };
        await people.insertPerson(trx, row);
        await audit.record(trx, { actor, action: 'person.create', objectType: 'person', objectId: row.person_id, after: toPerson(row) });
        if (grant) await insertGrant(trx, actor, row.person_id, grant);
        return toPerson(row);
      }),
    /** Identity mappings (DN, Check-in subject, e-mail) decide who someone is: federation level
     *  only. Setting one vouches for the record, unless `identityVerified: false` says otherwise. */
    updatePerson: (actor: Actor, personId: string, input: PersonPatch) =>
      db.transaction().execute(async (trx) => {
        if (!federationLevel(actor)) throw new ForbiddenError('person:write not permitted');
        const before = await people.findPerson(trx, personId);
        if (!before) throw new NotFoundError('person', personId);
        const identity = { email: input.email === null ? null : input.email?.toLowerCase(), dn: input.dn, checkin_subject: input.checkinSubject };
        const vouched = input.identityVerified ?? (Object.keys(diffFields(before, identity)).length > 0 ? true : undefined);
        const set = diffFields(before, { name: input.name, ...identity, is_identity_verified: vouched === undefined ? undefined : vouched ? 1 : 0 });
        if (Object.keys(set).length === 0) return toPerson(before);
        await checkUnique(trx, { dn: set.dn, checkinSubject: set.checkin_subject }, personId);
        const after = { ...before, ...set, updated_at: now() };
        await people.updatePerson(trx, personId, { ...set, updated_at: after.updated_at });
        await audit.record(trx, { actor, action: 'person.update', objectType: 'person', objectId: personId, before: toPerson(before), after: toPerson(after) });
        return toPerson(after);
      }),

    listRoles: async (actor: Actor, page: PageQuery, filter: people.RoleFilter) => {
      const { items, total } = await people.listRoleAssignments(db, reach(actor, 'registry:read'), page, filter);
      return { items: items.map(toRoleAssignment), total, limit: page.limit, offset: page.offset };
    },
    grantRole: (actor: Actor, input: GrantInput) =>
      db.transaction().execute(async (trx) => {
        const grant = await checkedGrant(trx, actor, input);
        if (!(await people.findPerson(trx, input.personId))) throw new NotFoundError('person', input.personId);
        const id = await insertGrant(trx, actor, input.personId, grant);
        const [view] = (await people.listRolesOfPerson(trx, input.personId)).filter((r) => r.role_assignment_id === id);
        return toRoleAssignment(view!);
      }),
    revokeRole: (actor: Actor, roleAssignmentId: string) =>
      db.transaction().execute(async (trx) => {
        const before = await people.findRoleAssignment(trx, roleAssignmentId);
        if (!before || !isRole(before.role)) throw new NotFoundError('role assignment', roleAssignmentId);
        const target = await resolveTarget(trx, before.scope_type, before.scope_id);
        if (!canGrant(actor, before.role, target)) throw new ForbiddenError(`you may not revoke ${before.role} here`);
        await people.deleteRoleAssignment(trx, roleAssignmentId);
        await audit.record(trx, {
          actor,
          action: 'role.revoke',
          objectType: 'person',
          objectId: before.person_id,
          before: { roleAssignmentId, role: before.role, scopeType: before.scope_type, scopeId: before.scope_id, source: before.source },
        });
      }),
  };
}

async function checkUnique(ex: Executor, input: { dn?: string | null | undefined; checkinSubject?: string | null | undefined }, exceptId?: string) {
  if (input.dn) {
    const other = await ex.selectFrom('person').select('person_id').where('dn', '=', input.dn).executeTakeFirst();
    if (other && other.person_id !== exceptId) throw new ConflictError('another person already has that DN');
  }
  if (input.checkinSubject) {
    const other = await ex.selectFrom('person').select('person_id').where('checkin_subject', '=', input.checkinSubject).executeTakeFirst();
    if (other && other.person_id !== exceptId) throw new ConflictError('another person already has that Check-in subject');
  }
}
export type PeopleService = ReturnType<typeof createPeopleService>;
