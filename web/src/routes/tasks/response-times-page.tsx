// Response times: how long the sites took to acknowledge and to resolve their tasks over a period
// of months (by the month a task was opened), the trend by month, the figures per task type and
// the slowest sites. The period and filters live in the URL; the CSV export takes the same query.
import { useId } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, retryTransientOnce, toSearch } from '../../lib/api';
import { Link, useSearchState } from '../../lib/router';
import { PageHeader } from '../../components/page';
import { FilterSelect } from '../../components/filter-select';
import { Empty, QueryView } from '../../components/states';
import { countTicks } from '../patching/hosts-over-time-chart';
import { formatHours } from '../patching/time-to-patch-panel';
import { useDeadlineRules } from './deadlines-page';
import { TaskTabs } from './parts';
import '../patching/patching.css';
import '../patching/time-to-patch.css';

// ---- wire shape (src/modules/tasks/response-times.ts, dashboard()) and hook ------------------------

export interface Figures {
  n: number;
  medianMinutes: number | null;
  p90Minutes: number | null;
  /** Of the answers a deadline was on, the share given within it; null when none was. */
  withinShare: number | null;
}
interface Pair {
  acknowledge: Figures;
  resolve: Figures;
}
export interface ResponseTimes extends Pair {
  filter: { from: string; to: string; ngiId?: string; siteId?: string; taskType?: string };
  trend: Array<{ month: string } & Pair>;
  byType: Array<{ taskType: string } & Pair>;
  slowest: Array<{ scopeId: string; siteName: string; ngiName: string | null } & Pair>;
}
export interface ResponseQuery {
  from: string;
  to: string;
  ngiId?: string | undefined;
  siteId?: string | undefined;
  taskType?: string | undefined;
  [key: string]: string | undefined;
}

export const useResponseTimes = (q: ResponseQuery, enabled: boolean) =>
  useQuery({
    queryKey: ['tasks', 'response-times', q] as const,
    queryFn: () => api<ResponseTimes>('/api/v1/response-times', { query: q }),
    placeholderData: keepPreviousData,
    retry: retryTransientOnce,
    enabled,
  });

// ---- words and numbers ---------------------------------------------------------------------------

/** "42 min", "3.5 h", "31 h", "2.1 days". */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 59.5) return `${Math.round(minutes)} min`;
  return formatHours(minutes / 60);
}
/** 0.873 → "87 %". */
export const formatShare = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)} %`);

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** "2026-03" → "Mar 2026". */
const monthLabel = (month: string) => `${MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month.slice(5, 7)} ${month.slice(0, 4)}`;

/** The last twelve months up to the current one (UTC), as the API takes them when not told. */
export function defaultPeriod(now = new Date()): { from: string; to: string } {
  const to = now.toISOString().slice(0, 7);
  const from = new Date(Date.UTC(now.getUTCFullYear() - 1, now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
  return { from, to };
}

const FILTERS = ['ngiId', 'siteId', 'taskType'] as const;

// ---- the page ------------------------------------------------------------------------------------

export function ResponseTimesPage() {
  const [search, set] = useSearchState();
  const fallback = defaultPeriod();
  const pick = (key: 'from' | 'to') => {
    const v = search.get(key);
    return v && MONTH.test(v) ? v : fallback[key];
  };
  const query: ResponseQuery = { from: pick('from'), to: pick('to') };
  for (const key of FILTERS) query[key] = search.get(key) || undefined;
  const backwards = query.from > query.to;
  const dashboard = useResponseTimes(query, !backwards);
  const rules = useDeadlineRules();
  const types = [...new Set([...(rules.data?.items.map((r) => r.taskType) ?? []), ...(dashboard.data?.byType.map((t) => t.taskType) ?? [])])].sort();

  return (
    <>
      <PageHeader
        title="Response times"
        crumbs={[{ label: 'Tasks', to: '/tasks' }]}
        subtitle="How long the sites, NGIs and VOs within your roles took to acknowledge and to resolve their tasks, counted in the month each task was opened."
      />
      <TaskTabs />
      <div className="toolbar">
        <MonthField label="From" value={query.from} onChange={(v) => set({ from: v })} />
        <MonthField label="To" value={query.to} onChange={(v) => set({ to: v })} />
        <FilterSelect
          label="Task type"
          anyLabel="All types"
          value={query.taskType}
          choices={types.map((t) => ({ value: t, label: t }))}
          onChange={(v) => set({ taskType: v || undefined })}
        />
      </div>
      <p className="list-actions">
        <a className="btn btn-small" href={`/api/v1/response-times.csv${toSearch(query)}`} download="response-times.csv">
          Download CSV
        </a>
        <span className="muted small"> per site and task type, with this period and filter</span>
      </p>
      {backwards ? (
        <p className="form-error" role="alert">
          The period starts after it ends: pick a “From” month no later than the “To” month.
        </p>
      ) : (
        <QueryView query={dashboard} label="response times">
          {(data) => <Dashboard data={data} />}
        </QueryView>
      )}
    </>
  );
}

/** A month picker; a value is applied once it is a whole month (browsers without a month picker type it). */
function MonthField({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  const id = useId();
  return (
    <div className="toolbar-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="month"
        className="mono"
        value={value}
        placeholder="YYYY-MM"
        onChange={(e) => MONTH.test(e.target.value) && onChange(e.target.value)}
      />
    </div>
  );
}

function Dashboard({ data }: { data: ResponseTimes }) {
  const period = `${monthLabel(data.filter.from)} – ${monthLabel(data.filter.to)}`;
  if (data.acknowledge.n === 0 && data.resolve.n === 0) {
    return (
      <Empty>
        Nothing was answered in {period}: no task opened then{data.filter.taskType ? ` of type ${data.filter.taskType}` : ''} has been acknowledged or resolved.
      </Empty>
    );
  }
  return (
    <>
      <section className="panel" aria-labelledby="rt-figures">
        <div className="panel-head">
          <h2 id="rt-figures">{period}</h2>
          {data.filter.taskType && <span className="muted small">tasks of type {data.filter.taskType}</span>}
        </div>
        <Headline title="Time to acknowledge" verb="acknowledged" figures={data.acknowledge} />
        <Headline title="Time to resolve" verb="resolved" figures={data.resolve} />
        <p className="muted small">
          Medians and 90th percentiles come from histograms of the response times: exact for a single task, within ±13 % otherwise. A share within the deadline
          counts only the answers the task’s deadline was on.
        </p>
      </section>
      <Trend data={data} />
      <ByType rows={data.byType} />
      <Slowest rows={data.slowest} />
    </>
  );
}

function Headline({ title, verb, figures }: { title: string; verb: string; figures: Figures }) {
  const id = useId();
  return (
    <section aria-labelledby={id}>
      <h3 id={id}>{title}</h3>
      <dl className="ttp-stats">
        <div>
          <dt>Median</dt>
          <dd>{formatMinutes(figures.medianMinutes)}</dd>
          <dd className="ttp-sub">half the tasks were {verb} faster</dd>
        </div>
        <div>
          <dt>90th percentile</dt>
          <dd>{formatMinutes(figures.p90Minutes)}</dd>
          <dd className="ttp-sub">nine in ten were {verb} faster</dd>
        </div>
        <div>
          <dt>Within the deadline</dt>
          <dd>{formatShare(figures.withinShare)}</dd>
          <dd className="ttp-sub">{figures.withinShare === null ? 'no deadline was on this answer' : `of the tasks ${verb} with a deadline on it`}</dd>
        </div>
        <div>
          <dt>Tasks {verb}</dt>
          <dd>{figures.n}</dd>
          <dd className="ttp-sub">opened in the period</dd>
        </div>
      </dl>
    </section>
  );
}

// ---- the trend ------------------------------------------------------------------------------------

interface Series {
  label: string;
  dashed: boolean;
  values: Array<number | null>;
}

/** The unit a chart's axis reads in: minutes under two hours, hours under three days, else days. */
function unitFor(maxMinutes: number): { name: string; per: number } {
  if (maxMinutes < 120) return { name: 'minutes', per: 1 };
  if (maxMinutes < 72 * 60) return { name: 'hours', per: 60 };
  return { name: 'days', per: 1440 };
}

const W = 520;
const H = 220;
const M = { top: 14, right: 14, bottom: 30, left: 44 };

/**
 * Median and 90th percentile per month as lines, in the look of the time-to-patch chart (its axis,
 * grid and line styles); a month with no answer leaves a gap.
 */
export function TrendChart({ months, series, title, description }: { months: string[]; series: Series[]; title: string; description: string }) {
  const id = useId();
  const max = Math.max(0, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const unit = unitFor(max);
  const yTicks = countTicks(max / unit.per);
  const yMax = yTicks.at(-1)!;
  const innerW = W - M.left - M.right;
  const innerH = H - M.top - M.bottom;
  const x = (i: number) => M.left + (months.length === 1 ? innerW / 2 : (i / (months.length - 1)) * innerW);
  const y = (minutes: number) => M.top + innerH - (minutes / unit.per / yMax) * innerH;
  const f = (n: number) => n.toFixed(1);
  const path = (values: Array<number | null>) => {
    let d = '';
    let open = false;
    values.forEach((v, i) => {
      if (v === null) {
        open = false;
        return;
      }
      d += `${open ? 'L' : 'M'}${f(x(i))},${f(y(v))}`;
      open = true;
    });
    return d;
  };
  // Every other month label when they would crowd.
  const every = Math.max(1, Math.ceil(months.length / 8));
  return (
    <>
      <div className="hot-chart">
        <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-labelledby={`${id}-t ${id}-d`}>
          <title id={`${id}-t`}>{title}</title>
          <desc id={`${id}-d`}>{description}</desc>
          <g className="hot-axis">
            {yTicks.map((v) => (
              <g key={v}>
                <line className="hot-grid" x1={M.left} x2={M.left + innerW} y1={y(v * unit.per)} y2={y(v * unit.per)} />
                <text x={M.left - 8} y={y(v * unit.per)} dy="0.32em" textAnchor="end">
                  {v}
                </text>
              </g>
            ))}
            {months.map((m, i) =>
              i % every === 0 || i === months.length - 1 ? (
                <g key={m}>
                  <line className="hot-tick" x1={x(i)} x2={x(i)} y1={M.top + innerH} y2={M.top + innerH + 4} />
                  <text x={x(i)} y={M.top + innerH + 17} textAnchor="middle">
                    {monthLabel(m)}
                  </text>
                </g>
              ) : null,
            )}
            <line className="hot-baseline" x1={M.left} x2={M.left + innerW} y1={y(0)} y2={y(0)} />
            <text className="hot-axis-title" x={12} y={M.top + innerH / 2} transform={`rotate(-90 12 ${M.top + innerH / 2})`} textAnchor="middle">
              {unit.name}
            </text>
          </g>
          {series.map((s) => (
            <g key={s.label}>
              <path className="hot-line" d={path(s.values)} strokeDasharray={s.dashed ? '5 4' : undefined} />
              {s.values.map((v, i) =>
                v === null ? null : (
                  <circle key={months[i]} cx={x(i)} cy={y(v)} r={3} style={{ fill: s.dashed ? 'var(--panel)' : 'var(--accent)', stroke: 'var(--accent)' }}>
                    <title>{`${monthLabel(months[i]!)}: ${s.label.toLowerCase()} ${formatMinutes(v)}`}</title>
                  </circle>
                ),
              )}
            </g>
          ))}
        </svg>
      </div>
      <p className="muted small" aria-hidden="true">
        {series.map((s) => (
          <span key={s.label} className="nowrap">
            <svg width="26" height="8" aria-hidden="true">
              <line className="hot-line" x1="1" x2="25" y1="4" y2="4" strokeDasharray={s.dashed ? '5 4' : undefined} />
            </svg>{' '}
            {s.label}{' '}
          </span>
        ))}
      </p>
    </>
  );
}

function Trend({ data }: { data: ResponseTimes }) {
  const months = data.trend.map((t) => t.month);
  const chart = (measure: 'acknowledge' | 'resolve', title: string) => {
    const median = data.trend.map((t) => t[measure].medianMinutes);
    const p90 = data.trend.map((t) => t[measure].p90Minutes);
    const answered = data.trend.filter((t) => t[measure].n > 0).length;
    return (
      <div>
        <h3>{title}</h3>
        {answered === 0 ? (
          <Empty>No task opened in the period has been {measure === 'acknowledge' ? 'acknowledged' : 'resolved'}.</Empty>
        ) : (
          <TrendChart
            months={months}
            title={`${title} by month`}
            description={`Median and 90th percentile ${title.toLowerCase()} of the tasks opened each month, from ${monthLabel(months[0]!)} to ${monthLabel(months.at(-1)!)}.`}
            series={[
              { label: 'Median', dashed: false, values: median },
              { label: '90th percentile', dashed: true, values: p90 },
            ]}
          />
        )}
      </div>
    );
  };
  return (
    <section className="panel" aria-labelledby="rt-trend">
      <h2 id="rt-trend">Trend by month</h2>
      {months.length === 0 ? (
        <Empty>No month in the period has an answer.</Empty>
      ) : (
        <>
          <div className="two-col">
            {chart('acknowledge', 'Time to acknowledge')}
            {chart('resolve', 'Time to resolve')}
          </div>
          <details className="ttp-figures">
            <summary>Figures per month</summary>
            <table className="data">
              <caption>Response times per month ({months.length})</caption>
              <thead>
                <tr>
                  <th scope="col">Month opened</th>
                  <PairHeads />
                </tr>
              </thead>
              <tbody>
                {[...data.trend].reverse().map((t) => (
                  <tr key={t.month}>
                    <th scope="row" className="mono">
                      {t.month}
                    </th>
                    <PairCells pair={t} />
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </section>
  );
}

// ---- tables --------------------------------------------------------------------------------------

function PairHeads() {
  return (
    <>
      {(['Acknowledged', 'Resolved'] as const).map((what) => (
        <th key={what} scope="col" className="num">
          {what}
        </th>
      ))}
      {(['acknowledge', 'resolve'] as const).flatMap((m) => [
        <th key={`${m}-median`} scope="col" className="num">
          Median to {m}
        </th>,
        <th key={`${m}-p90`} scope="col" className="num">
          90th pct. to {m}
        </th>,
        <th key={`${m}-within`} scope="col" className="num">
          {m === 'acknowledge' ? 'Acknowledged' : 'Resolved'} in time
        </th>,
      ])}
    </>
  );
}

function PairCells({ pair }: { pair: Pair }) {
  return (
    <>
      <td className="num">{pair.acknowledge.n}</td>
      <td className="num">{pair.resolve.n}</td>
      {(['acknowledge', 'resolve'] as const).flatMap((m) => [
        <td key={`${m}-median`} className="num">
          {formatMinutes(pair[m].medianMinutes)}
        </td>,
        <td key={`${m}-p90`} className="num">
          {formatMinutes(pair[m].p90Minutes)}
        </td>,
        <td key={`${m}-within`} className="num">
          {formatShare(pair[m].withinShare)}
        </td>,
      ])}
    </>
  );
}

function ByType({ rows }: { rows: ResponseTimes['byType'] }) {
  return (
    <section className="panel" aria-labelledby="rt-types">
      <h2 id="rt-types">By task type</h2>
      <div className="table-wrap">
        <table className="data">
          <caption>Response times by task type ({rows.length})</caption>
          <thead>
            <tr>
              <th scope="col">Task type</th>
              <PairHeads />
            </tr>
          </thead>
          <tbody>
            {rows.map((t) => (
              <tr key={t.taskType}>
                <th scope="row" className="mono">
                  {t.taskType}
                </th>
                <PairCells pair={t} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Slowest({ rows }: { rows: ResponseTimes['slowest'] }) {
  return (
    <section className="panel" aria-labelledby="rt-slowest">
      <h2 id="rt-slowest">Slowest sites</h2>
      {rows.length === 0 ? (
        <Empty>No site has answered a task in the period.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption>Slowest sites, by median time to resolve, then to acknowledge ({rows.length})</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Rank
                </th>
                <th scope="col">Site</th>
                <th scope="col">NGI</th>
                <PairHeads />
              </tr>
            </thead>
            <tbody>
              {rows.map((s, i) => (
                <tr key={s.scopeId}>
                  <td className="num">{i + 1}</td>
                  <th scope="row" className="mono">
                    {/* Tasks may also go to an NGI or a VO: only a site (it has an NGI) has a site page. */}
                    {s.ngiName !== null ? <Link to={`/registry/sites/${encodeURIComponent(s.scopeId)}`}>{s.siteName}</Link> : s.siteName}
                  </th>
                  <td>{s.ngiName ?? '—'}</td>
                  <PairCells pair={s} />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
