// Response times: how long the addressees took to acknowledge and to resolve their tasks, per
// site (NGI, VO), type and month of creation. Each answer adds to a stored histogram in the
// transaction that records it (task_response_rollup), so the dashboard over a million tasks sums
// a few thousand rows instead of sorting a million (src/lib/response-times/histogram.ts).
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Db, Dialect, Executor } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import { reach, type Actor, type Reach } from '../../core/access.js';
import { BUCKETS, bucketOf, emptyHistogram, quantile, type Histogram } from '../../lib/response-times/histogram.js';
import { siteAndNgiNames } from '../registry/index.js';
import type { Measure } from './deadlines.js';

const BUCKET_COLUMNS = Array.from({ length: BUCKETS }, (_, k) => `h${k}` as const);
const monthOf = (iso: string) => iso.slice(0, 7);

/** Adds one answer to its month's histogram. `metDeadline` is set only for the measure the task's deadline is on. */
export async function recordAnswer(
  trx: Executor,
  dialect: Dialect,
  task: { created_at: string; scope_type: string; scope_id: string; ngi_id: string | null; task_type: string },
  measure: Measure,
  answeredAt: string,
  metDeadline: boolean | undefined,
): Promise<void> {
  const minutes = Math.max(0, (Date.parse(answeredAt) - Date.parse(task.created_at)) / 60_000);
  const bucket = `h${bucketOf(minutes)}` as const;
  const row = {
    month: monthOf(task.created_at),
    scope_type: task.scope_type,
    scope_id: task.scope_id,
    ngi_id: task.ngi_id ?? '',
    task_type: task.task_type,
    measure,
    n: 1,
    deadline_n: metDeadline === undefined ? 0 : 1,
    within_n: metDeadline ? 1 : 0,
    min_minutes: minutes,
    max_minutes: minutes,
    sum_minutes: minutes,
    [bucket]: 1,
  };
  const least = dialect === 'postgres' ? 'least' : 'min';
  const greatest = dialect === 'postgres' ? 'greatest' : 'max';
  await trx
    .insertInto('task_response_rollup')
    .values(row as never)
    .onConflict((oc) =>
      oc.columns(['month', 'scope_type', 'scope_id', 'task_type', 'measure']).doUpdateSet({
        n: sql`task_response_rollup.n + 1`,
        deadline_n: sql`task_response_rollup.deadline_n + excluded.deadline_n`,
        within_n: sql`task_response_rollup.within_n + excluded.within_n`,
        min_minutes: sql`${sql.raw(least)}(task_response_rollup.min_minutes, excluded.min_minutes)`,
        max_minutes: sql`${sql.raw(greatest)}(task_response_rollup.max_minutes, excluded.max_minutes)`,
        sum_minutes: sql`task_response_rollup.sum_minutes + excluded.sum_minutes`,
        [bucket]: sql`${sql.ref(`task_response_rollup.${bucket}`)} + 1`,
      } as never),
    )
    .execute();
}

export interface ResponseFilter {
  /** Months of creation, inclusive, 'YYYY-MM'. */
  from: string;
  to: string;
  ngiId?: string | undefined;
  siteId?: string | undefined;
  taskType?: string | undefined;
}

export interface Figures {
  n: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** Of the answers a deadline was on: the share given within it (null when none). */
  withinShare: number | null;
}

const figuresOf = (h: Histogram, deadlineN: number, withinN: number): Figures => ({
  n: h.n,
  medianMinutes: quantile(h, 0.5),
  p90Minutes: quantile(h, 0.9),
  withinShare: deadlineN > 0 ? withinN / deadlineN : null,
});

/** The rows an actor may count: the scopes their task:read reaches. */
function inReachWhere(r: Reach) {
  return (eb: import('kysely').ExpressionBuilder<import('../../db/schema.js').Database, 'task_response_rollup'>): Expression<SqlBool> => {
    if (r.all) return eb.lit(true) as unknown as Expression<SqlBool>;
    const ors: Expression<SqlBool>[] = [];
    if (r.ngiIds.length) ors.push(eb('task_response_rollup.ngi_id', 'in', [...r.ngiIds]));
    if (r.siteIds.length) ors.push(eb.and([eb('task_response_rollup.scope_type', '=', 'site'), eb('task_response_rollup.scope_id', 'in', [...r.siteIds])]));
    if (r.voIds.length) ors.push(eb.and([eb('task_response_rollup.scope_type', '=', 'vo'), eb('task_response_rollup.scope_id', 'in', [...r.voIds])]));
    return ors.length ? eb.or(ors) : (eb.lit(false) as unknown as Expression<SqlBool>);
  };
}

export function createResponseTimes({ db }: { db: Db; dialect: Dialect; clock: Clock }) {
  /** Sums of the histograms of the filtered rows, grouped by `group` and measure. */
  async function grouped(actor: Actor, f: ResponseFilter, group: 'month' | 'scope_id' | 'task_type' | null) {
    const r = reach(actor, 'task:read');
    const sums = [
      sql<number>`sum(n)`.as('n'),
      sql<number>`sum(deadline_n)`.as('deadline_n'),
      sql<number>`sum(within_n)`.as('within_n'),
      sql<number>`min(min_minutes)`.as('min_minutes'),
      sql<number>`max(max_minutes)`.as('max_minutes'),
      sql<number>`sum(sum_minutes)`.as('sum_minutes'),
      ...BUCKET_COLUMNS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c)),
    ];
    const rows = await db
      .selectFrom('task_response_rollup')
      .select(['measure', ...(group ? [group] : [])] as never)
      .select(sums)
      .where('month', '>=', f.from)
      .where('month', '<=', f.to)
      .where(inReachWhere(r))
      .$if(!!f.ngiId, (q) => q.where('ngi_id', '=', f.ngiId!))
      .$if(!!f.siteId, (q) => q.where('scope_type', '=', 'site').where('scope_id', '=', f.siteId!))
      .$if(!!f.taskType, (q) => q.where('task_type', '=', f.taskType!))
      .groupBy(['measure', ...(group ? [group] : [])] as never)
      .execute();
    return (rows as unknown as Array<Record<string, unknown>>).map((row) => {
      const h: Histogram = emptyHistogram();
      h.n = Number(row.n);
      h.min = Number(row.min_minutes);
      h.max = Number(row.max_minutes);
      h.sum = Number(row.sum_minutes);
      for (let k = 0; k < BUCKETS; k++) h.counts[k] = Number(row[`h${k}`]);
      return { key: group ? String(row[group]) : '', measure: row.measure as Measure, figures: figuresOf(h, Number(row.deadline_n), Number(row.within_n)) };
    });
  }

  const pair = (rows: Awaited<ReturnType<typeof grouped>>, key: string) => ({
    acknowledge: rows.find((r) => r.key === key && r.measure === 'acknowledge')?.figures ?? figuresOf(emptyHistogram(), 0, 0),
    resolve: rows.find((r) => r.key === key && r.measure === 'resolve')?.figures ?? figuresOf(emptyHistogram(), 0, 0),
  });

  return {
    /** The dashboard: the period's figures, the trend by month, by type, and the slowest sites. */
    async dashboard(actor: Actor, f: ResponseFilter, slowest = 10) {
      const [total, byMonth, byType, bySite] = await Promise.all([
        grouped(actor, f, null),
        grouped(actor, f, 'month'),
        grouped(actor, f, 'task_type'),
        grouped(actor, f, 'scope_id'),
      ]);
      const keys = (rows: typeof byMonth) => [...new Set(rows.map((r) => r.key))].sort();
      const siteRows = keys(bySite).map((scopeId) => ({ scopeId, ...pair(bySite, scopeId) }));
      // Slowest first: by the median time to resolve, then to acknowledge.
      siteRows.sort(
        (a, b) =>
          (b.resolve.medianMinutes ?? -1) - (a.resolve.medianMinutes ?? -1) || (b.acknowledge.medianMinutes ?? -1) - (a.acknowledge.medianMinutes ?? -1),
      );
      const top = siteRows.slice(0, slowest);
      const names = top.length
        ? new Map(
            (
              await db
                .selectFrom(siteAndNgiNames(db).as('s'))
                .select(['s.site_id', 's.site_name', 's.ngi_name'])
                .where(
                  's.site_id',
                  'in',
                  top.map((t) => t.scopeId),
                )
                .execute()
            ).map((s) => [s.site_id, s]),
          )
        : new Map();
      return {
        filter: f,
        ...pair(total, ''),
        trend: keys(byMonth).map((month) => ({ month, ...pair(byMonth, month) })),
        byType: keys(byType).map((taskType) => ({ taskType, ...pair(byType, taskType) })),
        slowest: top.map((t) => ({
          scopeId: t.scopeId,
          siteName: names.get(t.scopeId)?.site_name ?? t.scopeId,
          ngiName: names.get(t.scopeId)?.ngi_name ?? null,
          acknowledge: t.acknowledge,
          resolve: t.resolve,
        })),
      };
    },

    /** Per site (or NGI, VO) and type over the period, as CSV rows. */
    async rows(actor: Actor, f: ResponseFilter) {
      const r = reach(actor, 'task:read');
      const rows = await db
        .selectFrom('task_response_rollup')
        .select(['scope_type', 'scope_id', 'ngi_id', 'task_type', 'measure'])
        .select([
          sql<number>`sum(n)`.as('n'),
          sql<number>`sum(deadline_n)`.as('deadline_n'),
          sql<number>`sum(within_n)`.as('within_n'),
          sql<number>`min(min_minutes)`.as('min_minutes'),
          sql<number>`max(max_minutes)`.as('max_minutes'),
          sql<number>`sum(sum_minutes)`.as('sum_minutes'),
          ...BUCKET_COLUMNS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c)),
        ])
        .where('month', '>=', f.from)
        .where('month', '<=', f.to)
        .where(inReachWhere(r))
        .$if(!!f.ngiId, (q) => q.where('ngi_id', '=', f.ngiId!))
        .$if(!!f.siteId, (q) => q.where('scope_type', '=', 'site').where('scope_id', '=', f.siteId!))
        .$if(!!f.taskType, (q) => q.where('task_type', '=', f.taskType!))
        .groupBy(['scope_type', 'scope_id', 'ngi_id', 'task_type', 'measure'])
        .orderBy('scope_id')
        .orderBy('task_type')
        .limit(100_000)
        .execute();
      return (rows as unknown as Array<Record<string, unknown>>).map((row) => {
        const h = emptyHistogram();
        h.n = Number(row.n);
        h.min = Number(row.min_minutes);
        h.max = Number(row.max_minutes);
        for (let k = 0; k < BUCKETS; k++) h.counts[k] = Number(row[`h${k}`]);
        return {
          scopeType: String(row.scope_type),
          scopeId: String(row.scope_id),
          ngiId: String(row.ngi_id),
          taskType: String(row.task_type),
          measure: String(row.measure),
          ...figuresOf(h, Number(row.deadline_n), Number(row.within_n)),
        };
      });
    },
  };
}
export type ResponseTimes = ReturnType<typeof createResponseTimes>;
