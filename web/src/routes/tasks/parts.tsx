// Pieces shared by the task pages: the TLP label, due-time and status badges (each says its
// state in words, never by colour alone), the addressee link, the task table and the tabs.
import { Link, useLocation } from '../../lib/router';
import { formatTime } from '../../lib/format';
import type { Task, TaskScope, TaskStatus } from './types';
import './tasks.css';

const TLP_DISCLOSURE: Record<string, string> = {
  CLEAR: 'Disclosure is not limited.',
  GREEN: 'Limited disclosure: recipients may share it within their community, not publicly.',
  AMBER: 'Limited disclosure: recipients may share it on a need-to-know basis within their organisation and its clients.',
  'AMBER+STRICT': 'Limited disclosure: recipients may share it on a need-to-know basis within their own organisation only.',
  RED: 'For the eyes and ears of the named recipients only; no further disclosure.',
};

const tlpClass = (tlp: string) => `tlp tlp-${tlp.toLowerCase().replace(/[^a-z]+/g, '-')}`;

/** "TLP:AMBER" in the label's colours (coloured text on black, as TLP 2.0 draws it). */
export function TlpLabel({ tlp }: { tlp: string }) {
  return <span className={tlpClass(tlp)}>TLP:{tlp}</span>;
}

/** The label with what it allows, at the head of a task. */
export function TlpBanner({ tlp }: { tlp: string }) {
  return (
    <p className="tlp-banner" role="note" aria-label={`Traffic Light Protocol: ${tlp}`}>
      <TlpLabel tlp={tlp} /> <span>{TLP_DISCLOSURE[tlp] ?? 'Share only as the sender allows.'}</span>
    </p>
  );
}

/** "overdue" / "due soon", as text in a badge, while the task still waits for its answer. */
export function DueBadge({ task }: { task: Pick<Task, 'overdue' | 'dueSoon'> }) {
  if (task.overdue) return <span className="badge badge-bad">overdue</span>;
  if (task.dueSoon) return <span className="badge badge-warn">due soon</span>;
  return null;
}

export function DueTime({ task }: { task: Pick<Task, 'dueAt' | 'overdue' | 'dueSoon'> }) {
  return (
    <span className="task-due">
      <span className="mono nowrap">{formatTime(task.dueAt)}</span> <DueBadge task={task} />
    </span>
  );
}

const STATUS_TONES: Record<TaskStatus, string> = { open: 'warn', acknowledged: 'info', resolved: 'ok', cancelled: 'muted' };

export function TaskStatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${STATUS_TONES[status as TaskStatus] ?? 'muted'}`}>{status}</span>;
}

const SCOPE_PATHS: Record<string, string> = { site: '/registry/sites/', ngi: '/registry/ngis/', vo: '/registry/vos/' };
const SCOPE_WORDS: Record<string, string> = { site: 'site', ngi: 'NGI', vo: 'VO', federation: 'federation' };
export const scopeWord = (type: string) => SCOPE_WORDS[type] ?? type;

/** The site, NGI or VO a task is addressed to, linked to its registry page. */
export function Addressee({ scope, withNgi = false }: { scope: Pick<TaskScope, 'type' | 'id' | 'name'> & { ngiName?: string | null }; withNgi?: boolean }) {
  const path = SCOPE_PATHS[scope.type];
  const name = scope.name || (scope.type === 'federation' ? 'The federation (CSIRT)' : scope.id);
  return (
    <>
      {path ? <Link to={`${path}${encodeURIComponent(scope.id)}`}>{name}</Link> : name}
      {withNgi && (
        <span className="cell-sub">
          {scopeWord(scope.type)}
          {scope.type === 'site' && scope.ngiName ? ` of ${scope.ngiName}` : ''}
        </span>
      )}
    </>
  );
}

/** Tasks in a table: title (a link to the task), addressee, type, priority, due, status, TLP. */
export function TaskTable({
  tasks,
  caption,
  showAddressee = true,
  stale = false,
}: {
  tasks: Task[];
  caption: string;
  showAddressee?: boolean;
  /** The rows of the previous filter, shown dimmed while the new ones load. */
  stale?: boolean;
}) {
  return (
    <div className={stale ? 'table-wrap is-stale' : 'table-wrap'}>
      <table className="data task-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Task</th>
            {showAddressee && <th scope="col">Addressed to</th>}
            <th scope="col">Type</th>
            <th scope="col">Priority</th>
            <th scope="col">Due</th>
            <th scope="col">Status</th>
            <th scope="col">TLP</th>
          </tr>
        </thead>
        <tbody>
          {tasks.map((t) => (
            <tr key={t.taskId}>
              <th scope="row" className="task-title">
                <Link to={`/tasks/${encodeURIComponent(t.taskId)}`}>{t.title}</Link>
              </th>
              {showAddressee && (
                <td>
                  <Addressee scope={t.scope} withNgi />
                </td>
              )}
              <td className="mono">{t.taskType}</td>
              <td>{t.priority}</td>
              <td>
                <DueTime task={t} />
                <span className="cell-sub">{t.measures === 'acknowledge' ? 'to acknowledge' : 'to resolve'}</span>
              </td>
              <td>
                <TaskStatusBadge status={t.status} />
              </td>
              <td>
                <TlpLabel tlp={t.tlp} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const SECTIONS = [
  { to: '/tasks', label: 'Inbox' },
  { to: '/checklists', label: 'Checklists' },
  { to: '/tasks/response-times', label: 'Response times' },
  { to: '/tasks/deadlines', label: 'Deadlines' },
];

/** The site tasks sections; "Inbox" stays current on a task's page. */
export function TaskTabs() {
  const { path } = useLocation();
  const current = (to: string) =>
    to === '/tasks'
      ? path === '/tasks' || (path.startsWith('/tasks/') && !SECTIONS.some((s) => s.to !== '/tasks' && path.startsWith(s.to)))
      : path === to || path.startsWith(`${to}/`);
  return (
    <nav className="tabs" aria-label="Site tasks sections">
      {SECTIONS.map((s) => (
        <Link key={s.to} to={s.to} className="tab" aria-current={current(s.to) ? 'page' : undefined}>
          {s.label}
        </Link>
      ))}
    </nav>
  );
}

/** "1.2 MiB" */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
