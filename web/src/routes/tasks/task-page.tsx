// A task's page: what is asked, of whom, by when and under which rule; who answered and how;
// the escalation steps taken; then answering it (acknowledge, resolve, comment, attach) for
// those the server lets answer, cancelling for those who may open tasks; the history and the
// messages sent. What the reader may do comes from the task's `abilities`.
import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { FieldList } from '../../components/fields';
import { Empty, QueryView } from '../../components/states';
import { FormError, FormFoot, TextArea, TextField } from '../../components/form';
import { attachmentUrl, useAnswerTask, useAttachToTask, useCancelTask, useCommentTask, useTask } from './hooks';
import { Addressee, DueTime, formatBytes, TaskStatusBadge, TlpBanner, TlpLabel, scopeWord } from './parts';
import type { TaskDetail, TaskEvent } from './types';

/** As the server allows (src/modules/tasks/service.ts, ATTACHMENT_MAX_BYTES). */
export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;

const VIA_LABELS: Record<string, string> = { ui: 'web UI', api: 'API', email: 'e-mail', system: 'system', helpdesk: 'helpdesk' };
const KIND_LABELS: Record<string, string> = {
  created: 'Opened',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  cancelled: 'Cancelled',
  comment: 'Comment',
  attachment: 'Attachment',
  warning: 'Reminder sent',
  'escalated-ngi': 'Escalated to the NGI',
  'escalated-csirt': 'Escalated to the CSIRT',
  helpdesk: 'Helpdesk ticket',
};
const viaLabel = (via: string) => VIA_LABELS[via] ?? via;

export function TaskPage({ taskId }: { taskId: string }) {
  const task = useTask(taskId);
  return (
    <QueryView query={task} label="task" notFound="task">
      {(t) => <TaskView task={t} />}
    </QueryView>
  );
}

/** The last event of a kind: who answered, and how. */
const lastEvent = (events: TaskEvent[], kind: string) => events.filter((e) => e.kind === kind).at(-1);

function Answered({ at, by, event }: { at: string | null; by: string | null; event: TaskEvent | undefined }) {
  if (!at) return <span className="muted">not yet</span>;
  return (
    <>
      <span className="mono">{formatTime(at)}</span>
      {(event?.actor ?? by) && <> by {event?.actor ?? by}</>}
      {event && <span className="muted"> (via {viaLabel(event.via)})</span>}
    </>
  );
}

function EscalationSteps({ task }: { task: TaskDetail }) {
  const { warnedAt, ngiAt, csirtAt } = task.escalation;
  const steps: Array<[string, string | null, string | null]> = [
    ['Reminder to the addressee', warnedAt, task.warnAt],
    ...(task.scope.type === 'site' ? [['Escalation to the NGI security officer', ngiAt, task.dueAt] as [string, string | null, string | null]] : []),
    ['Escalation to the CSIRT', csirtAt, task.scope.type === 'site' ? task.csirtAt : task.dueAt],
  ];
  return (
    <ul className="escalation">
      {steps.map(([what, taken, planned]) => (
        <li key={what}>
          {what}:{' '}
          {taken ? (
            <>
              <span className="badge badge-warn">taken</span> <span className="mono">{formatTime(taken)}</span>
            </>
          ) : task.open ? (
            <span className="muted">not taken; due {formatTime(planned)} if still unanswered</span>
          ) : (
            <span className="muted">not taken</span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The task's facts, in the order a duty officer reads them. */
function facts(task: TaskDetail): Array<[string, ReactNode]> {
  const items: Array<[string, ReactNode]> = [
    [
      'Addressed to',
      <>
        <Addressee scope={task.scope} /> <span className="muted">({scopeWord(task.scope.type)})</span>
        {task.scope.type === 'site' && task.scope.ngiName ? <span className="muted"> of {task.scope.ngiName}</span> : null}
      </>,
    ],
    ['Type', <span className="mono">{task.taskType}</span>],
    ['Priority', task.priority],
    ['Status', <TaskStatusBadge status={task.status} />],
    [
      'Due',
      <>
        <DueTime task={task} /> <span className="muted">{task.measures === 'acknowledge' ? 'to acknowledge' : 'to resolve'}</span>
      </>,
    ],
    ['Deadline rule', task.rule ? `${task.rule.source} (${task.rule.amount} ${task.rule.unit})` : 'no rule recorded'],
    ['TLP', <TlpLabel tlp={task.tlp} />],
    [
      'Opened',
      <>
        <span className="mono">{formatTime(task.createdAt)}</span> by {task.createdBy}
      </>,
    ],
    ['Acknowledged', <Answered at={task.acknowledgedAt} by={task.acknowledgedBy} event={lastEvent(task.events, 'acknowledged')} />],
    ['Resolved', <Answered at={task.resolvedAt} by={task.resolvedBy} event={lastEvent(task.events, 'resolved')} />],
  ];
  if (task.cancelledAt) items.push(['Cancelled', <Answered at={task.cancelledAt} by={null} event={lastEvent(task.events, 'cancelled')} />]);
  items.push(['Escalation', <EscalationSteps task={task} />]);
  if (task.checklist)
    items.push([
      'Checklist',
      <Link to={`/checklists/${encodeURIComponent(task.checklist.instanceId)}`}>Step {task.checklist.step} of a checklist: see all its steps</Link>,
    ]);
  if (task.subject && task.subject.type !== 'checklist')
    items.push([
      'About',
      <>
        {task.subject.type} <span className="mono">{task.subject.id}</span>
      </>,
    ]);
  items.push([
    'Helpdesk ticket',
    task.helpdesk ? (
      <>
        <span className="mono">#{task.helpdesk.ticketId}</span> <span className="badge badge-muted">{task.helpdesk.state ?? 'state not read yet'}</span>
      </>
    ) : (
      <span className="muted">none</span>
    ),
  ]);
  return items;
}

function TaskView({ task }: { task: TaskDetail }) {
  const canAnswer = task.abilities.includes('task:answer');
  const canCancel = task.abilities.includes('task:create') && task.open;
  return (
    <>
      <PageHeader
        title={task.title}
        crumbs={[
          { label: 'Tasks', to: '/tasks' },
          ...(task.checklist ? [{ label: 'Checklist', to: `/checklists/${encodeURIComponent(task.checklist.instanceId)}` }] : []),
        ]}
        subtitle={
          <>
            {task.taskType}, {task.priority}, for the {scopeWord(task.scope.type)} <Addressee scope={task.scope} />
          </>
        }
      />
      <TlpBanner tlp={task.tlp} />
      <section className="panel" aria-labelledby="task-facts">
        <h2 id="task-facts">Task</h2>
        <FieldList items={facts(task)} />
        <h3>Description</h3>
        {task.description.trim() ? <p className="task-description">{task.description}</p> : <Empty>No description.</Empty>}
      </section>
      {(canAnswer || canCancel) && task.open && (
        <section className="panel" aria-labelledby="task-answer">
          <h2 id="task-answer">Answer</h2>
          {canAnswer && <AnswerForm task={task} />}
          {canCancel && <CancelForm task={task} />}
        </section>
      )}
      <Attachments task={task} canAttach={canAnswer} />
      <History task={task} canComment={canAnswer} />
      <Messages task={task} />
    </>
  );
}

function AnswerForm({ task }: { task: TaskDetail }) {
  const answer = useAnswerTask(task.taskId);
  const [comment, setComment] = useState('');
  const [done, setDone] = useState('');
  const send = (action: 'acknowledge' | 'resolve') => {
    setDone('');
    answer.mutate(
      { action, comment: comment.trim() || undefined },
      {
        onSuccess: () => {
          setComment('');
          setDone(action === 'acknowledge' ? 'Acknowledged.' : 'Resolved.');
        },
      },
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    send(task.status === 'open' ? 'acknowledge' : 'resolve');
  };
  return (
    <form className="form-grid" onSubmit={submit} noValidate aria-label="Acknowledge or resolve the task">
      <TextArea
        label="Comment (optional)"
        value={comment}
        onChange={(e) => setComment(e.target.value)}
        maxLength={20_000}
        rows={2}
        hint="Kept in the history with your answer."
      />
      <FormError error={answer.error} />
      <div className="form-actions">
        {task.status === 'open' && (
          <button type="button" className="btn btn-primary" disabled={answer.isPending} onClick={() => send('acknowledge')}>
            Acknowledge
          </button>
        )}
        <button type="button" className={`btn ${task.status === 'open' ? '' : 'btn-primary'}`} disabled={answer.isPending} onClick={() => send('resolve')}>
          Resolve
        </button>
        <span role="status" className="form-ok-text">
          {done}
        </span>
      </div>
    </form>
  );
}

function CancelForm({ task }: { task: TaskDetail }) {
  const cancel = useCancelTask(task.taskId);
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      setMissing('Say why the task is no longer needed: the addressee reads it.');
      return;
    }
    setMissing('');
    cancel.mutate(reason.trim(), { onSuccess: () => setReason('') });
  };
  return (
    <form className="form-grid" onSubmit={submit} noValidate aria-label="Cancel the task">
      <TextField
        label="Reason for cancelling"
        className="field-wide"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={missing || undefined}
        maxLength={2000}
        required
      />
      <FormError error={cancel.error} />
      <div className="form-actions">
        <button type="submit" className="btn btn-danger" disabled={cancel.isPending}>
          Cancel task
        </button>
      </div>
    </form>
  );
}

/** The file's content as base64, for the JSON body of the upload. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(new Error(`could not read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

function Attachments({ task, canAttach }: { task: TaskDetail; canAttach: boolean }) {
  return (
    <section className="panel" aria-labelledby="task-attachments">
      <h2 id="task-attachments">Attachments</h2>
      {task.attachments.length === 0 ? (
        <Empty>No attachment.</Empty>
      ) : (
        <table className="data">
          <caption>Attachments ({task.attachments.length}); each downloads as a file, never opened in the browser</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col" className="num">
                Size
              </th>
              <th scope="col">Added</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {task.attachments.map((a) => (
              <tr key={a.attachmentId}>
                <th scope="row">
                  <a href={attachmentUrl(task.taskId, a.attachmentId)} download={a.fileName} aria-label={`Download ${a.fileName}`}>
                    {a.fileName}
                  </a>
                  <span className="cell-sub">{a.contentType}</span>
                </th>
                <td className="num">{formatBytes(a.size)}</td>
                <td>
                  <span className="mono nowrap">{formatTime(a.addedAt)}</span>
                  <span className="cell-sub">by {a.addedBy}</span>
                </td>
                <td className="mono muted" title={a.sha256}>
                  {a.sha256.slice(0, 16)}…
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canAttach && <UploadForm taskId={task.taskId} />}
    </section>
  );
}

function UploadForm({ taskId }: { taskId: string }) {
  const attach = useAttachToTask(taskId);
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState('');
  const [done, setDone] = useState('');
  const choose = (f: File | null) => {
    setDone('');
    setFile(f);
    setProblem(
      f && f.size > ATTACHMENT_MAX_BYTES
        ? `${f.name} is ${formatBytes(f.size)}: an attachment may have at most 5 MiB.`
        : f && f.size === 0
          ? `${f.name} is empty.`
          : '',
    );
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    if (!file) {
      setProblem('Choose a file first.');
      return;
    }
    if (problem) return;
    let contentBase64: string;
    try {
      contentBase64 = await readBase64(file);
    } catch (error) {
      setProblem((error as Error).message);
      return;
    }
    attach.mutate(
      { fileName: file.name, contentType: file.type || 'application/octet-stream', contentBase64 },
      {
        onSuccess: (a) => {
          setDone(`Attached ${a.fileName}.`);
          setFile(null);
          if (input.current) input.current.value = '';
        },
      },
    );
  };
  return (
    <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate aria-label="Attach a file">
      <div className="field field-wide">
        <label htmlFor={id}>File (at most 5 MiB)</label>
        <input
          id={id}
          ref={input}
          type="file"
          onChange={(e) => choose(e.target.files?.[0] ?? null)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-e` : `${id}-h`}
        />
        {problem ? (
          <p className="field-error" id={`${id}-e`}>
            {problem}
          </p>
        ) : (
          <p className="field-hint" id={`${id}-h`}>
            Evidence, logs, a report: at most 20 files per task. Everyone who reads the task can download it.
          </p>
        )}
      </div>
      <FormFoot error={attach.error} pending={attach.isPending || !!problem} submit="Attach file" done={done} />
    </form>
  );
}

function History({ task, canComment }: { task: TaskDetail; canComment: boolean }) {
  return (
    <section className="panel" aria-labelledby="task-history">
      <h2 id="task-history">History</h2>
      {task.events.length === 0 ? (
        <Empty>No event yet.</Empty>
      ) : (
        <ol className="timeline" aria-label="Task history, oldest first">
          {task.events.map((e) => (
            <li key={e.eventId}>
              <span className="timeline-time">{formatTime(e.at)}</span>
              <div>
                <strong>{KIND_LABELS[e.kind] ?? e.kind}</strong> by {e.actor} <span className="badge badge-muted">via {viaLabel(e.via)}</span>
                {e.body && <p className="timeline-body">{e.body}</p>}
              </div>
            </li>
          ))}
        </ol>
      )}
      {canComment && <CommentForm taskId={task.taskId} />}
    </section>
  );
}

function CommentForm({ taskId }: { taskId: string }) {
  const comment = useCommentTask(taskId);
  const [body, setBody] = useState('');
  const [missing, setMissing] = useState('');
  const [done, setDone] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    if (!body.trim()) {
      setMissing('Write the comment first.');
      return;
    }
    setMissing('');
    comment.mutate(body.trim(), {
      onSuccess: () => {
        setBody('');
        setDone('Comment added.');
      },
    });
  };
  return (
    <form className="form-grid" onSubmit={submit} noValidate aria-label="Add a comment">
      <TextArea label="Comment" value={body} onChange={(e) => setBody(e.target.value)} error={missing || undefined} maxLength={20_000} rows={3} />
      <FormFoot error={comment.error} pending={comment.isPending} submit="Add comment" done={done} />
    </form>
  );
}

function Messages({ task }: { task: TaskDetail }) {
  return (
    <section className="panel" aria-labelledby="task-messages">
      <h2 id="task-messages">Messages sent</h2>
      {task.messages.length === 0 ? (
        <Empty>No message has been sent about this task.</Empty>
      ) : (
        <table className="data">
          <caption>Messages about this task ({task.messages.length}): who was told, and when</caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              <th scope="col">Recipient</th>
              <th scope="col">About</th>
              <th scope="col">Status</th>
              <th scope="col">Queued</th>
              <th scope="col">Sent</th>
            </tr>
          </thead>
          <tbody>
            {task.messages.map((m, i) => (
              <tr key={`${m.createdAt}-${m.recipient}-${i}`}>
                <td>{m.channel === 'email' ? 'e-mail' : m.channel}</td>
                <th scope="row" className="mono">
                  {m.recipient}
                </th>
                <td className="mono">{m.eventType}</td>
                <td>
                  <span className={`badge badge-${m.status === 'sent' ? 'ok' : m.status === 'failed' || m.status === 'dead' ? 'bad' : 'muted'}`}>
                    {m.status}
                  </span>
                </td>
                <td className="mono muted nowrap">{formatTime(m.createdAt)}</td>
                <td className="mono muted nowrap">{formatTime(m.sentAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
