// How fast a tagged CVE is being patched: vulnerable hosts over time, the median time to fix after
// tagging, the deadline (SEC03 for critical tags) and the sites still exposed past it.
import { Link } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { Empty, QueryView } from '../../components/states';
import { dayLabel, HostsOverTimeChart } from './hosts-over-time-chart';
import { useTimeToPatch } from './hooks';
import type { TimeToPatch } from './types';
import './time-to-patch.css';

const DAY = 86_400_000;

/** "5.5 h", "31 h", "3.2 days": hours while under two days. */
export function formatHours(hours: number | null): string {
  if (hours === null) return '—';
  if (hours < 10) return `${Math.round(hours * 10) / 10} h`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round((hours / 24) * 10) / 10} days`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function TimeToPatchPanel({ cveId }: { cveId: string }) {
  const ttp = useTimeToPatch(cveId);
  return (
    <section className="panel" aria-labelledby="cve-ttp">
      <div className="panel-head">
        <h2 id="cve-ttp">Time to patch</h2>
        {ttp.data && (
          <span className="muted small">
            as of <span className="mono">{formatTime(ttp.data.asOf)}</span>
          </span>
        )}
      </div>
      <QueryView query={ttp} label="time to patch">
        {(t) => <TimeToPatchView ttp={t} />}
      </QueryView>
    </section>
  );
}

/** Sites with a host vulnerable now: the same sites the CVE page lists as affected. */
const exposedSites = (ttp: TimeToPatch) => ttp.sites.filter((s) => s.vulnerableNow > 0).length;

function TimeToPatchView({ ttp }: { ttp: TimeToPatch }) {
  const asOf = Date.parse(ttp.asOf);
  const deadline = Date.parse(ttp.deadline);
  const daysLeft = Math.ceil((deadline - asOf) / DAY);
  const passed = asOf > deadline;
  const daysAgo = Math.floor((asOf - deadline) / DAY);
  // A tag made today shares its line with today's.
  const taggedToday = asOf - Date.parse(ttp.taggedAt) < DAY;
  const peak = ttp.series.reduce((best, p) => (p.vulnerableHosts > best.vulnerableHosts ? p : best), ttp.series[0] ?? { date: '', vulnerableHosts: 0 });
  const first = ttp.series[0]?.date;
  const description = first
    ? `From ${first} to ${ttp.asOf.slice(0, 10)}: at most ${plural(peak.vulnerableHosts, 'vulnerable host')} (${peak.date}), ${ttp.vulnerableNow} now. ` +
      `Tagged ${ttp.tag} on ${ttp.taggedAt.slice(0, 10)}; deadline ${ttp.deadline.slice(0, 10)}.`
    : 'No host you can see has been vulnerable.';
  return (
    <>
      <dl className="ttp-stats">
        <div>
          <dt>Vulnerable now</dt>
          <dd className={ttp.vulnerableNow > 0 ? 'is-bad' : undefined}>{ttp.vulnerableNow}</dd>
          <dd className="ttp-sub">{plural(ttp.vulnerableNow, 'host')} still exposed, within your roles</dd>
        </div>
        <div>
          <dt>Median time to fix</dt>
          <dd>{formatHours(ttp.medianHoursToFix)}</dd>
          <dd className="ttp-sub">{ttp.medianHoursToFix === null ? 'no host fixed since tagging' : 'from tagging (or first sighting) to fix'}</dd>
        </div>
        <div>
          <dt>Deadline</dt>
          <dd className={passed && ttp.vulnerableNow > 0 ? 'is-bad' : undefined}>{dayLabel(deadline, true)}</dd>
          <dd className="ttp-sub">
            {ttp.deadlineDays} days after tagging {ttp.tag} ·{' '}
            {passed ? (daysAgo === 0 ? 'passed today' : `passed ${plural(daysAgo, 'day')} ago`) : daysLeft <= 0 ? 'today' : `in ${plural(daysLeft, 'day')}`}
          </dd>
        </div>
        <div>
          <dt>Sites past the deadline</dt>
          <dd className={ttp.overdueSites.length > 0 ? 'is-bad' : undefined}>{ttp.overdueSites.length}</dd>
          <dd className="ttp-sub">
            of {plural(exposedSites(ttp), 'site')} exposed now · {ttp.sites.length} affected since first seen
          </dd>
        </div>
      </dl>
      {ttp.series.length > 0 && (
        <HostsOverTimeChart
          series={ttp.series}
          asOf={ttp.asOf}
          title={`Vulnerable hosts per day, ${ttp.cve}`}
          description={description}
          markers={[
            { at: ttp.taggedAt, label: `tagged ${ttp.tag}${taggedToday ? ' today' : ''}`, tone: 'tag' },
            { at: ttp.deadline, label: `deadline (${ttp.deadlineDays} days)`, tone: 'deadline' },
            ...(deadline > asOf && !taggedToday ? [{ at: ttp.asOf, label: 'today', tone: 'today' as const }] : []),
          ]}
        />
      )}
      <details className="ttp-figures">
        <summary>Figures per day</summary>
        <table className="data">
          <caption>Vulnerable hosts per day ({ttp.series.length} days)</caption>
          <thead>
            <tr>
              <th scope="col">Day (UTC)</th>
              <th scope="col" className="num">
                Vulnerable hosts
              </th>
            </tr>
          </thead>
          <tbody>
            {[...ttp.series].reverse().map((p) => (
              <tr key={p.date}>
                <td className="mono">{p.date}</td>
                <td className="num">{p.vulnerableHosts}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
      <OverdueSites ttp={ttp} passed={passed} daysLeft={daysLeft} />
    </>
  );
}

function OverdueSites({ ttp, passed, daysLeft }: { ttp: TimeToPatch; passed: boolean; daysLeft: number }) {
  const exposed = exposedSites(ttp);
  const hostsOf = (siteId: string) => `/patch-monitoring/hosts?cve=${encodeURIComponent(ttp.cve)}&siteId=${siteId}`;
  if (ttp.overdueSites.length === 0) {
    return (
      <Empty>
        {passed
          ? 'No site is past the deadline: every host you can see is fixed.'
          : `No site is past the deadline yet: it is in ${plural(Math.max(daysLeft, 0), 'day')}, and ${plural(exposed, 'site')} still ${exposed === 1 ? 'has' : 'have'} vulnerable hosts.`}
      </Empty>
    );
  }
  return (
    <table className="data ttp-overdue">
      <caption>Sites past the deadline ({ttp.overdueSites.length})</caption>
      <thead>
        <tr>
          <th scope="col">Site</th>
          <th scope="col">NGI</th>
          <th scope="col" className="num">
            Still vulnerable
          </th>
          <th scope="col" className="num">
            Fixed
          </th>
          <th scope="col" className="num">
            Median time to fix
          </th>
        </tr>
      </thead>
      <tbody>
        {ttp.overdueSites.map((s) => (
          <tr key={s.siteId}>
            <th scope="row" className="mono">
              <Link to={`/registry/sites/${s.siteId}`}>{s.siteName}</Link>
            </th>
            <td>{s.ngiName}</td>
            <td className="num">
              <Link to={hostsOf(s.siteId)} aria-label={`${s.vulnerableNow} vulnerable hosts at ${s.siteName}`}>
                {s.vulnerableNow}
              </Link>
            </td>
            <td className="num">{s.fixed}</td>
            <td className="num">{formatHours(s.medianHoursToFix)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
