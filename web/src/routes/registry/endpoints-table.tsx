// Service endpoints as a table, with edit and remove per row where permitted.
import { Link } from '../../lib/router';
import { useCan } from '../../lib/session';
import { errorMessage } from '../../lib/api';
import { dash } from '../../lib/format';
import type { Endpoint } from '../../lib/types';
import { Empty } from '../../components/states';
import { YesNo } from '../../components/badge';
import type { ReactNode } from 'react';
import { useDeleteEndpoint } from './hooks';

export function EndpointsTable({
  endpoints,
  caption,
  showSite,
  sortHeaders,
}: {
  endpoints: Endpoint[];
  caption: string;
  showSite: boolean;
  sortHeaders?: { hostname: ReactNode; serviceType: ReactNode; siteName: ReactNode };
}) {
  const can = useCan();
  const remove = useDeleteEndpoint();
  const writable = can('endpoint:write');
  const onRemove = (e: Endpoint) => {
    if (window.confirm(`Remove the ${e.serviceType} endpoint ${e.hostname} from ${e.siteName}?`)) remove.mutate(e.endpointId);
  };
  return (
    <>
      {remove.isError && (
        <p className="form-error" role="alert">
          Could not remove the endpoint: {errorMessage(remove.error)}
        </p>
      )}
      <table className="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {sortHeaders?.hostname ?? <th scope="col">Host name</th>}
            {sortHeaders?.serviceType ?? <th scope="col">Service type</th>}
            {showSite && (sortHeaders?.siteName ?? <th scope="col">Site</th>)}
            <th scope="col">URL</th>
            <th scope="col">Production</th>
            <th scope="col">Monitored</th>
            <th scope="col">Host DN</th>
            {writable && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {endpoints.map((e) => (
            <tr key={e.endpointId}>
              <td className="mono nowrap">{e.hostname}</td>
              <td className="mono">{e.serviceType}</td>
              {showSite && (
                <td className="mono">
                  <Link to={`/registry/sites/${e.siteId}`}>{e.siteName}</Link>
                </td>
              )}
              <td className="mono small truncate" title={e.url ?? undefined}>
                {dash(e.url)}
              </td>
              <td>
                <YesNo value={e.isInProduction} />
              </td>
              <td>
                <YesNo value={e.isMonitored} />
              </td>
              <td className="mono small truncate" title={e.hostDn ?? undefined}>
                {dash(e.hostDn)}
              </td>
              {writable && (
                <td className="row-actions">
                  <Link
                    className="btn btn-small"
                    to={`/registry/sites/${e.siteId}/endpoints/${e.endpointId}/edit`}
                    aria-label={`Edit endpoint ${e.hostname} (${e.serviceType})`}
                  >
                    Edit
                  </Link>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    onClick={() => onRemove(e)}
                    disabled={remove.isPending}
                    aria-label={`Remove endpoint ${e.hostname} (${e.serviceType})`}
                  >
                    Remove
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {endpoints.length === 0 && <Empty>No service endpoints.</Empty>}
    </>
  );
}
