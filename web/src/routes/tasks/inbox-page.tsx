// The task inbox: the tasks addressed to the sites, NGIs and VOs the reader answers for (the
// CSIRT: the federation's), open ones soonest due first. Filters live in the address.
import { Link, useSearchState } from '../../lib/router';
import { useCan } from '../../lib/session';
import { PageHeader } from '../../components/page';
import { SearchBox } from '../../components/search-box';
import { FilterSelect } from '../../components/filter-select';
import { CheckboxField } from '../../components/form';
import { Empty, ErrorState, Loading } from '../../components/states';
import { Pager } from '../../components/table';
import { useStatusFilter } from '../patching/parts';
import { taskTypesOf, useDeadlineRules, useTasks } from './hooks';
import { TaskTable, TaskTabs } from './parts';

const STATES = [
  ['open', 'Open'],
  ['resolved', 'Resolved'],
  ['cancelled', 'Cancelled'],
  ['all', 'All'],
] as const satisfies ReadonlyArray<readonly ['open' | 'resolved' | 'cancelled' | 'all', string]>;

export function TaskInboxPage() {
  const [search, set] = useSearchState();
  const { status, label: statusLabel, select } = useStatusFilter(STATES, 'Status');
  const creates = useCan()('task:create');
  const rules = useDeadlineRules();
  const q = search.get('q') ?? '';
  const taskType = search.get('taskType') ?? '';
  const overdue = search.get('overdue') === 'true';
  const scopeType = search.get('scopeType') ?? '';
  const scopeId = search.get('scopeId') ?? '';
  const limit = Number(search.get('limit') ?? 50) || 50;
  const offset = Number(search.get('offset') ?? 0) || 0;
  const tasks = useTasks({
    status: status === 'open' ? undefined : status,
    taskType: taskType || undefined,
    q: q || undefined,
    overdue: overdue || undefined,
    scopeType: scopeType || undefined,
    scopeId: scopeId || undefined,
    limit,
    offset,
  });
  const filtered = Boolean(q || taskType || overdue || scopeId);
  const label = `${statusLabel === 'All' ? 'All' : statusLabel} tasks${overdue ? ', overdue' : ''}${taskType ? ` of type ${taskType}` : ''}${q ? ` matching “${q}”` : ''}`;

  return (
    <>
      <PageHeader
        title="Tasks"
        subtitle="What the federation asks of the sites, NGIs and VOs you answer for, each with its deadline. Open tasks come soonest due first."
        actions={
          creates && (
            <Link to="/tasks/new" className="btn btn-primary">
              Open a task
            </Link>
          )
        }
      />
      <TaskTabs />
      <div className="toolbar">
        {select}
        <FilterSelect
          label="Type"
          value={taskType}
          anyLabel="All types"
          choices={rules.data ? taskTypesOf(rules.data.items).map((t) => ({ value: t, label: t })) : undefined}
          onChange={(v) => set({ taskType: v || undefined, offset: undefined })}
        />
        <SearchBox label="Filter tasks" value={q} onChange={(v) => set({ q: v, offset: undefined })} placeholder="Words of the title…" />
        <CheckboxField label="Overdue only" checked={overdue} onChange={(e) => set({ overdue: e.target.checked ? 'true' : undefined, offset: undefined })} />
      </div>
      {scopeId && (
        <p className="notice notice-info">
          Only the tasks addressed to one {scopeType || 'scope'}.{' '}
          <button type="button" className="btn btn-small" onClick={() => set({ scopeType: undefined, scopeId: undefined, offset: undefined })}>
            Show every task
          </button>
        </p>
      )}
      <section className="panel" aria-labelledby="tasks-title">
        <h2 id="tasks-title" className="sr-only">
          {label}
        </h2>
        {tasks.isPending ? (
          <Loading label="tasks" />
        ) : tasks.isError ? (
          <ErrorState label="tasks" error={tasks.error} onRetry={() => void tasks.refetch()} />
        ) : tasks.data.total === 0 ? (
          <Empty>
            {filtered
              ? 'No task matches these filters.'
              : status === 'open'
                ? 'No open task: nothing is asked of your sites, NGIs or VOs right now.'
                : `No ${status === 'all' ? '' : `${status} `}task.`}
          </Empty>
        ) : (
          <>
            <TaskTable tasks={tasks.data.items} caption={`${label} (${tasks.data.total})`} stale={tasks.isPlaceholderData} />
            <Pager
              total={tasks.data.total}
              limit={limit}
              offset={offset}
              label="Tasks"
              onChange={(o, l) => set({ offset: o || undefined, limit: l === 50 ? undefined : l })}
            />
          </>
        )}
      </section>
    </>
  );
}
