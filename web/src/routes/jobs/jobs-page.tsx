// Background jobs with their progress; refreshes itself while any job is queued or running.
import { useQuery } from '@tanstack/react-query';
import { api, retryTransientOnce } from '../../lib/api';
import { formatTime } from '../../lib/format';
import type { Job } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { Empty, ErrorState, Loading } from '../../components/states';
import { StatusBadge } from '../../components/badge';

export const jobKeys = { list: () => ['jobs', 'list'] as const };

const useJobs = () =>
  useQuery({
    queryKey: jobKeys.list(),
    queryFn: () => api<{ items: Job[] }>('/api/v1/jobs', { query: { limit: 200 } }),
    retry: retryTransientOnce,
    refetchInterval: (query) => (query.state.data?.items.some((j) => j.status === 'running') ? 2000 : 15000),
  });

export function JobsPage() {
  const jobs = useJobs();
  return (
    <>
      <PageHeader
        title="Jobs"
        crumbs={[{ label: 'Administration', to: '/admin/jobs' }]}
        subtitle="Recent background work: imports, purges, notifications."
        actions={
          <button type="button" className="btn" onClick={() => void jobs.refetch()} disabled={jobs.isFetching}>
            Refresh
          </button>
        }
      />
      {jobs.isPending ? (
        <Loading label="jobs" />
      ) : jobs.isError ? (
        <ErrorState label="jobs" error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : jobs.data.items.length === 0 ? (
        <Empty>No jobs have run yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption>Recent jobs ({jobs.data.items.length})</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col" className="num">
                  Attempts
                </th>
                <th scope="col">Run at</th>
                <th scope="col">Finished</th>
                <th scope="col">Last error</th>
                <th scope="col">Job id</th>
              </tr>
            </thead>
            <tbody>
              {jobs.data.items.map((j) => {
                const pct = Math.round(Math.max(0, Math.min(1, j.progress)) * 100);
                return (
                  <tr key={j.jobId}>
                    <th scope="row" className="mono">
                      {j.kind}
                    </th>
                    <td>
                      <StatusBadge status={j.status} />
                    </td>
                    <td>
                      <div className="progress-cell">
                        <progress max={100} value={pct} aria-label={`Progress of ${j.kind} ${j.jobId.slice(-6)}`}>
                          {pct}%
                        </progress>
                        <span className="mono small">{pct}%</span>
                        {j.progressMessage && <span className="muted small"> {j.progressMessage}</span>}
                      </div>
                    </td>
                    <td className="num mono">
                      {j.attempts}/{j.maxAttempts}
                    </td>
                    <td className="mono muted nowrap">{formatTime(j.runAt)}</td>
                    <td className="mono muted nowrap">{formatTime(j.finishedAt)}</td>
                    <td className="small wrap">{j.lastError ?? '—'}</td>
                    <td className="mono muted small">{j.jobId}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
