// An object's history from the audit log, shown at the foot of every registry page.
import { useCan } from '../../lib/session';
import { formatTime } from '../../lib/format';
import { Empty, ErrorState, Loading } from '../../components/states';
import { Changes } from './changes';
import { useAuditEvents } from './hooks';

export function AuditHistory({ objectType, objectId, label }: { objectType: string; objectId: string; label: string }) {
  const can = useCan();
  const allowed = can('audit:read');
  const query = useAuditEvents({ objectType, objectId, limit: 50 }, allowed);
  if (!allowed) return null;
  return (
    <section className="panel" aria-labelledby={`history-${objectId}`}>
      <h2 id={`history-${objectId}`}>History</h2>
      {query.isPending ? (
        <Loading label="history" />
      ) : query.isError ? (
        <ErrorState label="history" error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.items.length === 0 ? (
        <Empty>No recorded changes to this {objectType}.</Empty>
      ) : (
        <table className="data">
          <caption className="sr-only">Audit history of {label}</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {query.data.items.map((e) => (
              <tr key={e.seq}>
                <td className="nowrap mono">{formatTime(e.at)}</td>
                <td>{e.actorLabel}</td>
                <td className="mono">{e.action}</td>
                <td className="wrap">
                  <Changes before={e.before} after={e.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {query.data && query.data.total > query.data.items.length && (
        <p className="muted small">
          Showing the latest {query.data.items.length} of {query.data.total} events.
        </p>
      )}
    </section>
  );
}
