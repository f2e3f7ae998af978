// The CSIRT's form to tag a CVE with a federation risk level, optionally for one architecture.
import { useState, type FormEvent } from 'react';
import { FormFoot, SelectField, TextArea, TextField, fieldErrors } from '../../components/form';
import { useCveTags, useTagCve } from './hooks';

export function TagForm({ cve }: { cve: string }) {
  const tags = useCveTags();
  const tag = useTagCve();
  const [choice, setChoice] = useState('');
  const [arch, setArch] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const errors = { ...fieldErrors(tag.error), ...missing };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    const need: Record<string, string> = {};
    if (!choice) need.tag = 'Choose a risk tag.';
    if (!reason.trim()) need.reason = 'Say why: the sites read it.';
    setMissing(need);
    if (Object.keys(need).length > 0) return;
    tag.mutate(
      { cve, tag: choice, reason: reason.trim(), ...(arch.trim() ? { arch: arch.trim() } : {}) },
      {
        onSuccess: (t) => {
          setDone(`Tagged ${t.cve} ${t.tag}${t.arch ? ` for ${t.arch}` : ''}.`);
          setChoice('');
          setArch('');
          setReason('');
        },
      },
    );
  };
  return (
    <form className="panel form-grid" onSubmit={submit} noValidate aria-labelledby="tag-form-title">
      <h2 id="tag-form-title">Tag {cve}</h2>
      <SelectField label="Risk tag" value={choice} onChange={(e) => setChoice(e.target.value)} error={errors.tag} required>
        <option value="">Choose a tag</option>
        {tags.data?.allowedTags.map((t) => (
          <option key={t} value={t}>
            {t}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Architecture (optional)"
        className="mono"
        value={arch}
        onChange={(e) => setArch(e.target.value)}
        error={errors.arch}
        placeholder="e.g. i686"
        maxLength={20}
        hint="Leave empty to tag every architecture."
      />
      <TextArea
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={errors.reason}
        maxLength={2000}
        rows={2}
        hint="Shown to the sites with the tag: the risk and what they must do."
      />
      <FormFoot error={tag.error} pending={tag.isPending} submit="Tag CVE" done={done} />
    </form>
  );
}
