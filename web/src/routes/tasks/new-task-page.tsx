// Opening a task: for one or several sites, NGIs or VOs at once, of a type the deadline rules
// know, with a priority (the rule gives the deadline unless a due time is set), a TLP label and
// optionally a helpdesk ticket. Only for holders of task:create; the server checks each addressee.
import { useState, type FormEvent } from 'react';
import { Link, navigate } from '../../lib/router';
import { useCan } from '../../lib/session';
import { PageHeader } from '../../components/page';
import { CheckboxField, FormFoot, SelectField, TextArea, TextField, fieldErrors } from '../../components/form';
import { ErrorState } from '../../components/states';
import { AddresseePicker, type AddresseeChoice } from './addressees';
import { taskTypesOf, useCreateTasks, useDeadlineRules } from './hooks';
import { TaskTabs } from './parts';
import type { DeadlineRule } from './deadlines-page';
import { PRIORITIES, TLP_LEVELS, type Priority, type Tlp } from './types';

/** The rule a type and priority fall under: the priority's own, else the type's '*'. */
export const ruleFor = (rules: readonly DeadlineRule[], taskType: string, priority: string) =>
  rules.find((r) => r.taskType === taskType && r.priority === priority) ?? rules.find((r) => r.taskType === taskType && r.priority === '*');

export function NewTaskPage() {
  const creates = useCan()('task:create');
  return (
    <>
      <PageHeader
        title="Open a task"
        crumbs={[{ label: 'Tasks', to: '/tasks' }]}
        subtitle="Ask one or several sites, NGIs or VOs to do something by a deadline. Each addressee gets its own task and is told by e-mail."
      />
      <TaskTabs />
      {creates ? (
        <NewTaskForm />
      ) : (
        <p className="notice notice-info">Opening tasks needs the task:create permission (the CSIRT and NGI security officers hold it).</p>
      )}
    </>
  );
}

function NewTaskForm() {
  const rules = useDeadlineRules();
  const create = useCreateTasks();
  const [targets, setTargets] = useState<AddresseeChoice[]>([]);
  const [taskType, setTaskType] = useState('');
  const [priority, setPriority] = useState<Priority>('urgent');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [tlp, setTlp] = useState<Tlp>('AMBER');
  const [due, setDue] = useState('');
  const [mirror, setMirror] = useState(false);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [done, setDone] = useState<number | null>(null);
  const errors = { ...fieldErrors(create.error), ...missing };
  const types = rules.data ? taskTypesOf(rules.data.items) : [];
  const rule = rules.data && taskType ? ruleFor(rules.data.items, taskType, priority) : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    const need: Record<string, string> = {};
    if (targets.length === 0) need.targets = 'Choose at least one site, NGI or VO.';
    if (!taskType) need.taskType = 'Choose the type of task.';
    if (!title.trim()) need.title = 'Say what is asked: the addressees read it first.';
    setMissing(need);
    if (Object.keys(need).length > 0) return;
    create.mutate(
      {
        targets: targets.map((t) => ({ type: t.type, id: t.id })),
        taskType,
        priority,
        title: title.trim(),
        description: description.trim(),
        tlp,
        ...(due ? { dueAt: `${due}:00.000Z` } : {}),
        mirrorToHelpdesk: mirror,
      },
      {
        onSuccess: (r) => {
          const [only] = r.items;
          if (r.items.length === 1 && only) navigate(`/tasks/${encodeURIComponent(only.taskId)}`);
          else {
            setDone(r.items.length);
            setTargets([]);
            setTitle('');
            setDescription('');
          }
        },
      },
    );
  };

  return (
    <form className="panel form-grid" onSubmit={submit} noValidate aria-labelledby="new-task-title">
      <h2 id="new-task-title">New task</h2>
      <AddresseePicker value={targets} onChange={setTargets} error={errors.targets} />
      {rules.isError ? (
        <div className="field-wide">
          <ErrorState label="the task types" error={rules.error} onRetry={() => void rules.refetch()} />
        </div>
      ) : (
        <SelectField
          label="Type"
          value={taskType}
          onChange={(e) => setTaskType(e.target.value)}
          error={errors.taskType}
          hint={rules.data && types.length === 0 ? 'No deadline rule exists yet: the CSIRT adds them under Deadlines.' : undefined}
        >
          <option value="">{rules.isPending ? 'Loading types…' : 'Choose a type'}</option>
          {types.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </SelectField>
      )}
      <SelectField
        label="Priority"
        value={priority}
        onChange={(e) => setPriority(e.target.value as Priority)}
        error={errors.priority}
        hint={
          rule
            ? `Deadline: ${rule.allowed} to ${rule.measures} (${rule.source}).`
            : taskType
              ? 'No rule for this type and priority: the server will refuse it.'
              : undefined
        }
      >
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </SelectField>
      <TextField label="Title" className="field-wide" value={title} onChange={(e) => setTitle(e.target.value)} error={errors.title} maxLength={200} required />
      <TextArea
        label="Description"
        value={description}
        onChange={(e) => setDescription(e.target.value)}
        error={errors.description}
        maxLength={20_000}
        rows={5}
        hint="What to do, and how to tell it is done."
      />
      <SelectField label="TLP" value={tlp} onChange={(e) => setTlp(e.target.value as Tlp)} error={errors.tlp} hint="How far the addressees may share the task.">
        {TLP_LEVELS.map((l) => (
          <option key={l} value={l}>
            TLP:{l}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Due (UTC, optional)"
        type="datetime-local"
        value={due}
        onChange={(e) => setDue(e.target.value)}
        error={errors.dueAt}
        hint="Leave empty to take the rule's deadline; a time set here replaces it (reminders and escalation keep the rule's proportions)."
      />
      <CheckboxField label="Also open a helpdesk ticket" checked={mirror} onChange={(e) => setMirror(e.target.checked)} />
      <FormFoot
        error={create.error}
        pending={create.isPending}
        submit={targets.length > 1 ? `Open ${targets.length} tasks` : 'Open task'}
        done={done === null ? '' : `Opened ${done} tasks.`}
      >
        {done !== null && <Link to="/tasks">See them in the inbox</Link>}
      </FormFoot>
    </form>
  );
}
