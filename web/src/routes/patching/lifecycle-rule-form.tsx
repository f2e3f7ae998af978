// The CSIRT's form for a lifecycle rule: empty to add one, filled in to edit one. An edit sends
// only the fields changed; a new kind, pattern or version makes the server re-check every host.
import { useState, type FormEvent } from 'react';
import { FormFoot, SelectField, TextArea, TextField, fieldErrors } from '../../components/form';
import { useCreateLifecycleRule, useUpdateLifecycleRule } from './hooks';
import type { LifecycleKind, LifecycleRule, LifecycleRuleInput } from './types';

export const KIND_LABELS: Record<LifecycleKind, string> = { 'end-of-life': 'End of life', 'minimum-version': 'Minimum version' };

// As the API checks it (src/modules/patching/lifecycle-routes.ts).
const PATTERN = /^[A-Za-z0-9*+._:-]+$/;

export function LifecycleRuleForm({ rule, onDone }: { rule?: LifecycleRule; onDone?: () => void }) {
  const create = useCreateLifecycleRule();
  const update = useUpdateLifecycleRule();
  const saving = rule ? update : create;
  const [name, setName] = useState(rule?.name ?? '');
  const [kind, setKind] = useState<LifecycleKind>(rule?.kind ?? 'end-of-life');
  const [pattern, setPattern] = useState(rule?.packagePattern ?? '');
  const [version, setVersion] = useState(rule?.version ?? '');
  const [from, setFrom] = useState(rule ? rule.effectiveFrom.slice(0, 10) : '');
  const [message, setMessage] = useState(rule?.message ?? '');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');
  const errors = { ...fieldErrors(saving.error), ...missing };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    const need: Record<string, string> = {};
    if (!name.trim()) need.name = 'Name the rule.';
    if (!PATTERN.test(pattern.trim())) need.packagePattern = 'A package name, or a pattern with * (letters, digits and + . _ : - only).';
    if (kind === 'minimum-version' && !version.trim()) need.version = 'A minimum-version rule needs the version.';
    if (!message.trim()) need.message = 'Say what the sites must do: they read it.';
    setMissing(need);
    if (Object.keys(need).length > 0) return;
    const input: LifecycleRuleInput = {
      name: name.trim(),
      kind,
      packagePattern: pattern.trim(),
      ...(version.trim() ? { version: version.trim() } : {}),
      ...(from ? { effectiveFrom: `${from}T00:00:00.000Z` } : {}),
      message: message.trim(),
    };
    if (!rule) {
      create.mutate(input, {
        onSuccess: (r) => {
          setDone(`Added ${r.name}.`);
          setName('');
          setPattern('');
          setVersion('');
          setFrom('');
          setMessage('');
        },
      });
      return;
    }
    const change: Partial<LifecycleRuleInput> = {};
    if (input.name !== rule.name) change.name = input.name;
    if (kind !== rule.kind) change.kind = kind;
    if (input.packagePattern !== rule.packagePattern) change.packagePattern = input.packagePattern;
    if ((input.version ?? null) !== rule.version) change.version = input.version ?? null;
    if (from && from !== rule.effectiveFrom.slice(0, 10)) change.effectiveFrom = input.effectiveFrom;
    if (input.message !== rule.message) change.message = input.message;
    if (Object.keys(change).length === 0) {
      setDone('Nothing changed.');
      return;
    }
    update.mutate({ ruleId: rule.ruleId, change }, { onSuccess: () => onDone?.() });
  };

  const title = rule ? `Edit rule ${rule.name}` : 'Add a lifecycle rule';
  return (
    <form className="panel form-grid" onSubmit={submit} noValidate aria-labelledby="lifecycle-form-title">
      <h2 id="lifecycle-form-title">{title}</h2>
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} maxLength={100} required autoFocus={!!rule} />
      <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as LifecycleKind)} error={errors.kind}>
        {Object.entries(KIND_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Package pattern"
        className="mono"
        value={pattern}
        onChange={(e) => setPattern(e.target.value)}
        error={errors.packagePattern}
        placeholder="globus-*"
        maxLength={200}
        required
        hint="A package name, or a pattern where * stands for any text (globus-*)."
      />
      <TextField
        label={kind === 'minimum-version' ? 'Minimum version' : 'Below version (optional)'}
        className="mono"
        value={version}
        onChange={(e) => setVersion(e.target.value)}
        error={errors.version}
        placeholder="1.128-1"
        maxLength={100}
        required={kind === 'minimum-version'}
        hint={
          kind === 'minimum-version'
            ? 'Hosts with an older version are flagged, compared in the package manager’s own order.'
            : 'Leave empty to flag every version; otherwise only versions below it.'
        }
      />
      <TextField
        label="In effect from (optional)"
        type="date"
        value={from}
        onChange={(e) => setFrom(e.target.value)}
        error={errors.effectiveFrom}
        hint={rule ? 'From 00:00 UTC that day.' : 'Leave empty for now; otherwise from 00:00 UTC that day.'}
      />
      <TextArea
        label="Message"
        value={message}
        onChange={(e) => setMessage(e.target.value)}
        error={errors.message}
        maxLength={2000}
        rows={2}
        hint="Shown with the hosts the rule flags: what is wrong and what to install."
      />
      <FormFoot error={saving.error} pending={saving.isPending} submit={rule ? 'Save changes' : 'Add rule'} done={done}>
        {rule && (
          <button type="button" className="btn" onClick={onDone}>
            Cancel
          </button>
        )}
      </FormFoot>
    </form>
  );
}
