// Every service endpoint the user can see, paged on the server.
import { useId } from 'react';
import { PageHeader } from '../../components/page';
import { SearchBox } from '../../components/search-box';
import { ErrorState, Loading } from '../../components/states';
import { Pager, SortHeader } from '../../components/table';
import { EndpointsTable } from './endpoints-table';
import { useEndpoints } from './hooks';
import { useListState } from './list-state';

export function EndpointsListPage() {
  const list = useListState(['serviceType', 'siteId'], { sort: 'hostname' });
  const endpoints = useEndpoints(list.query);
  const typeId = useId();
  const s = { sort: list.sort, order: list.order };
  return (
    <>
      <PageHeader title="Service endpoints" crumbs={[{ label: 'Registry', to: '/registry/sites' }]} subtitle="Add endpoints from a site's page." />
      <div className="toolbar">
        <SearchBox label="Filter endpoints" value={list.q} onChange={list.setQ} placeholder="Host name, site…" />
        <div className="toolbar-field">
          <label htmlFor={typeId}>Service type</label>
          <input
            id={typeId}
            className="mono"
            defaultValue={list.filters.serviceType ?? ''}
            placeholder="e.g. CREAM-CE"
            onKeyDown={(e) => {
              if (e.key === 'Enter') list.setFilter('serviceType', e.currentTarget.value.trim());
            }}
            onBlur={(e) => list.setFilter('serviceType', e.currentTarget.value.trim())}
          />
        </div>
      </div>
      {endpoints.isPending ? (
        <Loading label="service endpoints" />
      ) : endpoints.isError ? (
        <ErrorState label="service endpoints" error={endpoints.error} onRetry={() => void endpoints.refetch()} />
      ) : (
        <div className={`table-wrap ${endpoints.isPlaceholderData ? 'is-stale' : ''}`}>
          <EndpointsTable
            endpoints={endpoints.data.items}
            caption={`Service endpoints (${endpoints.data.total})`}
            showSite
            sortHeaders={{
              hostname: (
                <SortHeader column="hostname" state={s} onSort={list.setSort}>
                  Host name
                </SortHeader>
              ),
              serviceType: (
                <SortHeader column="serviceType" state={s} onSort={list.setSort}>
                  Service type
                </SortHeader>
              ),
              siteName: (
                <SortHeader column="siteName" state={s} onSort={list.setSort}>
                  Site
                </SortHeader>
              ),
            }}
          />
          <Pager label="Service endpoints" total={endpoints.data.total} limit={list.limit} offset={list.offset} onChange={list.setPage} />
        </div>
      )}
    </>
  );
}
