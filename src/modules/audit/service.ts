// Reading the audit log: the whole log for federation-level readers, an object's history for
// anyone who can see the object.
import type { Db } from '../../db/database.js';
import { ForbiddenError, InvalidError } from '../../core/errors.js';
import { can, type Actor } from '../../core/access.js';
import { verifyAuditChain, type Audit } from '../../core/audit.js';
import type { PageQuery } from '../../core/paging.js';
import type { AuditEventTable } from '../../db/schema.js';
import { PATCH_DATA_ACTION_PREFIXES } from '../patching/index.js';

export interface AuditFilter {
  objectType?: string | undefined;
  objectId?: string | undefined;
  action?: string | undefined;
}

/** Checks that the actor may see the object (throws NotFoundError otherwise); says which of its
 *  events (by action prefix) the actor may still not see. */
export type ObjectVisibility = (actor: Actor, objectType: string, objectId: string) => Promise<{ hiddenActions?: readonly string[] } | undefined>;

const toEvent = (r: AuditEventTable) => ({
  seq: r.seq,
  at: r.at,
  actorId: r.actor_id,
  actorLabel: r.actor_label,
  action: r.action,
  objectType: r.object_type,
  objectId: r.object_id,
  before: r.before_json ? (JSON.parse(r.before_json) as unknown) : null,
  after: r.after_json ? (JSON.parse(r.after_json) as unknown) : null,
  hash: r.hash,
});

export function createAuditService({ db, audit, visibility }: { db: Db; audit: Audit; visibility: ObjectVisibility }) {
  const federationReader = (actor: Actor) => can(actor, 'audit:read', { type: 'federation' });
  return {
    async list(actor: Actor, page: PageQuery, f: AuditFilter) {
      let hidden: readonly string[] = [];
      if (!federationReader(actor)) {
        if (!f.objectType || !f.objectId) throw new ForbiddenError('name one object (objectType and objectId) to see its history');
        hidden = (await visibility(actor, f.objectType, f.objectId))?.hiddenActions ?? [];
      }
      let q = db.selectFrom('audit_event');
      if (hidden.length) q = q.where((eb) => eb.and(hidden.map((prefix) => eb('action', 'not like', `${prefix}%`))));
      if (f.objectType) q = q.where('object_type', '=', f.objectType);
      if (f.objectId) q = q.where('object_id', '=', f.objectId);
      if (f.action) q = q.where('action', '=', f.action);
      const { total } = await q.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
      const rows = await q
        .selectAll()
        .orderBy('seq', page.order === 'asc' && page.sort === 'seq' ? 'asc' : 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      return { items: rows.map(toEvent), total: Number(total), limit: page.limit, offset: page.offset };
    },
    async verify(actor: Actor) {
      if (!federationReader(actor)) throw new ForbiddenError('verifying the whole log is a federation-level task');
      return verifyAuditChain(db, audit.keys);
    },
    /** Signed checkpoints, newest first, with the public key that verifies them. */
    async checkpoints(actor: Actor, page: PageQuery) {
      if (!federationReader(actor)) throw new ForbiddenError('audit checkpoints are for federation-level readers');
      const { total } = await db
        .selectFrom('audit_checkpoint')
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow();
      const rows = await db
        .selectFrom('audit_checkpoint')
        .selectAll()
        .orderBy('seq', 'desc')
        .orderBy('at', 'desc')
        .limit(page.limit)
        .offset(page.offset)
        .execute();
      const { keys } = audit;
      return {
        algorithm: keys.algorithm,
        keyId: keys.keyId,
        publicKey: keys.publicPem,
        items: rows.map((r) => ({ seq: r.seq, headHash: r.head_hash, at: r.at, keyId: r.key_id, statement: r.statement, signature: r.signature })),
        total: Number(total),
        limit: page.limit,
        offset: page.offset,
      };
    },
  };
}
export type AuditService = ReturnType<typeof createAuditService>;

/** Object types whose visibility the registry decides. A site's patch events (exceptions,
 *  enrolment, reporter DNs, report policy) only for those who read the site's patch data. */
export function registryVisibility(deps: {
  getSite(a: Actor, id: string): Promise<{ siteId: string; ngiId: string }>;
  getNgi(a: Actor, id: string): Promise<unknown>;
  getVo(a: Actor, id: string): Promise<unknown>;
  getPerson(a: Actor, id: string): Promise<unknown>;
}): ObjectVisibility {
  return async (actor, objectType, objectId) => {
    switch (objectType) {
      case 'site': {
        const site = await deps.getSite(actor, objectId);
        const readsPatchData = can(actor, 'patching:read', { type: 'site', siteId: site.siteId, ngiId: site.ngiId });
        return readsPatchData ? undefined : { hiddenActions: PATCH_DATA_ACTION_PREFIXES };
      }
      case 'ngi':
        await deps.getNgi(actor, objectId);
        return;
      case 'vo':
        await deps.getVo(actor, objectId);
        return;
      case 'person':
        await deps.getPerson(actor, objectId);
        return;
      default:
        throw new InvalidError(`history of ${objectType} objects is for federation-level readers only`);
    }
  };
}
