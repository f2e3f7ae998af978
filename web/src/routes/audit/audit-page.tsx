// The audit log: every change, newest first, filterable by object type and action; chain check.
import { useId } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { Link } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { ErrorState, Empty, Loading } from '../../components/states';
import { Pager } from '../../components/table';
import { useListState } from '../registry/list-state';
import { Changes } from './changes';
import { useAuditEvents } from './hooks';

const OBJECT_PATHS: Record<string, string> = { site: '/registry/sites/', ngi: '/registry/ngis/', vo: '/registry/vos/', person: '/registry/people/' };

function ChainCheck() {
  const verify = useQuery({
    queryKey: ['audit', 'verify'],
    enabled: false,
    queryFn: () => api<{ ok: boolean; checked: number; firstBroken?: { seq: number; reason: string } }>('/api/v1/audit/verify'),
  });
  return (
    <span className="chain-check">
      <button type="button" className="btn" onClick={() => void verify.refetch()} disabled={verify.isFetching}>
        Verify hash chain
      </button>
      <span role="status">
        {verify.isFetching
          ? ' Checking…'
          : verify.isError
            ? ` Check failed: ${String(verify.error)}`
            : verify.data
              ? verify.data.ok
                ? ` Intact: ${verify.data.checked} events checked.`
                : ` Broken at event ${verify.data.firstBroken?.seq}: ${verify.data.firstBroken?.reason}`
              : ''}
      </span>
    </span>
  );
}

export function AuditLogPage() {
  const list = useListState(['objectType', 'action'], {});
  const events = useAuditEvents({ ...list.query, sort: undefined, order: undefined });
  const typeId = useId();
  const actionId = useId();
  return (
    <>
      <PageHeader
        title="Audit log"
        crumbs={[{ label: 'Administration', to: '/admin/audit' }]}
        subtitle="Every change, who made it and when; each event is chained to the previous one by its hash."
        actions={<ChainCheck />}
      />
      <div className="toolbar">
        <div className="toolbar-field">
          <label htmlFor={typeId}>Object type</label>
          <select id={typeId} value={list.filters.objectType ?? ''} onChange={(e) => list.setFilter('objectType', e.target.value)}>
            <option value="">Any</option>
            {['ngi', 'site', 'service_endpoint', 'vo', 'person', 'account', 'api_token', 'import'].map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <div className="toolbar-field">
          <label htmlFor={actionId}>Action</label>
          <input
            id={actionId}
            className="mono"
            defaultValue={list.filters.action ?? ''}
            placeholder="e.g. site.update"
            onKeyDown={(e) => {
              if (e.key === 'Enter') list.setFilter('action', e.currentTarget.value.trim());
            }}
            onBlur={(e) => list.setFilter('action', e.currentTarget.value.trim())}
          />
        </div>
      </div>
      {events.isPending ? (
        <Loading label="audit events" />
      ) : events.isError ? (
        <ErrorState label="audit events" error={events.error} onRetry={() => void events.refetch()} />
      ) : (
        <div className={`table-wrap ${events.isPlaceholderData ? 'is-stale' : ''}`}>
          <table className="data">
            <caption>Audit events, newest first ({events.data.total})</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  #
                </th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Object</th>
                <th scope="col">Changes</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {events.data.items.map((e) => {
                const path = OBJECT_PATHS[e.objectType];
                return (
                  <tr key={e.seq}>
                    <td className="num mono muted">{e.seq}</td>
                    <td className="mono nowrap">{formatTime(e.at)}</td>
                    <td>{e.actorLabel}</td>
                    <td className="mono">{e.action}</td>
                    <td className="mono small">
                      {e.objectType}{' '}
                      {path ? <Link to={path + e.objectId}>{e.objectId.slice(0, 13)}…</Link> : <span className="muted">{e.objectId.slice(0, 13)}</span>}
                    </td>
                    <td className="wrap">
                      <Changes before={e.before} after={e.after} />
                    </td>
                    <td className="mono muted small" title={e.hash}>
                      {e.hash.slice(0, 10)}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {events.data.items.length === 0 && <Empty>No audit events match.</Empty>}
          <Pager label="Audit events" total={events.data.total} limit={list.limit} offset={list.offset} onChange={list.setPage} />
        </div>
      )}
    </>
  );
}
