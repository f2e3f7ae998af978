// The site tasks part of a site's page: the tasks still open for the site, soonest due first.
// Nothing for a reader who may not read the site's tasks (its `abilities`, as the server decided).
import { Link } from '../../lib/router';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useTasks } from './hooks';
import { TaskTable } from './parts';

/** Most open tasks listed on the site's page; the inbox has the rest. */
const SHOWN = 20;

export function SiteTasks({ siteId, siteName, abilities }: { siteId: string; siteName: string; abilities: string[] }) {
  if (!abilities.includes('task:read')) return null;
  return <OpenTasks siteId={siteId} siteName={siteName} />;
}

function OpenTasks({ siteId, siteName }: { siteId: string; siteName: string }) {
  const tasks = useTasks({ scopeType: 'site', scopeId: siteId, limit: SHOWN });
  const all = `/tasks?scopeType=site&scopeId=${encodeURIComponent(siteId)}`;
  return (
    <section className="panel" aria-labelledby="site-tasks">
      <h2 id="site-tasks">Open tasks</h2>
      {tasks.isPending ? (
        <Loading label="tasks" />
      ) : tasks.isError ? (
        <ErrorState label="tasks" error={tasks.error} onRetry={() => void tasks.refetch()} />
      ) : tasks.data.total === 0 ? (
        <Empty>No open task for {siteName}.</Empty>
      ) : (
        <>
          <TaskTable tasks={tasks.data.items} caption={`Open tasks of ${siteName} (${tasks.data.total}), soonest due first`} showAddressee={false} />
          {tasks.data.total > tasks.data.items.length && (
            <p>
              <Link to={all}>
                All {tasks.data.total} open tasks of {siteName}
              </Link>
            </p>
          )}
        </>
      )}
      <p className="muted small">
        <Link to={`${all}&status=all`}>Every task of {siteName}, answered ones too</Link>
      </p>
    </section>
  );
}
