// Hosts that report: server-side paging, sorting and filters (text, NGI, site, risk tag, CVE,
// silent for N days), kept in the URL.
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { Link } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { SearchBox } from '../../components/search-box';
import { FilterSelect } from '../../components/filter-select';
import { Empty, ErrorState, Loading } from '../../components/states';
import { Pager, SortHeader } from '../../components/table';
import { useNgis, useSites } from '../registry/hooks';
import { useListState } from '../registry/list-state';
import { useCveTags, useHosts } from './hooks';
import { HostFlags, PatchingTabs } from './parts';

function CveFilter({ value, onChange }: { value: string; onChange: (v: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(text.trim().toUpperCase());
  };
  return (
    <form className="toolbar-field" onSubmit={submit}>
      <label htmlFor={id}>Affected by CVE</label>
      <input
        id={id}
        className="mono"
        value={text}
        placeholder="CVE-2024-6387"
        onChange={(e) => setText(e.target.value)}
        onBlur={() => text.trim().toUpperCase() !== value && onChange(text.trim().toUpperCase())}
      />
    </form>
  );
}

const SILENCE = [
  { value: '7', label: 'Silent 7+ days' },
  { value: '30', label: 'Silent 30+ days' },
];

/** The CSV export of the list as filtered (paging and sort left out: the export has them all). */
function csvHref(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'ngiId', 'siteId', 'tag', 'cve', 'reportedBefore'])
    if (query[key] !== undefined && query[key] !== '') params.set(key, String(query[key]));
  const qs = params.toString();
  return `/api/v1/hosts.csv${qs ? `?${qs}` : ''}`;
}

export function HostsListPage() {
  const list = useListState(['ngiId', 'siteId', 'tag', 'cve', 'silentDays'], { sort: 'hostname' });
  const { silentDays, ...filters } = list.query;
  // "Silent for N days" travels as a number in the address; the API takes the time it means.
  const reportedBefore = useMemo(() => (silentDays ? new Date(Date.now() - Number(silentDays) * 86_400_000).toISOString() : undefined), [silentDays]);
  const hosts = useHosts({ ...filters, reportedBefore });
  const ngis = useNgis({ limit: 200, sort: 'name' });
  const sites = useSites({ limit: 200, sort: 'name', ...(list.filters.ngiId ? { ngiId: list.filters.ngiId } : {}) });
  const tags = useCveTags();
  const sortState = { sort: list.sort, order: list.order };
  const narrowed = [
    list.q && `matching “${list.q}”`,
    list.filters.cve && `affected by ${list.filters.cve}`,
    list.filters.tag && `with ${list.filters.tag} CVEs`,
    list.filters.silentDays && `silent for ${list.filters.silentDays}+ days`,
  ]
    .filter(Boolean)
    .join(', ');

  return (
    <>
      <PageHeader
        title="Hosts"
        crumbs={[{ label: 'Patch monitoring', to: '/patch-monitoring' }]}
        subtitle="Every host that reports its packages, with its findings against the feeds. Only hosts within your roles are listed."
      />
      <PatchingTabs />
      <div className="toolbar">
        <SearchBox label="Filter hosts" value={list.q} onChange={list.setQ} placeholder="Host name or OS…" />
        <FilterSelect
          label="NGI"
          anyLabel="All NGIs"
          value={list.filters.ngiId}
          choices={ngis.data?.items.map((n) => ({ value: n.ngiId, label: n.name }))}
          onChange={(v) => list.setFilters({ ngiId: v, siteId: '' })}
        />
        <FilterSelect
          label="Site"
          anyLabel="All sites"
          value={list.filters.siteId}
          choices={sites.data?.items.map((x) => ({ value: x.siteId, label: x.name }))}
          onChange={(v) => list.setFilter('siteId', v)}
        />
        <FilterSelect
          label="Risk tag"
          anyLabel="Any"
          value={list.filters.tag}
          choices={tags.data?.allowedTags.map((t) => ({ value: t, label: t }))}
          onChange={(v) => list.setFilter('tag', v)}
        />
        <CveFilter value={list.filters.cve ?? ''} onChange={(v) => list.setFilter('cve', v)} />
        <FilterSelect
          label="Last report"
          anyLabel="Any time"
          value={list.filters.silentDays}
          choices={SILENCE}
          onChange={(v) => list.setFilter('silentDays', v)}
        />
      </div>

      <p className="list-actions">
        <a className="btn btn-small" href={csvHref({ ...filters, reportedBefore })} download="hosts.csv">
          Download CSV
        </a>
        <span className="muted small"> the hosts listed, with these filters (up to 100,000)</span>
      </p>
      {hosts.isPending ? (
        <Loading label="hosts" />
      ) : hosts.isError ? (
        <ErrorState label="hosts" error={hosts.error} onRetry={() => void hosts.refetch()} />
      ) : (
        <div className={`table-wrap ${hosts.isPlaceholderData ? 'is-stale' : ''}`} aria-busy={hosts.isFetching}>
          <table className="data">
            <caption>{hosts.isPlaceholderData ? 'Hosts (updating…)' : `Hosts${narrowed ? ` ${narrowed}` : ''} (${hosts.data.total})`}</caption>
            <thead>
              <tr>
                <SortHeader column="hostname" state={sortState} onSort={list.setSort}>
                  Host
                </SortHeader>
                <SortHeader column="siteName" state={sortState} onSort={list.setSort}>
                  Site
                </SortHeader>
                <th scope="col">NGI</th>
                <SortHeader column="os" state={sortState} onSort={list.setSort}>
                  OS
                </SortHeader>
                <th scope="col">Arch</th>
                <SortHeader column="findings" state={sortState} onSort={list.setSort} className="num">
                  Findings
                </SortHeader>
                <th scope="col" className="num">
                  Tagged CVEs
                </th>
                <SortHeader column="lastReportAt" state={sortState} onSort={list.setSort}>
                  Last report
                </SortHeader>
                <th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody>
              {hosts.data.items.map((h) => (
                <tr key={h.hostId}>
                  <th scope="row" className="mono">
                    <Link to={`/patch-monitoring/hosts/${h.hostId}`}>{h.hostname}</Link>
                  </th>
                  <td className="mono">
                    <Link to={`/registry/sites/${h.siteId}`}>{h.siteName}</Link>
                  </td>
                  <td>{h.ngiName}</td>
                  <td className="mono" title={h.os}>
                    {h.osKey ?? <span className="badge badge-warn">unknown</span>}
                  </td>
                  <td className="mono">{h.arch || '—'}</td>
                  <td className="num">{h.findingCount}</td>
                  <td className="num">
                    {h.taggedCveCount > 0 ? <span className="badge badge-bad">{h.taggedCveCount}</span> : <span className="muted">0</span>}
                  </td>
                  <td className="mono muted nowrap">{formatTime(h.lastReportAt)}</td>
                  <td>
                    <HostFlags flags={h.flags} lastReportAt={h.lastReportAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {hosts.data.items.length === 0 && !hosts.isPlaceholderData && <Empty>No hosts match these filters.</Empty>}
          <Pager label="Hosts" total={hosts.data.total} limit={list.limit} offset={list.offset} onChange={list.setPage} />
        </div>
      )}
    </>
  );
}
