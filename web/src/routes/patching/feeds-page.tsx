// Vulnerability feeds: where each comes from, when it was last read, what it yielded, and the
// warnings that reveal a silently broken feed, in plain words. Refresh queues a background job
// whose progress shows on the feed; the page polls while a refresh or re-evaluation runs.
import { useState } from 'react';
import { Link } from '../../lib/router';
import { useCan } from '../../lib/session';
import { errorMessage } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { Empty, QueryView } from '../../components/states';
import { useFeeds, useRefreshFeed } from './hooks';
import { PatchingTabs } from './parts';
import { FeedForm } from './feed-form';
import type { Feed, JobProgress } from './types';

const STATUS_TONES: Record<string, string> = { ok: 'ok', warning: 'warn', error: 'bad', never: 'muted' };

export function FeedsPage() {
  const can = useCan();
  const [queued, setQueued] = useState<{ name: string; jobId: string | null } | null>(null);
  const feeds = useFeeds();
  return (
    <>
      <PageHeader
        title="Feeds"
        crumbs={[{ label: 'Patch monitoring', to: '/patch-monitoring' }]}
        subtitle="The vulnerability data hosts are evaluated against. When a feed changes, every host is re-evaluated in the background."
      />
      <PatchingTabs />
      <QueryView query={feeds} label="feeds">
        {(data) => (
          <>
            {data.reevaluation && (
              <p className="notice notice-info" role="status" aria-label="Re-evaluation of hosts">
                Hosts are being re-evaluated against the new data: <Progress job={data.reevaluation} />
              </p>
            )}
            <FeedList feeds={data.items} queued={queued} onQueued={setQueued} />
          </>
        )}
      </QueryView>
      {can('feed:manage') && <FeedForm />}
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
    ...(f.lastError ? [{ key: `${f.feedId}-error`, tone: 'bad', text: `${f.name}: the last refresh failed: ${f.lastError}`, raw: undefined }] : []),
    ...meanings(f)
      .filter((m) => m.kind === 'alarm')
      .map((m, i) => ({ key: `${f.feedId}-${i}`, tone: 'warn', text: `${f.name}: ${m.meaning}`, raw: m.warning })),
  ]);
  const onRefresh = (f: Feed) => refresh.mutate(f.feedId, { onSuccess: (r) => onQueued({ name: f.name, jobId: r.jobId }) });
  return (
    <>
      {alerts.length > 0 && (
        <div className="feed-alerts" role="alert" aria-label="Feed warnings">
          {alerts.map((a) => (
            <p key={a.key} className={`notice ${a.tone === 'bad' ? 'form-error' : 'notice-warn'}`}>
              {a.text}
              {a.raw && <span className="cell-sub">{a.raw}</span>}
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
                <th scope="col">Warnings</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {feeds.map((f) => (
                <FeedRows key={f.feedId} feed={f} canRefresh={can('feed:manage')} refreshing={refresh.isPending} onRefresh={onRefresh} />
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

const meanings = (f: Feed) => f.warningMeanings ?? f.warnings.map((w) => ({ warning: w, kind: 'alarm' as const, meaning: w }));

/** A feed's row; its warnings, each in plain words with the stored text beneath, open in a row
 *  of their own below it, so the table keeps its width. */
function FeedRows({ feed: f, canRefresh, refreshing, onRefresh }: { feed: Feed; canRefresh: boolean; refreshing: boolean; onRefresh: (f: Feed) => void }) {
  const [open, setOpen] = useState(false);
  const all = meanings(f);
  const alarms = all.filter((m) => m.kind === 'alarm').length;
  return (
    <>
      <tr>
        <th scope="row">
          {f.name}
          <span className="cell-sub">
            {f.format} · {f.release ?? (f.releases.join(' ') || 'all releases')}
          </span>
        </th>
        <td className="mono small truncate feed-source" title={f.source || undefined}>
          {f.source || <span className="muted">—</span>}
        </td>
        <td>
          <span className={`badge badge-${STATUS_TONES[f.lastStatus] ?? 'muted'}`}>{f.isEnabled ? f.lastStatus : 'disabled'}</span>
          {f.refresh && (
            <span className="cell-sub">
              <Progress job={f.refresh} />
            </span>
          )}
        </td>
        <td className="mono muted nowrap">
          {formatTime(f.lastRefreshAt)}
          <span className="cell-sub">{f.refreshHours > 0 ? `every ${f.refreshHours} h` : 'refreshed by hand'}</span>
        </td>
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
        <td className="nowrap">
          {all.length === 0 ? (
            <span className="muted">none</span>
          ) : (
            <button
              type="button"
              className="btn btn-small"
              aria-expanded={open}
              onClick={() => setOpen(!open)}
              aria-label={`Warnings of ${f.name}: ${all.length}`}
            >
              <span className={`badge badge-${alarms > 0 ? 'warn' : 'muted'}`}>{all.length}</span>
              {alarms > 0 ? ` ${alarms} to look at` : ' normal'}
            </button>
          )}
        </td>
        <td className="row-actions">
          {canRefresh && (
            <button type="button" className="btn btn-small" disabled={refreshing} onClick={() => onRefresh(f)} aria-label={`Refresh feed ${f.name}`}>
              Refresh
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr className="feed-warnings-row">
          <td colSpan={8}>
            <ul className="feed-warning-list" aria-label={`Warnings of ${f.name}`}>
              {all.map((m) => (
                <li key={m.warning} className={m.kind === 'alarm' ? 'is-alarm' : undefined}>
                  {m.meaning}
                  <span className="cell-sub">{m.warning}</span>
                </li>
              ))}
            </ul>
          </td>
        </tr>
      )}
    </>
  );
}

/** A job under way: queued, or running with how far and what it is doing. */
function Progress({ job }: { job: JobProgress }) {
  if (job.status === 'queued') return <>queued</>;
  const percent = Math.round(job.progress * 100);
  return (
    <>
      <progress max={100} value={percent} aria-label={`${percent}% done`} /> {percent}%{job.message ? `: ${job.message}` : ''}
    </>
  );
}
