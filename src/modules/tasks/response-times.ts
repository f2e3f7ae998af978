// Response times: how long the addressees took to acknowledge and to resolve their tasks, per
// site (NGI, VO), type and month of creation. Each answer adds to stored histograms in the
// transaction that records it (task_response_rollup), at three levels — the addressee, its NGI,
// the federation — and under its type and '*', so the dashboard over a million tasks sums a few
// hundred rows instead of sorting a million (src/lib/response-times/histogram.ts).
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Db, Dialect, Executor } from '../../db/database.js';
import type { Database, TaskTable } from '../../db/schema.js';
import { reach, type Actor, type Reach } from '../../core/access.js';
import { BUCKETS, bucketOf, emptyHistogram, merge, quantile, type Histogram } from '../../lib/response-times/histogram.js';
import { siteAndNgiNames } from '../registry/index.js';
import type { Measure } from './deadlines.js';

const BUCKET_COLUMNS = Array.from({ length: BUCKETS }, (_, k) => `h${k}` as const);
const ALL_TYPES = '*';

type RollupKey = { level: 'scope' | 'ngi' | 'federation'; scope_type: string; scope_id: string; ngi_id: string; task_type: string };

/** The histogram rows one answer to a task counts in: its addressee's, its NGI's and the federation's, each under its type and '*'. */
export function rollupKeys(task: Pick<TaskTable, 'scope_type' | 'scope_id' | 'ngi_id' | 'task_type'>): RollupKey[] {
  const ngi = task.ngi_id ?? '';
  const places: Array<Omit<RollupKey, 'task_type'>> = [
    { level: 'scope', scope_type: task.scope_type, scope_id: task.scope_id, ngi_id: ngi },
    ...(task.ngi_id ? [{ level: 'ngi' as const, scope_type: 'ngi', scope_id: task.ngi_id, ngi_id: ngi }] : []),
    { level: 'federation', scope_type: 'federation', scope_id: '', ngi_id: '' },
  ];
  return places.flatMap((p) => [
    { ...p, task_type: task.task_type },
    { ...p, task_type: ALL_TYPES },
  ]);
}

/** The periods an answer counts in: its month ('2026-12'), and its year ('2026') so that views over
 *  whole years sum twelve times fewer rows. */
export const periodsOf = (createdAt: string): [string, string] => [createdAt.slice(0, 7), createdAt.slice(0, 4)];

/** The stored periods covering the months from…to: whole years by their year rows, the rest by month. */
export function periodsCovering(from: string, to: string): string[] {
  const out: string[] = [];
  let [y, m] = [Number(from.slice(0, 4)), Number(from.slice(5, 7))];
  const [toY, toM] = [Number(to.slice(0, 4)), Number(to.slice(5, 7))];
  while (y < toY || (y === toY && m <= toM)) {
    if (m === 1 && (y < toY || toM === 12)) {
      out.push(String(y));
      y += 1;
      continue;
    }
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return out;
}

/** Adds one answer to its month's and year's histograms. `metDeadline` is set only for the measure the task's deadline is on. */
export async function recordAnswer(
  trx: Executor,
  dialect: Dialect,
  task: Pick<TaskTable, 'created_at' | 'scope_type' | 'scope_id' | 'ngi_id' | 'task_type'>,
  measure: Measure,
  answeredAt: string,
  metDeadline: boolean | undefined,
): Promise<void> {
  const minutes = Math.max(0, (Date.parse(answeredAt) - Date.parse(task.created_at)) / 60_000);
  const bucket = `h${bucketOf(minutes)}` as const;
  const rows = periodsOf(task.created_at).flatMap((month) =>
    rollupKeys(task).map((k) => ({
      ...k,
      month,
      measure,
      n: 1,
      deadline_n: metDeadline === undefined ? 0 : 1,
      within_n: metDeadline ? 1 : 0,
      min_minutes: minutes,
      max_minutes: minutes,
      sum_minutes: minutes,
      [bucket]: 1,
    })),
  );
  const least = dialect === 'postgres' ? 'least' : 'min';
  const greatest = dialect === 'postgres' ? 'greatest' : 'max';
  await trx
    .insertInto('task_response_rollup')
    .values(rows as never)
    .onConflict((oc) =>
      oc.columns(['level', 'task_type', 'scope_type', 'scope_id', 'month', 'measure']).doUpdateSet({
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

type Summed = { hist: Histogram; deadline: number; within: number };
const emptySum = (): Summed => ({ hist: emptyHistogram(), deadline: 0, within: 0 });
const figuresOf = (s: Summed): Figures => ({
  n: s.hist.n,
  medianMinutes: quantile(s.hist, 0.5),
  p90Minutes: quantile(s.hist, 0.9),
  withinShare: s.deadline > 0 ? s.within / s.deadline : null,
});

type Rollups = ExpressionBuilder<Database, 'task_response_rollup'>;
const TRUE = (eb: Rollups) => eb.lit(true) as unknown as Expression<SqlBool>;
const FALSE = (eb: Rollups) => eb.lit(false) as unknown as Expression<SqlBool>;

/**
 * The rows whose sums are exactly the tasks the reader may count under the filter, each task
 * once: the federation's rows for a federation-wide reader, an NGI's for a reader of the whole
 * NGI, the addressees' rows otherwise (a site reached through its NGI is not counted again).
 */
function countedRows(r: Reach, f: ResponseFilter) {
  return (eb: Rollups): Expression<SqlBool> => {
    const level = (l: string) => eb('task_response_rollup.level', '=', l);
    const sites = (ids: readonly string[]) =>
      eb.and([level('scope'), eb('task_response_rollup.scope_type', '=', 'site'), eb('task_response_rollup.scope_id', 'in', [...ids])]);
    if (f.siteId) {
      const reached = r.all || r.siteIds.includes(f.siteId) || r.ngiIds.length > 0;
      // An NGI reader's site filter is checked against the site's NGI in the same row.
      const inReach = r.all || r.siteIds.includes(f.siteId) ? TRUE(eb) : r.ngiIds.length ? eb('task_response_rollup.ngi_id', 'in', [...r.ngiIds]) : FALSE(eb);
      return reached ? eb.and([sites([f.siteId]), inReach]) : FALSE(eb);
    }
    if (f.ngiId) {
      if (r.all || r.ngiIds.includes(f.ngiId)) return eb.and([level('ngi'), eb('task_response_rollup.scope_id', '=', f.ngiId)]);
      return r.siteIds.length ? eb.and([sites(r.siteIds), eb('task_response_rollup.ngi_id', '=', f.ngiId)]) : FALSE(eb);
    }
    if (r.all) return level('federation');
    const ors: Expression<SqlBool>[] = [];
    if (r.ngiIds.length) ors.push(eb.and([level('ngi'), eb('task_response_rollup.scope_id', 'in', [...r.ngiIds])]));
    if (r.siteIds.length) {
      const outsideNgis = r.ngiIds.length ? [eb('task_response_rollup.ngi_id', 'not in', [...r.ngiIds])] : [];
      ors.push(eb.and([sites(r.siteIds), ...outsideNgis]));
    }
    if (r.voIds.length)
      ors.push(eb.and([level('scope'), eb('task_response_rollup.scope_type', '=', 'vo'), eb('task_response_rollup.scope_id', 'in', [...r.voIds])]));
    return ors.length ? eb.or(ors) : FALSE(eb);
  };
}

/** Sites' own rows inside the reach (the ranking of the slowest sites). */
function siteRows(r: Reach, f: ResponseFilter) {
  return (eb: Rollups): Expression<SqlBool> => {
    const parts: Expression<SqlBool>[] = [eb('task_response_rollup.level', '=', 'scope'), eb('task_response_rollup.scope_type', '=', 'site')];
    if (!r.all) {
      const ors: Expression<SqlBool>[] = [];
      if (r.ngiIds.length) ors.push(eb('task_response_rollup.ngi_id', 'in', [...r.ngiIds]));
      if (r.siteIds.length) ors.push(eb('task_response_rollup.scope_id', 'in', [...r.siteIds]));
      parts.push(ors.length ? eb.or(ors) : FALSE(eb));
    }
    if (f.ngiId) parts.push(eb('task_response_rollup.ngi_id', '=', f.ngiId));
    if (f.siteId) parts.push(eb('task_response_rollup.scope_id', '=', f.siteId));
    return eb.and(parts);
  };
}

const SUMS = [
  sql<number>`sum(n)`.as('n'),
  sql<number>`sum(deadline_n)`.as('deadline_n'),
  sql<number>`sum(within_n)`.as('within_n'),
  sql<number>`min(min_minutes)`.as('min_minutes'),
  sql<number>`max(max_minutes)`.as('max_minutes'),
  sql<number>`sum(sum_minutes)`.as('sum_minutes'),
  ...BUCKET_COLUMNS.map((c) => sql<number>`sum(${sql.ref(c)})`.as(c)),
];

function summed(row: Record<string, unknown>): Summed {
  const hist = emptyHistogram();
  hist.n = Number(row.n);
  hist.min = Number(row.min_minutes);
  hist.max = Number(row.max_minutes);
  hist.sum = Number(row.sum_minutes);
  for (let k = 0; k < BUCKETS; k++) hist.counts[k] = Number(row[`h${k}`]);
  return { hist, deadline: Number(row.deadline_n), within: Number(row.within_n) };
}

export function createResponseTimes({ db }: { db: Db }) {
  /** Histograms summed over the selected rows, grouped by `group` and measure. */
  async function grouped(where: (eb: Rollups) => Expression<SqlBool>, f: ResponseFilter, types: 'all' | 'each', group: 'month' | 'scope_id' | 'task_type') {
    // By month: the month rows; otherwise whole years by their year rows.
    const periods = group === 'month' ? undefined : periodsCovering(f.from, f.to);
    const rows = await db
      .selectFrom('task_response_rollup')
      .select(['measure', group])
      .select(SUMS)
      .$if(!periods, (q) => q.where('month', '>=', f.from).where('month', '<=', f.to).where('month', 'like', '____-__'))
      .$if(!!periods, (q) => q.where('month', 'in', periods!))
      .$if(types === 'all', (q) => q.where('task_type', '=', f.taskType ?? ALL_TYPES))
      .$if(types === 'each', (q) => q.where('task_type', '!=', ALL_TYPES))
      .where(where)
      .groupBy(['measure', group])
      .execute();
    return (rows as unknown as Array<Record<string, unknown>>).map((row) => ({ key: String(row[group]), measure: row.measure as Measure, sum: summed(row) }));
  }

  /** Per key, both measures' figures. */
  function pairs(rows: Awaited<ReturnType<typeof grouped>>) {
    const out = new Map<string, Record<Measure, Summed>>();
    for (const r of rows) {
      const p = out.get(r.key) ?? { acknowledge: emptySum(), resolve: emptySum() };
      p[r.measure] = r.sum;
      out.set(r.key, p);
    }
    return out;
  }
  const figures = (p: Record<Measure, Summed> | undefined) => ({
    acknowledge: figuresOf(p?.acknowledge ?? emptySum()),
    resolve: figuresOf(p?.resolve ?? emptySum()),
  });

  return {
    /** The dashboard: the period's figures, the trend by month, by type, and the slowest sites. */
    async dashboard(actor: Actor, f: ResponseFilter, slowest = 10) {
      const r = reach(actor, 'task:read');
      const [byMonth, byType, bySite] = await Promise.all([
        grouped(countedRows(r, f), f, 'all', 'month'),
        f.taskType ? Promise.resolve([]) : grouped(countedRows(r, f), f, 'each', 'task_type'),
        slowest > 0 ? grouped(siteRows(r, f), f, 'all', 'scope_id') : Promise.resolve([]),
      ]);
      // The period's figures: the months' histograms added up.
      const total: Record<Measure, Summed> = { acknowledge: emptySum(), resolve: emptySum() };
      for (const m of byMonth) {
        merge(total[m.measure].hist, m.sum.hist);
        total[m.measure].deadline += m.sum.deadline;
        total[m.measure].within += m.sum.within;
      }
      const months = pairs(byMonth);
      const types = pairs(byType);
      // Slowest first: by the median time to resolve, then to acknowledge.
      const sites = [...pairs(bySite)].map(([scopeId, p]) => ({ scopeId, ...figures(p) }));
      sites.sort(
        (a, b) =>
          (b.resolve.medianMinutes ?? -1) - (a.resolve.medianMinutes ?? -1) || (b.acknowledge.medianMinutes ?? -1) - (a.acknowledge.medianMinutes ?? -1),
      );
      const top = sites.slice(0, slowest);
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
        : new Map<string, { site_name: string; ngi_name: string }>();
      return {
        filter: f,
        ...figures(total),
        trend: [...months.keys()].sort().map((month) => ({ month, ...figures(months.get(month)) })),
        byType: [...types.keys()].sort().map((taskType) => ({ taskType, ...figures(types.get(taskType)) })),
        slowest: top.map((t) => ({
          scopeId: t.scopeId,
          siteName: names.get(t.scopeId)?.site_name ?? t.scopeId,
          ngiName: names.get(t.scopeId)?.ngi_name ?? null,
          acknowledge: t.acknowledge,
          resolve: t.resolve,
        })),
      };
    },

    /** Per addressee and type over the period, for the CSV export. */
    async rows(actor: Actor, f: ResponseFilter) {
      const r = reach(actor, 'task:read');
      const rows = await db
        .selectFrom('task_response_rollup')
        .select(['scope_type', 'scope_id', 'ngi_id', 'task_type', 'measure'])
        .select(SUMS)
        .where('level', '=', 'scope')
        .where('task_type', '!=', ALL_TYPES)
        .where('month', 'in', periodsCovering(f.from, f.to))
        .where((eb) =>
          eb.or([
            siteRows(r, f)(eb),
            ...(r.all && !f.siteId && !f.ngiId ? [eb('scope_type', '!=', 'site')] : []),
            ...(r.voIds.length && !f.siteId && !f.ngiId ? [eb.and([eb('scope_type', '=', 'vo'), eb('scope_id', 'in', [...r.voIds])])] : []),
          ]),
        )
        .$if(!!f.taskType, (q) => q.where('task_type', '=', f.taskType!))
        .groupBy(['scope_type', 'scope_id', 'ngi_id', 'task_type', 'measure'])
        .orderBy('scope_id')
        .orderBy('task_type')
        .limit(100_000)
        .execute();
      return (rows as unknown as Array<Record<string, unknown>>).map((row) => ({
        scopeType: String(row.scope_type),
        scopeId: String(row.scope_id),
        ngiId: String(row.ngi_id),
        taskType: String(row.task_type),
        measure: String(row.measure),
        ...figuresOf(summed(row)),
      }));
    },
  };
}
export type ResponseTimes = ReturnType<typeof createResponseTimes>;
