// Vulnerability feeds: where each comes from, when it was last read, what it yielded, and the
// warnings that reveal a silently broken feed. Refresh queues a background job.
import { useState } from 'react';
import { Link } from '../../lib/router';
import { useCan } from '../../lib/session';
import { errorMessage } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { Empty, QueryView } from '../../components/states';
import { useFeeds, useRefreshFeed } from './hooks';
import { PatchingTabs } from './parts';
import type { Feed } from './types';

const STATUS_TONES: Record<string, string> = { ok: 'ok', warning: 'warn', error: 'bad', never: 'muted' };

export function FeedsPage() {
  const [queued, setQueued] = useState<{ name: string; jobId: string | null } | null>(null);
  const feeds = useFeeds(queued ? 3000 : undefined);
  return (
    <>
      <PageHeader
        title="Feeds"
        crumbs={[{ label: 'Patch monitoring', to: '/patch-monitoring' }]}
        subtitle="The vulnerability data hosts are evaluated against. When a feed changes, every host is re-evaluated in the background."
      />
      <PatchingTabs />
      <QueryView query={feeds} label="feeds">
        {(data) => <FeedList feeds={data.items} queued={queued} onQueued={setQueued} />}
      </QueryView>
    </>
  );
}

function FeedList({
  feeds,
  queued,
  onQueued,
}: {
  feeds: Feed[];
  queued: { name: string; jobId: string | null } | null;
  onQueued: (q: { name: string; jobId: string | null }) => void;
}) {
  const can = useCan();
  const refresh = useRefreshFeed();
  const alerts = feeds.flatMap((f) => [
    ...(f.lastError ? [{ key: `${f.feedId}-error`, tone: 'bad', text: `${f.name}: the last refresh failed: ${f.lastError}` }] : []),
    ...f.warnings.map((w, i) => ({ key: `${f.feedId}-${i}`, tone: 'warn', text: `${f.name}: ${w}` })),
  ]);
  const onRefresh = (f: Feed) => refresh.mutate(f.feedId, { onSuccess: (r) => onQueued({ name: f.name, jobId: r.jobId }) });
  return (
    <>
      {alerts.length > 0 && (
        <div className="feed-alerts" role="alert" aria-label="Feed warnings">
          {alerts.map((a) => (
            <p key={a.key} className={`notice ${a.tone === 'bad' ? 'form-error' : 'notice-warn'}`}>
              {a.text}
            </p>
          ))}
        </div>
      )}
      {refresh.isError && (
        <p className="form-error" role="alert">
          Could not queue the refresh: {errorMessage(refresh.error)}
        </p>
      )}
      {queued && (
        <p className="notice notice-info" role="status">
          {queued.jobId ? (
            <>
              Refresh of {queued.name} queued as a background job (<Link to="/admin/jobs">see jobs</Link>).
            </>
          ) : (
            <>A refresh of {queued.name} is already queued or running.</>
          )}
        </p>
      )}
      <section className="panel" aria-labelledby="feeds-title">
        <h2 id="feeds-title">Feeds</h2>
        {feeds.length === 0 ? (
          <Empty>
            No feed is registered: add one with <span className="mono">vigil feeds add</span> or <span className="mono">POST /api/v1/feeds</span>.
          </Empty>
        ) : (
          <table className="data">
            <caption>Vulnerability feeds ({feeds.length})</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Source</th>
                <th scope="col">Status</th>
                <th scope="col">Last refresh</th>
                <th scope="col" className="num">
                  Definitions
                </th>
                <th scope="col" className="num">
                  CVEs
                </th>
                <th scope="col">Every</th>
                <th scope="col">Warnings</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {feeds.map((f) => (
                <tr key={f.feedId}>
                  <th scope="row">
                    {f.name}
                    <span className="cell-sub">
                      {f.format} · {f.release ?? (f.releases.join(' ') || 'all releases')}
                    </span>
                  </th>
                  <td className="mono small truncate" title={f.source}>
                    {f.source}
                  </td>
                  <td>
                    <span className={`badge badge-${STATUS_TONES[f.lastStatus] ?? 'muted'}`}>{f.isEnabled ? f.lastStatus : 'disabled'}</span>
                  </td>
                  <td className="mono muted nowrap">{formatTime(f.lastRefreshAt)}</td>
                  {f.format === 'debian-index' ? (
                    <td className="num" colSpan={2}>
                      {f.mappingCount}
                      <span className="cell-sub">binary → source names</span>
                    </td>
                  ) : (
                    <>
                      <td className="num">{f.definitionCount}</td>
                      <td className="num">{f.cveCount}</td>
                    </>
                  )}
                  <td className="nowrap">{f.refreshHours > 0 ? `${f.refreshHours} h` : 'manual'}</td>
                  <td>
                    {f.warnings.length > 0 || f.lastError ? (
                      <span className="badge badge-warn">{f.warnings.length + (f.lastError ? 1 : 0)}</span>
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                  <td className="row-actions">
                    {can('feed:manage') && (
                      <button
                        type="button"
                        className="btn btn-small"
                        disabled={refresh.isPending}
                        onClick={() => onRefresh(f)}
                        aria-label={`Refresh feed ${f.name}`}
                      >
                        Refresh
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
