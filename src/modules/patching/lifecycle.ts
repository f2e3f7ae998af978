// Lifecycle rules: flag hosts running end-of-life or unwanted software (e.g. retired middleware,
// products depending on a toolkit at end of life, as in the seeds' Globus example) and hosts
// below a minimum version (the trust-anchor bundle `ca-policy-egi-core`, middleware releases).
// Checked against package sets, so each distinct image is examined once.
import type { Db } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { ConflictError, InvalidError, NotFoundError } from '../../core/errors.js';
import { readReach, requireAt, type Actor } from '../../core/policy.js';
import { compareDebVersions, compareRpmEvr, parseRpmEvr } from '../../lib/versions/index.js';
import type { LifecycleRuleTable } from '../../db/schema.js';
import { sortColumn, type PageQuery } from '../../core/paging.js';
import { matchesGlob, idsOrNone } from '../../db/filters.js';

export type LifecycleKind = 'end-of-life' | 'minimum-version';
export interface LifecycleInput { name: string; kind: LifecycleKind; packagePattern: string; version?: string | undefined; effectiveFrom?: string | undefined; message: string }

const toRule = (r: LifecycleRuleTable) => ({
  ruleId: r.rule_id, name: r.name, kind: r.kind as LifecycleKind, packagePattern: r.package_pattern, version: r.version,
  effectiveFrom: r.effective_from, message: r.message, isEnabled: r.is_enabled === 1, createdBy: r.created_by, createdAt: r.created_at,
});

/** Is this installed version below the rule's version, in the package manager's own order? */
export function isBelow(packager: string, installed: string, bound: string): boolean {
  try {
    return packager === 'dpkg' ? compareDebVersions(installed, bound) < 0 : compareRpmEvr(parseRpmEvr(installed), parseRpmEvr(bound)) < 0;
  } catch {
    return false; // a version the package manager itself would refuse is not evidence either way
  }
}

export function createLifecycleService({ db, clock, audit }: { db: Db; clock: Clock; audit: Audit }) {
  /** Package sets that break the rule, with the offending package of each. */
  async function violatingSets(rule: LifecycleRuleTable): Promise<Map<string, string>> {
    const rows = await db.selectFrom('package_set_member').innerJoin('package_set', 'package_set.set_id', 'package_set_member.set_id')
      .select(['package_set_member.set_id', 'package_set_member.name', 'package_set_member.version', 'package_set.packager'])
      .where((eb) => matchesGlob(eb.ref('package_set_member.name'), rule.package_pattern)).execute();
    const out = new Map<string, string>();
    for (const r of rows) {
      const hit = rule.kind === 'end-of-life' ? !rule.version || isBelow(r.packager, r.version, rule.version) : isBelow(r.packager, r.version, rule.version!);
      if (hit && !out.has(r.set_id)) out.set(r.set_id, `${r.name} ${r.version}`);
    }
    return out;
  }

  async function hostsFor(actor: Actor, rule: LifecycleRuleTable, page: PageQuery) {
    const sets = await violatingSets(rule);
    if (sets.size === 0 || rule.effective_from > clock.now().toISOString()) return { items: [], total: 0, limit: page.limit, offset: page.offset };
    const reach = readReach(actor);
    const base = db.selectFrom('host').innerJoin('site', 'site.site_id', 'host.site_id')
      .$if(!reach.all, (q) => q.where('site.ngi_id', 'in', idsOrNone(reach.ngiIds)))
      .where('host.set_id', 'in', [...sets.keys()]);
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const sort = sortColumn({ hostname: 'host.hostname', siteName: 'site.name', lastReportAt: 'host.last_report_at' } as const, page.sort);
    const rows = await base.select(['host.host_id', 'host.hostname', 'host.set_id', 'site.site_id', 'site.name as site_name', 'host.last_report_at'])
      .orderBy(sort, page.order).orderBy('host.host_id').limit(page.limit).offset(page.offset).execute();
    return { items: rows.map((r) => ({ hostId: r.host_id, hostname: r.hostname, siteId: r.site_id, siteName: r.site_name, lastReportAt: r.last_report_at,
      package: sets.get(r.set_id!) ?? '' })), total: Number(total), limit: page.limit, offset: page.offset };
  }

  async function getRow(ruleId: string) {
    const rule = await db.selectFrom('lifecycle_rule').selectAll().where('rule_id', '=', ruleId).executeTakeFirst();
    if (!rule) throw new NotFoundError('lifecycle rule', ruleId);
    return rule;
  }

  return {
    async list(actor: Actor) {
      const rules = await db.selectFrom('lifecycle_rule').selectAll().orderBy('name').execute();
      const out = [];
      for (const r of rules) out.push({ ...toRule(r), hosts: r.is_enabled ? (await hostsFor(actor, r, { limit: 1, offset: 0, order: 'asc' })).total : 0 });
      return out;
    },
    hosts: async (actor: Actor, ruleId: string, page: PageQuery) => hostsFor(actor, await getRow(ruleId), page),

    async create(actor: Actor, input: LifecycleInput) {
      requireAt(actor, 'feed:manage', { type: 'federation' });
      if (input.kind === 'minimum-version' && !input.version) throw new InvalidError('a minimum-version rule needs the version', { field: 'version' });
      if (await db.selectFrom('lifecycle_rule').select('rule_id').where('name', '=', input.name).executeTakeFirst()) throw new ConflictError(`rule ${input.name} already exists`);
      const now = clock.now().toISOString();
      const row: LifecycleRuleTable = { rule_id: newId(), name: input.name, kind: input.kind, package_pattern: input.packagePattern, version: input.version ?? null,
        effective_from: input.effectiveFrom ?? now, message: input.message, is_enabled: 1, created_by: actor.label, created_at: now };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('lifecycle_rule').values(row).execute();
        await audit.record(trx, { actor, action: 'lifecycle-rule.create', objectType: 'lifecycle_rule', objectId: row.rule_id, after: toRule(row) });
      });
      return toRule(row);
    },

    async setEnabled(actor: Actor, ruleId: string, enabled: boolean) {
      requireAt(actor, 'feed:manage', { type: 'federation' });
      const before = await getRow(ruleId);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('lifecycle_rule').set({ is_enabled: enabled ? 1 : 0 }).where('rule_id', '=', ruleId).execute();
        await audit.record(trx, { actor, action: 'lifecycle-rule.update', objectType: 'lifecycle_rule', objectId: ruleId, before: toRule(before), after: { ...toRule(before), isEnabled: enabled } });
      });
    },
  };
}
export type LifecycleService = ReturnType<typeof createLifecycleService>;
