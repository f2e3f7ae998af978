// Sites: server-side paging, sorting by column and filters (text, NGI, certification, production).
import { useId } from 'react';
import { Link } from '../../lib/router';
import { useCan } from '../../lib/session';
import { CERTIFICATION_STATUSES } from '../../lib/types';
import { dash } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { SearchBox } from '../../components/search-box';
import { FilterSelect } from '../../components/filter-select';
import { Empty, ErrorState, Loading } from '../../components/states';
import { Pager, SortHeader } from '../../components/table';
import { StatusBadge, YesNo } from '../../components/badge';
import { useAllNgis, useSites } from './hooks';
import { useListState } from './list-state';

export function SitesListPage() {
  const can = useCan();
  const list = useListState(['ngiId', 'certificationStatus', 'isProduction'], { sort: 'name' });
  const sites = useSites(list.query);
  const ngis = useAllNgis();
  const prodId = useId();
  const sortState = { sort: list.sort, order: list.order };

  return (
    <>
      <PageHeader
        title="Sites"
        crumbs={[{ label: 'Registry', to: '/registry/sites' }]}
        actions={
          can('site:create') && (
            <Link className="btn btn-primary" to="/registry/sites/new">
              New site
            </Link>
          )
        }
      />
      <div className="toolbar">
        <SearchBox label="Filter sites" value={list.q} onChange={list.setQ} placeholder="Name, official name, country…" />
        <FilterSelect
          label="NGI"
          anyLabel="All NGIs"
          value={list.filters.ngiId}
          choices={ngis.data?.items.map((n) => ({ value: n.ngiId, label: n.name }))}
          onChange={(v) => list.setFilter('ngiId', v)}
        />
        <FilterSelect
          label="Certification status"
          anyLabel="Any status"
          value={list.filters.certificationStatus}
          choices={CERTIFICATION_STATUSES.map((x) => ({ value: x, label: x }))}
          onChange={(v) => list.setFilter('certificationStatus', v)}
        />
        <div className="toolbar-field">
          <label htmlFor={prodId}>Infrastructure</label>
          <select id={prodId} value={list.filters.isProduction ?? ''} onChange={(e) => list.setFilter('isProduction', e.target.value)}>
            <option value="">Production and test</option>
            <option value="true">Production only</option>
            <option value="false">Test only</option>
          </select>
        </div>
      </div>

      {sites.isPending ? (
        <Loading label="sites" />
      ) : sites.isError ? (
        <ErrorState label="sites" error={sites.error} onRetry={() => void sites.refetch()} />
      ) : (
        <div className={`table-wrap ${sites.isPlaceholderData ? 'is-stale' : ''}`} aria-busy={sites.isFetching}>
          <table className="data">
            <caption>{sites.isPlaceholderData ? 'Sites (updating…)' : `Sites${list.q ? ` matching “${list.q}”` : ''} (${sites.data.total})`}</caption>
            <thead>
              <tr>
                <SortHeader column="name" state={sortState} onSort={list.setSort}>
                  Name
                </SortHeader>
                <th scope="col">Official name</th>
                <SortHeader column="ngiName" state={sortState} onSort={list.setSort}>
                  NGI
                </SortHeader>
                <SortHeader column="country" state={sortState} onSort={list.setSort}>
                  Country
                </SortHeader>
                <SortHeader column="certificationStatus" state={sortState} onSort={list.setSort}>
                  Certification
                </SortHeader>
                <th scope="col">Production</th>
                <th scope="col">Security e-mail</th>
                <th scope="col">GOCDB key</th>
              </tr>
            </thead>
            <tbody>
              {sites.data.items.map((s) => (
                <tr key={s.siteId}>
                  <th scope="row" className="mono">
                    <Link to={`/registry/sites/${s.siteId}`}>{s.name}</Link>
                  </th>
                  <td className="truncate" title={s.officialName ?? undefined}>
                    {dash(s.officialName)}
                  </td>
                  <td>
                    <Link to={`/registry/ngis/${s.ngiId}`}>{s.ngiName}</Link>
                  </td>
                  <td className="nowrap">
                    {s.countryCode && <span className="mono muted">{s.countryCode} </span>}
                    {dash(s.country)}
                  </td>
                  <td>
                    <StatusBadge status={s.certificationStatus} />
                  </td>
                  <td>
                    <YesNo value={s.isProduction} yes="production" no="test" />
                  </td>
                  <td>{s.securityEmail ? <a href={`mailto:${s.securityEmail}`}>{s.securityEmail}</a> : '—'}</td>
                  <td className="mono muted">{dash(s.gocdbKey)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {sites.data.items.length === 0 && !sites.isPlaceholderData && <Empty>No sites match these filters.</Empty>}
          <Pager label="Sites" total={sites.data.total} limit={list.limit} offset={list.offset} onChange={list.setPage} />
        </div>
      )}
    </>
  );
}
