// Adding a feed: from a path or URL the operator allowed (feedDirectories, feedUrlPrefixes), or
// from a file uploaded here. Its first refresh is queued at once; the feed list shows its progress.
import { useState, type FormEvent } from 'react';
import { CheckboxField, FormFoot, SelectField, TextField, fieldErrors } from '../../components/form';
import { useAddFeed } from './hooks';
import type { FeedInput } from './types';

const FORMATS: Array<{ value: FeedInput['format']; label: string; hint: string }> = [
  { value: 'oval', label: 'OVAL', hint: 'Red Hat, AlmaLinux, Oracle, Debian or Ubuntu OVAL (.xml, .bz2, .gz, .xz); needs the release it covers.' },
  { value: 'osv', label: 'OSV', hint: 'OSV JSON records: one file, an array, or a directory of them.' },
  { value: 'csaf', label: 'CSAF', hint: 'CSAF VEX documents (Red Hat).' },
  { value: 'debian-index', label: 'Debian index', hint: 'A Sources or Packages index: binary → source names for a Debian or Ubuntu release.' },
];

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function FeedForm() {
  const add = useAddFeed();
  const [name, setName] = useState('');
  const [format, setFormat] = useState<FeedInput['format']>('oval');
  const [from, setFrom] = useState<'source' | 'upload'>('source');
  const [source, setSource] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [replace, setReplace] = useState(false);
  // A new key empties the file input after a feed is added (a file input cannot be set).
  const [fileKey, setFileKey] = useState(0);
  const [release, setRelease] = useState('');
  const [hours, setHours] = useState('24');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');
  const errors = { ...fieldErrors(add.error), ...missing };
  const needsRelease = format === 'oval' || format === 'debian-index';

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    const need: Record<string, string> = {};
    if (!name.trim()) need.name = 'Name the feed.';
    if (from === 'source' && !source.trim()) need.source = 'Give the path or URL the server reads the feed from.';
    if (from === 'upload' && !file) need.file = 'Choose the file to upload.';
    if (from === 'upload' && file && !NAME.test(file.name)) need.file = 'Rename the file to letters, digits, ".", "_" and "-" first.';
    if (needsRelease && !release.trim()) need.release = 'Say which release the feed covers (rhel:9, debian:12, ubuntu:22.04).';
    const refreshHours = Number(hours);
    if (!Number.isInteger(refreshHours) || refreshHours < 0 || refreshHours > 720) need.refreshHours = 'Whole hours from 0 (manual only) to 720.';
    setMissing(need);
    if (Object.keys(need).length > 0) return;
    const input: FeedInput = { name: name.trim(), format, source: source.trim(), refreshHours, ...(release.trim() ? { release: release.trim() } : {}) };
    add.mutate(
      { input, file: from === 'upload' ? file : undefined, replace },
      {
        onSuccess: (feed) => {
          setDone(`Added ${feed.name}; its first refresh is queued.`);
          setName('');
          setSource('');
          setFile(undefined);
          setFileKey((k) => k + 1);
          setReplace(false);
          setRelease('');
        },
      },
    );
  };

  return (
    <form className="panel form-grid" onSubmit={submit} noValidate aria-labelledby="feed-form-title">
      <h2 id="feed-form-title">Add a feed</h2>
      <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} maxLength={100} required placeholder="rhel-9-oval" />
      <SelectField
        label="Format"
        value={format}
        onChange={(e) => setFormat(e.target.value as FeedInput['format'])}
        error={errors.format}
        hint={FORMATS.find((f) => f.value === format)?.hint}
      >
        {FORMATS.map((f) => (
          <option key={f.value} value={f.value}>
            {f.label}
          </option>
        ))}
      </SelectField>
      <SelectField label="Read from" value={from} onChange={(e) => setFrom(e.target.value as 'source' | 'upload')}>
        <option value="source">A path or URL on the server’s side</option>
        <option value="upload">A file uploaded now</option>
      </SelectField>
      {from === 'source' ? (
        <TextField
          label="Path or URL"
          className="mono field-wide"
          value={source}
          onChange={(e) => setSource(e.target.value)}
          error={errors.source}
          maxLength={2000}
          required
          placeholder="https://security.access.redhat.com/data/oval/v2/RHEL9/rhel-9.oval.xml.bz2"
          hint="Only inside the feed directories and under the URL prefixes the operator configured; read again at each refresh."
        />
      ) : (
        <div className="field field-wide">
          <label htmlFor="feed-file">File</label>
          <input
            key={fileKey}
            id="feed-file"
            type="file"
            aria-invalid={errors.file ? true : undefined}
            aria-describedby={errors.file ? 'feed-file-hint feed-file-error' : 'feed-file-hint'}
            onChange={(e) => setFile(e.target.files?.[0] ?? undefined)}
          />
          <p className="field-hint" id="feed-file-hint">
            Kept in the server’s feed directory under its own name; compress large files (.bz2, .gz or .xz).
          </p>
          {errors.file && (
            <p className="field-error" id="feed-file-error">
              {errors.file}
            </p>
          )}
          <CheckboxField
            label="Replace an earlier upload of this name (a feed reading it reads the new file at its next refresh)"
            checked={replace}
            onChange={(e) => setReplace(e.target.checked)}
          />
        </div>
      )}
      <TextField
        label={needsRelease ? 'Release' : 'Release (optional)'}
        className="mono"
        value={release}
        onChange={(e) => setRelease(e.target.value)}
        error={errors.release}
        maxLength={40}
        required={needsRelease}
        placeholder="rhel:9"
        hint="rhel:9, alma:9, oracle:8, debian:12, ubuntu:22.04."
      />
      <TextField
        label="Refresh every (hours)"
        type="number"
        min={0}
        max={720}
        value={hours}
        onChange={(e) => setHours(e.target.value)}
        error={errors.refreshHours}
        hint="0: only when someone presses Refresh."
      />
      <FormFoot error={add.error} pending={add.isPending} submit={add.isPending ? (from === 'upload' ? 'Uploading…' : 'Adding…') : 'Add feed'} done={done} />
    </form>
  );
}
