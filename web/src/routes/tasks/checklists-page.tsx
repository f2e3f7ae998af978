// Checklists (PROC19, SEC04, an RC suspension…): each a run of a template for a site, NGI or VO,
// its steps opened as tasks, with its progress ("9 of 14 steps done, 2 late"). Holders of
// task:create begin one from a template; a checklist's page lists its steps.
import { useState, type FormEvent } from 'react';
import { Link, navigate } from '../../lib/router';
import { useCan } from '../../lib/session';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { StatusBadge } from '../../components/badge';
import { Empty, ErrorState, Loading, NotFound, QueryView } from '../../components/states';
import { FormFoot, SelectField, TextField, fieldErrors } from '../../components/form';
import { ScopeSelect } from './addressees';
import { useChecklists, useChecklistTemplates, useStartChecklist, useTasks } from './hooks';
import { Addressee, TaskTable, TaskTabs, scopeWord } from './parts';
import type { Checklist, ChecklistTemplate } from './types';

export function ChecklistsPage() {
  const checklists = useChecklists();
  const creates = useCan()('task:create');
  return (
    <>
      <PageHeader
        title="Checklists"
        crumbs={[{ label: 'Tasks', to: '/tasks' }]}
        subtitle="Procedures run step by step for a site, NGI or VO: each step is a task for its party, with its own deadline."
      />
      <TaskTabs />
      <section className="panel" aria-labelledby="checklists-title">
        <h2 id="checklists-title">Checklists</h2>
        <QueryView query={checklists} label="checklists">
          {(data) =>
            data.items.length === 0 ? (
              <Empty>No checklist in your scopes.{creates ? ' Begin one below.' : ''}</Empty>
            ) : (
              <ChecklistTable checklists={data.items} />
            )
          }
        </QueryView>
      </section>
      {creates && <BeginChecklist />}
    </>
  );
}

function ChecklistTable({ checklists }: { checklists: Checklist[] }) {
  return (
    <table className="data">
      <caption>Checklists ({checklists.length}), newest first</caption>
      <thead>
        <tr>
          <th scope="col">Checklist</th>
          <th scope="col">For</th>
          <th scope="col">Progress</th>
          <th scope="col">Status</th>
          <th scope="col">Begun</th>
        </tr>
      </thead>
      <tbody>
        {checklists.map((c) => (
          <tr key={c.instanceId}>
            <th scope="row">
              <Link to={`/checklists/${encodeURIComponent(c.instanceId)}`}>{c.title}</Link>
            </th>
            <td>
              <Addressee scope={c.scope} withNgi />
            </td>
            <td>
              <Progress checklist={c} />
            </td>
            <td>
              <StatusBadge status={c.status} />
            </td>
            <td>
              <span className="mono nowrap">{formatTime(c.createdAt)}</span>
              <span className="cell-sub">by {c.createdBy}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Progress({ checklist }: { checklist: Checklist }) {
  return (
    <span className="nowrap">
      <progress max={checklist.steps} value={checklist.done} aria-hidden="true" /> {checklist.summary}
      {checklist.late > 0 && (
        <>
          {' '}
          <span className="badge badge-bad">late</span>
        </>
      )}
    </span>
  );
}

function BeginChecklist() {
  const templates = useChecklistTemplates();
  return (
    <section className="panel" aria-labelledby="begin-checklist-title">
      <h2 id="begin-checklist-title">Begin a checklist</h2>
      {templates.isPending ? (
        <Loading label="checklist templates" />
      ) : templates.isError ? (
        <ErrorState label="checklist templates" error={templates.error} onRetry={() => void templates.refetch()} />
      ) : templates.data.items.length === 0 ? (
        <Empty>No checklist template yet: the CSIRT adds them.</Empty>
      ) : (
        <BeginForm templates={templates.data.items} />
      )}
    </section>
  );
}

function BeginForm({ templates }: { templates: ChecklistTemplate[] }) {
  const start = useStartChecklist();
  const [templateId, setTemplateId] = useState('');
  const [title, setTitle] = useState('');
  const [scopeId, setScopeId] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const template = templates.find((t) => t.templateId === templateId);
  const errors = { ...fieldErrors(start.error), ...missing };

  const choose = (id: string) => {
    const next = templates.find((t) => t.templateId === id);
    setTemplateId(id);
    setScopeId('');
    if (next && (!title.trim() || templates.some((t) => t.name === title))) setTitle(next.name);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const need: Record<string, string> = {};
    if (!template) need.templateId = 'Choose a template.';
    if (!title.trim()) need.title = 'Name this checklist (what it is about).';
    if (template && template.scopeType !== 'federation' && !scopeId) need.target = `Choose the ${scopeWord(template.scopeType)}.`;
    setMissing(need);
    if (Object.keys(need).length > 0 || !template) return;
    start.mutate(
      { templateId: template.templateId, title: title.trim(), target: { type: template.scopeType, id: template.scopeType === 'federation' ? '' : scopeId } },
      { onSuccess: (r) => navigate(`/checklists/${encodeURIComponent(r.instanceId)}`) },
    );
  };
  return (
    <form className="form-grid" onSubmit={submit} noValidate aria-label="Begin a checklist">
      <SelectField
        label="Template"
        value={templateId}
        onChange={(e) => choose(e.target.value)}
        error={errors.templateId}
        hint={template ? `${template.steps.length} steps${template.ordered ? ', one after the other' : ', all at once'}. ${template.description}` : undefined}
      >
        <option value="">Choose a template</option>
        {templates.map((t) => (
          <option key={t.templateId} value={t.templateId}>
            {t.name} (for a {scopeWord(t.scopeType)})
          </option>
        ))}
      </SelectField>
      <TextField label="Title" value={title} onChange={(e) => setTitle(e.target.value)} error={errors.title} maxLength={200} required />
      {template && template.scopeType !== 'federation' && <ScopeSelect type={template.scopeType} value={scopeId} onChange={setScopeId} error={errors.target} />}
      {template && template.steps.length > 0 && (
        <ol className="field-wide small">
          {template.steps.map((s, i) => (
            <li key={i}>
              {s.title}{' '}
              <span className="muted">
                ({s.party === 'addressee' ? 'the addressee' : s.party === 'ngi' ? 'its NGI' : 'the CSIRT'}, {s.amount} {s.unit})
              </span>
            </li>
          ))}
        </ol>
      )}
      <FormFoot error={start.error} pending={start.isPending} submit="Begin checklist" done="" />
    </form>
  );
}

/** A checklist's page: its progress and its steps (every task it opened, whatever their state). */
export function ChecklistPage({ instanceId }: { instanceId: string }) {
  const checklists = useChecklists();
  const steps = useTasks({ checklistId: instanceId, status: 'all', limit: 200 });
  const checklist = checklists.data?.items.find((c) => c.instanceId === instanceId);
  if (checklists.isSuccess && !checklist) return <NotFound what="checklist" />;
  return (
    <>
      <PageHeader title={checklist?.title ?? 'Checklist'} crumbs={[{ label: 'Checklists', to: '/checklists' }]} />
      <TaskTabs />
      {checklists.isError ? (
        <ErrorState label="the checklist" error={checklists.error} onRetry={() => void checklists.refetch()} />
      ) : checklist ? (
        <section className="panel" aria-labelledby="checklist-facts">
          <h2 id="checklist-facts" className="sr-only">
            About this checklist
          </h2>
          <p>
            For the {scopeWord(checklist.scope.type)} <Addressee scope={checklist.scope} />: <Progress checklist={checklist} /> ·{' '}
            <StatusBadge status={checklist.status} /> · begun {formatTime(checklist.createdAt)} by {checklist.createdBy}
          </p>
        </section>
      ) : (
        <Loading label="the checklist" />
      )}
      <section className="panel" aria-labelledby="checklist-steps">
        <h2 id="checklist-steps">Steps</h2>
        <QueryView query={steps} label="steps">
          {(data) =>
            data.items.length === 0 ? (
              <Empty>No step of this checklist is open yet.</Empty>
            ) : (
              <TaskTable
                tasks={[...data.items].sort((a, b) => (a.checklist?.step ?? 0) - (b.checklist?.step ?? 0))}
                caption={`Steps opened (${data.items.length}${checklist ? ` of ${checklist.steps}` : ''}), in order`}
              />
            )
          }
        </QueryView>
      </section>
    </>
  );
}
