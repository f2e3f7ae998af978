// Patch monitoring at a glance: hosts, hosts carrying each risk tag, silent hosts, feeds; then
// the drill-down by NGI and site; the tagged CVEs and a CVE search. Counts come from the hosts
// list with limit=1.
import { useMemo } from 'react';
import { Link } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useCveTags, useFeeds, useHosts } from './hooks';
import { CveSearch, PatchingTabs, SILENT_DAYS, TagBadge } from './parts';
import { DrillDown } from './drill-down';

function Stat({ label, to, value, tone }: { label: string; to: string; value: number | undefined | 'error'; tone?: 'bad' | 'warn' }) {
  const shown = value === undefined ? '…' : value === 'error' ? '!' : value;
  return (
    <Link to={to} className="stat">
      <span className={`stat-value ${tone && typeof value === 'number' && value > 0 ? `is-${tone}` : ''}`}>{shown}</span>
      <span className="stat-label">{label}</span>
    </Link>
  );
}

function TagStat({ tag }: { tag: string }) {
  const q = useHosts({ limit: 1, tag });
  return (
    <Stat
      label={`Hosts with ${tag} CVEs`}
      to={`/patch-monitoring/hosts?tag=${encodeURIComponent(tag)}`}
      tone={tag.includes('Critical') ? 'bad' : 'warn'}
      value={q.isError ? 'error' : q.data?.total}
    />
  );
}

export function PatchOverviewPage() {
  // Fixed once per visit, so the query key (and the count) stays put while the page is open.
  const activeSince = useMemo(() => new Date(Date.now() - SILENT_DAYS * 86_400_000).toISOString(), []);
  const all = useHosts({ limit: 1 });
  const active = useHosts({ limit: 1, activeSince });
  const tags = useCveTags();
  const feeds = useFeeds();
  const silent = all.data && active.data ? all.data.total - active.data.total : all.isError || active.isError ? ('error' as const) : undefined;
  const feedProblems = feeds.data?.items.filter((f) => f.warnings.length > 0 || f.lastError).length ?? 0;

  return (
    <>
      <PageHeader
        title="Patch monitoring"
        subtitle="Hosts report their installed packages; Vigil evaluates them against the feeds and the CSIRT's risk tags."
        actions={<CveSearch />}
      />
      <PatchingTabs />
      <div className="stats patch-stats">
        <Stat label="Hosts reporting" to="/patch-monitoring/hosts" value={all.isError ? 'error' : all.data?.total} />
        {tags.data?.allowedTags.map((t) => (
          <TagStat key={t} tag={t} />
        ))}
        <Stat label={`Silent hosts (no report for ${SILENT_DAYS} days)`} to="/patch-monitoring/hosts?sort=lastReportAt&order=asc" value={silent} tone="warn" />
      </div>
      <DrillDown tags={tags.data?.allowedTags ?? []} />
      <div className="two-col">
        <section className="panel" aria-labelledby="tagged-cves">
          <div className="panel-head">
            <h2 id="tagged-cves">Tagged CVEs</h2>
            <Link to="/patch-monitoring/tags" className="small">
              All risk tags
            </Link>
          </div>
          {tags.isPending ? (
            <Loading label="risk tags" />
          ) : tags.isError ? (
            <ErrorState label="risk tags" error={tags.error} onRetry={() => void tags.refetch()} />
          ) : tags.data.items.length === 0 ? (
            <Empty>No CVE is tagged yet.</Empty>
          ) : (
            <ul className="tag-list">
              {tags.data.items.slice(0, 8).map((t) => (
                <li key={`${t.cve}-${t.tag}-${t.arch ?? ''}`}>
                  <TagBadge tag={t.tag} arch={t.arch} />
                  <div>
                    <Link to={`/patch-monitoring/cves/${encodeURIComponent(t.cve)}`} className="mono">
                      {t.cve}
                    </Link>
                    <p className="tag-meta">{t.reason}</p>
                  </div>
                  <span className="mono muted small">{formatTime(t.taggedAt)}</span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="panel" aria-labelledby="feed-status">
          <div className="panel-head">
            <h2 id="feed-status">Feeds</h2>
            <Link to="/patch-monitoring/feeds" className="small">
              Feed status
            </Link>
          </div>
          {feeds.isPending ? (
            <Loading label="feeds" />
          ) : feeds.isError ? (
            <ErrorState label="feeds" error={feeds.error} onRetry={() => void feeds.refetch()} />
          ) : feeds.data.items.length === 0 ? (
            <Empty>No feed is registered.</Empty>
          ) : (
            <>
              {feedProblems > 0 && (
                <p className="notice notice-warn" role="alert">
                  {feedProblems} feed{feedProblems === 1 ? ' has' : 's have'} warnings: see the feed status.
                </p>
              )}
              <table className="data">
                <caption className="sr-only">Feeds</caption>
                <thead>
                  <tr>
                    <th scope="col">Feed</th>
                    <th scope="col" className="num">
                      CVEs
                    </th>
                    <th scope="col">Last refresh</th>
                  </tr>
                </thead>
                <tbody>
                  {feeds.data.items.map((f) => (
                    <tr key={f.feedId}>
                      <th scope="row">{f.name}</th>
                      <td className="num">{f.cveCount}</td>
                      <td className="mono muted nowrap">{formatTime(f.lastRefreshAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </section>
      </div>
    </>
  );
}
