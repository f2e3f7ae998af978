// Lifecycle rules: flag hosts running end-of-life or unwanted software (e.g. retired middleware,
// products depending on a toolkit at end of life, as in the seeds' Globus example) and hosts
// below a minimum version (the trust-anchor bundle `ca-policy-egi-core`, middleware releases).
// Checked against package sets, so each distinct image is examined once: when a rule is created
// (every stored set) and when a set is first stored (every rule); hosts then join the hits.
import { sql } from 'kysely';
import type { Db, Dialect, Executor } from '../../db/database.js';
import type { InstalledPackage } from '../../lib/evaluate/index.js';
import { readPackageSet } from './package-set-codec.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import { newId } from '../../core/ids.js';
import { ConflictError, InvalidError, NotFoundError } from '../../core/errors.js';
import { FEDERATION, reach as reachOf, requireAccess, type Actor } from '../../core/access.js';
import { siteNames, sitesInReach } from '../registry/index.js';
import { compareDebVersions, compareRpmEvr, parseRpmEvr } from '../../lib/versions/index.js';
import type { LifecycleRuleTable } from '../../db/schema.js';
import { sortColumn, type PageQuery } from '../../core/paging.js';
import { idsOrNone } from '../../db/filters.js';
import { isUniqueViolation } from '../../db/errors.js';

export type LifecycleKind = 'end-of-life' | 'minimum-version';
export interface LifecycleInput {
  name: string;
  kind: LifecycleKind;
  packagePattern: string;
  version?: string | undefined;
  effectiveFrom?: string | undefined;
  message: string;
}
/** An edit: the fields given change; `version: null` clears it (an end-of-life rule without a bound). */
export interface LifecycleEdit {
  name?: string | undefined;
  kind?: LifecycleKind | undefined;
  packagePattern?: string | undefined;
  version?: string | null | undefined;
  effectiveFrom?: string | undefined;
  message?: string | undefined;
}

/** In UTC, as the clock's ISO time it is compared with as text (an offset would sort wrongly). */
const utc = (time: string) => new Date(time).toISOString();

const toRule = (r: LifecycleRuleTable) => ({
  ruleId: r.rule_id,
  name: r.name,
  kind: r.kind as LifecycleKind,
  packagePattern: r.package_pattern,
  version: r.version,
  effectiveFrom: r.effective_from,
  message: r.message,
  isEnabled: r.is_enabled === 1,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** Is this installed version below the rule's version, in the package manager's own order? */
export function isBelow(packager: string, installed: string, bound: string): boolean {
  try {
    return packager === 'dpkg' ? compareDebVersions(installed, bound) < 0 : compareRpmEvr(parseRpmEvr(installed), parseRpmEvr(bound)) < 0;
  } catch {
    return false; // a version the package manager itself would refuse is not evidence either way
  }
}

/** Shell-style glob (`globus-*`), anchored and case-sensitive, matched in linear time: the
 *  literal pieces between `*`s are found in order (a regex of many `.*` can backtrack for seconds,
 *  and this runs for every new package set inside the intake's transaction). */
export function globMatcher(glob: string): (name: string) => boolean {
  const parts = glob.split('*');
  if (parts.length === 1) return (name) => name === glob;
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  const middle = parts.slice(1, -1).filter((p) => p !== '');
  return (name) => {
    if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
    let at = first.length;
    const end = name.length - last.length;
    for (const piece of middle) {
      const found = name.indexOf(piece, at);
      if (found < 0 || found + piece.length > end) return false;
      at = found + piece.length;
    }
    return true;
  };
}

type RuleShape = Pick<LifecycleRuleTable, 'kind' | 'package_pattern' | 'version'>;

/** The first package of a set that breaks the rule, as `name version`. */
function offendingPackage(
  rule: RuleShape,
  packager: string,
  packages: readonly InstalledPackage[],
  matches = globMatcher(rule.package_pattern),
): string | undefined {
  for (const p of packages) {
    if (!matches(p.name)) continue;
    const hit = rule.kind === 'end-of-life' ? !rule.version || isBelow(packager, p.version, rule.version) : isBelow(packager, p.version, rule.version!);
    if (hit) return `${p.name} ${p.version}`;
  }
  return undefined;
}

/** Records which rules a newly stored set breaks (rules indexed later scan it themselves). */
export async function recordLifecycleHits(ex: Executor, setId: string, packager: string, packages: readonly InstalledPackage[]): Promise<void> {
  const rules = await ex.selectFrom('lifecycle_rule').select(['rule_id', 'kind', 'package_pattern', 'version']).execute();
  const hits = rules.flatMap((r) => {
    const pkg = offendingPackage(r, packager, packages);
    return pkg ? [{ rule_id: r.rule_id, set_id: setId, package: pkg }] : [];
  });
  if (hits.length)
    await ex
      .insertInto('lifecycle_set_hit')
      .values(hits)
      .onConflict((oc) => oc.doNothing())
      .execute();
}

const INDEX_PAGE = 200;

/** A rule name another request took between the check and the write: the same 409 as the check's. */
const nameTaken =
  (name: string) =>
  (err: unknown): never => {
    throw isUniqueViolation(err) ? new ConflictError(`rule ${name} already exists`) : err;
  };

export function createLifecycleService({ db, dialect, clock, audit }: { db: Db; dialect: Dialect; clock: Clock; audit: Audit }) {
  /** Fills the rule's hits from every stored set, a page of sets at a time (each set decoded once). */
  async function indexRule(given: LifecycleRuleTable): Promise<void> {
    const startedAt = clock.now().toISOString();
    await db.transaction().execute(async (trx) => {
      // On PostgreSQL a set stored while this scan runs could miss the rule on both sides (its
      // transaction read the rules before this one was committed); holding sets still until the
      // scan ends closes that gap. SQLite has one writer anyway.
      if (dialect === 'postgres') await sql`lock table package_set in share mode`.execute(trx);
      // The rule as it stands now, not as a caller read it before an edit: the last scan to
      // finish must be of the latest pattern and version. Locked so an edit waits for the scan.
      const rule = await trx
        .selectFrom('lifecycle_rule')
        .selectAll()
        .where('rule_id', '=', given.rule_id)
        .$if(dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst();
      if (!rule) return;
      const matches = globMatcher(rule.package_pattern);
      await trx.deleteFrom('lifecycle_set_hit').where('rule_id', '=', rule.rule_id).execute();
      for (let after = ''; ;) {
        const sets = await trx
          .selectFrom('package_set')
          .select(['set_id', 'packager', 'members'])
          .where('set_id', '>', after)
          .orderBy('set_id')
          .limit(INDEX_PAGE)
          .execute();
        if (sets.length === 0) break;
        // One set at a time, inflated off the event loop: a rule over thousands of sets must not hold it.
        const hits: Array<{ rule_id: string; set_id: string; package: string }> = [];
        for (const set of sets) {
          const pkg = offendingPackage(rule, set.packager, await readPackageSet(set.members), matches);
          if (pkg) hits.push({ rule_id: rule.rule_id, set_id: set.set_id, package: pkg });
        }
        if (hits.length)
          await trx
            .insertInto('lifecycle_set_hit')
            .values(hits)
            .onConflict((oc) => oc.doNothing())
            .execute();
        after = sets[sets.length - 1]!.set_id;
      }
      await trx.updateTable('lifecycle_rule').set({ indexed_at: startedAt }).where('rule_id', '=', rule.rule_id).execute();
    });
    given.indexed_at = startedAt;
  }

  async function hostsFor(actor: Actor, rule: LifecycleRuleTable, page: PageQuery) {
    if (rule.effective_from > clock.now().toISOString()) return { items: [], total: 0, limit: page.limit, offset: page.offset };
    if (!rule.indexed_at) await indexRule(rule);
    const reach = reachOf(actor, 'patching:read');
    const base = db
      .selectFrom('host')
      .innerJoin(siteNames(db).as('s'), 's.site_id', 'host.site_id')
      .innerJoin('lifecycle_set_hit as hit', (j) => j.onRef('hit.set_id', '=', 'host.set_id').on('hit.rule_id', '=', rule.rule_id))
      .$if(!reach.all, (q) => q.where('s.site_id', 'in', sitesInReach(db, reach)));
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const sort = sortColumn({ hostname: 'host.hostname', siteName: 's.site_name', lastReportAt: 'host.last_report_at' } as const, page.sort);
    const rows = await base
      .select(['host.host_id', 'host.hostname', 'hit.package', 's.site_id', 's.site_name', 'host.last_report_at'])
      .orderBy(sort, page.order)
      .orderBy('host.host_id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return {
      items: rows.map((r) => ({
        hostId: r.host_id,
        hostname: r.hostname,
        siteId: r.site_id,
        siteName: r.site_name,
        lastReportAt: r.last_report_at,
        package: r.package,
      })),
      total: Number(total),
      limit: page.limit,
      offset: page.offset,
    };
  }

  async function getRow(ruleId: string) {
    const rule = await db.selectFrom('lifecycle_rule').selectAll().where('rule_id', '=', ruleId).executeTakeFirst();
    if (!rule) throw new NotFoundError('lifecycle rule', ruleId);
    return rule;
  }

  return {
    /** Indexes every rule not yet checked against the stored sets. */
    async indexPending(): Promise<number> {
      const pending = await db.selectFrom('lifecycle_rule').selectAll().where('indexed_at', 'is', null).execute();
      for (const rule of pending) await indexRule(rule);
      return pending.length;
    },
    async list(actor: Actor) {
      const rules = await db.selectFrom('lifecycle_rule').selectAll().orderBy('name').execute();
      const out = [];
      for (const r of rules) out.push({ ...toRule(r), hosts: r.is_enabled ? (await hostsFor(actor, r, { limit: 1, offset: 0, order: 'asc' })).total : 0 });
      return out;
    },
    hosts: async (actor: Actor, ruleId: string, page: PageQuery) => hostsFor(actor, await getRow(ruleId), page),

    async create(actor: Actor, input: LifecycleInput) {
      await requireAccess(actor, 'lifecycle:manage', FEDERATION);
      if (input.kind === 'minimum-version' && !input.version) throw new InvalidError('a minimum-version rule needs the version', { field: 'version' });
      if (await db.selectFrom('lifecycle_rule').select('rule_id').where('name', '=', input.name).executeTakeFirst())
        throw new ConflictError(`rule ${input.name} already exists`);
      const now = clock.now().toISOString();
      const row: LifecycleRuleTable = {
        rule_id: newId(),
        name: input.name,
        kind: input.kind,
        package_pattern: input.packagePattern,
        version: input.version ?? null,
        effective_from: input.effectiveFrom ? utc(input.effectiveFrom) : now,
        message: input.message,
        is_enabled: 1,
        created_by: actor.label,
        created_at: now,
        indexed_at: null,
      };
      await db
        .transaction()
        .execute(async (trx) => {
          await trx.insertInto('lifecycle_rule').values(row).execute();
          await audit.record(trx, { actor, action: 'lifecycle-rule.create', objectType: 'lifecycle_rule', objectId: row.rule_id, after: toRule(row) });
        })
        .catch(nameTaken(row.name));
      await indexRule(row);
      return toRule(row);
    },

    /** Edits a rule; when what it matches changes (kind, pattern, version) its hits are refilled. */
    async update(actor: Actor, ruleId: string, edit: LifecycleEdit) {
      await requireAccess(actor, 'lifecycle:manage', FEDERATION);
      const { after, rematch } = await db
        .transaction()
        .execute(async (trx) => {
          const before = await trx
            .selectFrom('lifecycle_rule')
            .selectAll()
            .where('rule_id', '=', ruleId)
            .$if(dialect === 'postgres', (q) => q.forUpdate())
            .executeTakeFirst();
          if (!before) throw new NotFoundError('lifecycle rule', ruleId);
          const after: LifecycleRuleTable = {
            ...before,
            name: edit.name ?? before.name,
            kind: edit.kind ?? before.kind,
            package_pattern: edit.packagePattern ?? before.package_pattern,
            version: edit.version === undefined ? before.version : edit.version || null,
            effective_from: edit.effectiveFrom ? utc(edit.effectiveFrom) : before.effective_from,
            message: edit.message ?? before.message,
          };
          if (after.kind === 'minimum-version' && !after.version) throw new InvalidError('a minimum-version rule needs the version', { field: 'version' });
          if (
            after.name !== before.name &&
            (await trx.selectFrom('lifecycle_rule').select('rule_id').where('name', '=', after.name).where('rule_id', '!=', ruleId).executeTakeFirst())
          )
            throw new ConflictError(`rule ${after.name} already exists`);
          // Left unindexed until the hits are refilled below: if that fails, the next read refills them.
          const rematch = after.kind !== before.kind || after.package_pattern !== before.package_pattern || after.version !== before.version;
          if (rematch) after.indexed_at = null;
          await trx
            .updateTable('lifecycle_rule')
            .set({
              name: after.name,
              kind: after.kind,
              package_pattern: after.package_pattern,
              version: after.version,
              effective_from: after.effective_from,
              message: after.message,
              indexed_at: after.indexed_at,
            })
            .where('rule_id', '=', ruleId)
            .execute();
          await audit.record(trx, {
            actor,
            action: 'lifecycle-rule.update',
            objectType: 'lifecycle_rule',
            objectId: ruleId,
            before: toRule(before),
            after: toRule(after),
          });
          return { after, rematch };
        })
        .catch(nameTaken(edit.name ?? ''));
      if (rematch) await indexRule(after);
      return toRule(after);
    },

    async setEnabled(actor: Actor, ruleId: string, enabled: boolean) {
      await requireAccess(actor, 'lifecycle:manage', FEDERATION);
      const before = await getRow(ruleId);
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('lifecycle_rule')
          .set({ is_enabled: enabled ? 1 : 0 })
          .where('rule_id', '=', ruleId)
          .execute();
        await audit.record(trx, {
          actor,
          action: 'lifecycle-rule.update',
          objectType: 'lifecycle_rule',
          objectId: ruleId,
          before: toRule(before),
          after: { ...toRule(before), isEnabled: enabled },
        });
      });
    },
  };
}
export type LifecycleService = ReturnType<typeof createLifecycleService>;
