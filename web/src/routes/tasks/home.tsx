// Site tasks on the home page: how many of the reader's tasks are overdue or due soon, and the
// next five soonest due (the CSIRT, reading federation-wide, gets the federation's). Nothing at
// all for a reader without task:read, or with nothing waiting.
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';
import { ErrorState } from '../../components/states';
import { useTaskAttention } from './hooks';
import { TaskTable } from './parts';

export function TasksHome() {
  const session = useSession();
  if (!session.permissions.includes('task:read')) return null;
  return <Attention federation={session.federationPermissions.includes('task:read')} />;
}

function Attention({ federation }: { federation: boolean }) {
  const attention = useTaskAttention();
  if (attention.isPending) return null;
  if (attention.isError)
    return (
      <section className="panel" aria-labelledby="home-tasks">
        <h2 id="home-tasks">Tasks</h2>
        <ErrorState label="your tasks" error={attention.error} onRetry={() => void attention.refetch()} />
      </section>
    );
  const { overdue, dueSoon, next } = attention.data;
  if (overdue === 0 && dueSoon === 0 && next.length === 0) return null;
  return (
    <section className="panel" aria-labelledby="home-tasks">
      <h2 id="home-tasks">
        <Link to="/tasks">{federation ? 'Tasks across the federation' : 'Your tasks'}</Link>
      </h2>
      <div className="stats">
        <Link to="/tasks?overdue=true" className="stat">
          <span className={`stat-value ${overdue ? 'text-bad' : ''}`}>{overdue}</span>
          <span className="stat-label">overdue</span>
        </Link>
        <Link to="/tasks" className="stat">
          <span className="stat-value">{dueSoon}</span>
          <span className="stat-label">due soon</span>
        </Link>
      </div>
      {next.length > 0 && <TaskTable tasks={next} caption={`The ${next.length} soonest due, still waiting for an answer`} />}
      <p>
        <Link to="/tasks">All tasks</Link>
      </p>
    </section>
  );
}
