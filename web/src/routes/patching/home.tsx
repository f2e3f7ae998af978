// Patch monitoring on the home page, per role: a site's officer lands on their site (hosts with
// tagged CVEs, silent hosts, whether anonymous reports are taken), an NGI officer on the NGI's
// sites (those not reporting first), the CSIRT on tagged CVEs still exposed, overdue first.
import { useMemo } from 'react';
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';
import { formatTime } from '../../lib/format';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useSite } from '../registry/hooks';
import { DrillDown } from './drill-down';
import { useCveTags, useHosts, useReportPolicy, useTimeToPatch } from './hooks';

const SILENT_DAYS = 7;

export function PatchingHome() {
  const session = useSession();
  if (!session.permissions.includes('patching:read')) return null;
  const sites = [...new Set(session.grants.filter((g) => g.scopeType === 'site').map((g) => g.scopeId))];
  const ngis = [...new Set(session.grants.filter((g) => g.scopeType === 'ngi').map((g) => g.scopeId))];
  const csirt = session.federationPermissions.includes('cve:tag');
  return (
    <>
      {csirt && <TaggedCvesExposed />}
      {ngis.map((ngiId) => (
        <NgiSites key={ngiId} ngiId={ngiId} />
      ))}
      {sites.map((siteId) => (
        <SiteAtAGlance key={siteId} siteId={siteId} />
      ))}
    </>
  );
}

function NgiSites({ ngiId }: { ngiId: string }) {
  const tags = useCveTags();
  return <DrillDown ngiId={ngiId} tags={tags.data?.allowedTags ?? []} />;
}

function Stat({ to, value, label, bad }: { to: string; value: number | undefined; label: string; bad?: boolean }) {
  return (
    <Link to={to} className="stat">
      <span className={`stat-value ${bad && value ? 'text-bad' : ''}`}>{value ?? '…'}</span>
      <span className="stat-label">{label}</span>
    </Link>
  );
}

function SiteAtAGlance({ siteId }: { siteId: string }) {
  const site = useSite(siteId);
  const tags = useCveTags();
  const reportedBefore = useMemo(() => new Date(Date.now() - SILENT_DAYS * 86_400_000).toISOString(), []);
  const hosts = useHosts({ siteId, limit: 1 });
  const silent = useHosts({ siteId, limit: 1, reportedBefore });
  const policy = useReportPolicy(siteId);
  const name = site.data?.name ?? 'your site';
  const headingId = `home-site-${siteId}`;
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>
        Your site: <Link to={`/registry/sites/${siteId}`}>{name}</Link>
      </h2>
      {hosts.isError ? (
        <ErrorState label="hosts" error={hosts.error} onRetry={() => void hosts.refetch()} />
      ) : (
        <div className="stats">
          <Stat to={`/patch-monitoring/hosts?siteId=${siteId}`} value={hosts.data?.total} label="Hosts reporting" />
          {tags.data?.allowedTags.map((tag) => (
            <TaggedHosts key={tag} siteId={siteId} tag={tag} />
          ))}
          <Stat
            to={`/patch-monitoring/hosts?siteId=${siteId}&silentDays=${SILENT_DAYS}`}
            value={silent.data?.total}
            label={`Silent ${SILENT_DAYS}+ days`}
            bad
          />
        </div>
      )}
      {policy.data && (
        <p className="muted">
          {policy.data.anonymousAllowed
            ? 'This site also accepts anonymous reports (anyone naming it, as Pakiti does).'
            : 'This site accepts reports only from enrolled reporters (enrolment tokens, mapped certificates).'}
        </p>
      )}
      {hosts.data?.total === 0 && <Empty>No host of {name} has reported yet: install the agent on its hosts (see the site page for an enrolment token).</Empty>}
    </section>
  );
}

function TaggedHosts({ siteId, tag }: { siteId: string; tag: string }) {
  const tagged = useHosts({ siteId, tag, limit: 1 });
  return (
    <Stat to={`/patch-monitoring/hosts?siteId=${siteId}&tag=${encodeURIComponent(tag)}`} value={tagged.data?.total} label={`Hosts with ${tag} CVEs`} bad />
  );
}

/** At most this many tagged CVEs are followed on the home page: the first in the tag list's order (level, then newest). */
const HOME_TAGGED = 10;

function TaggedCvesExposed() {
  const tags = useCveTags();
  const recent = useMemo(() => {
    const byCve = new Map<string, { cve: string; tag: string; taggedAt: string }>();
    for (const t of tags.data?.items ?? []) if (!byCve.has(t.cve)) byCve.set(t.cve, { cve: t.cve, tag: t.tag, taggedAt: t.taggedAt });
    return [...byCve.values()].slice(0, HOME_TAGGED);
  }, [tags.data]);
  return (
    <section className="panel" aria-labelledby="home-tagged">
      <h2 id="home-tagged">Tagged CVEs still exposed</h2>
      {tags.isPending ? (
        <Loading label="tagged CVEs" />
      ) : tags.isError ? (
        <ErrorState label="tagged CVEs" error={tags.error} onRetry={() => void tags.refetch()} />
      ) : recent.length === 0 ? (
        <Empty>No CVE is tagged yet.</Empty>
      ) : (
        <table className="data">
          <caption>{recent.length} tagged CVEs, most severe tag first, then newest; sites past the deadline are overdue</caption>
          <thead>
            <tr>
              <th scope="col">CVE</th>
              <th scope="col">Tag</th>
              <th scope="col">Deadline</th>
              <th scope="col" className="num">
                Hosts exposed
              </th>
              <th scope="col" className="num">
                Sites exposed
              </th>
              <th scope="col" className="num">
                Sites overdue
              </th>
            </tr>
          </thead>
          <tbody>
            {recent.map((t) => (
              <ExposureRow key={t.cve} cve={t.cve} tag={t.tag} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ExposureRow({ cve, tag }: { cve: string; tag: string }) {
  const ttp = useTimeToPatch(cve);
  const exposed = ttp.data?.sites.filter((s) => s.vulnerableNow > 0).length;
  const overdue = ttp.data?.overdueSites.length;
  return (
    <tr>
      <th scope="row">
        <Link to={`/patch-monitoring/cves/${encodeURIComponent(cve)}`} className="mono">
          {cve}
        </Link>
      </th>
      <td>
        <span className="badge badge-bad">{tag}</span>
      </td>
      <td>{ttp.data ? formatTime(ttp.data.deadline) : ttp.isError ? '!' : '…'}</td>
      <td className="num">{ttp.data?.vulnerableNow ?? '…'}</td>
      <td className="num">{exposed ?? '…'}</td>
      <td className="num">{overdue ? <span className="badge badge-bad">{overdue}</span> : (overdue ?? '…')}</td>
    </tr>
  );
}
