// Choosing whom a task or checklist is for: several sites, NGIs or VOs for a new task (every
// site of an NGI in two clicks), or one scope of a given kind for a checklist. The lists are
// the registry's, as the reader sees it; the server decides whether they may address each.
import { useState } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { SelectField, TextField } from '../../components/form';
import { useAllNgis, useSites, useVos } from '../registry/hooks';
import { NgiSelect, SiteSelect, VoSelect } from '../registry/scope-selects';
import type { ScopeType } from './types';

export interface AddresseeChoice {
  type: Exclude<ScopeType, 'federation'>;
  id: string;
  name: string;
}
type Kind = AddresseeChoice['type'];

const KIND_LABELS: Record<Kind, string> = { site: 'Sites', ngi: 'NGIs', vo: 'VOs' };
const keyOf = (p: AddresseeChoice) => `${p.type}:${p.id}`;
/** Most sites listed at once; a search or an NGI narrows them. */
const SITE_PAGE = 50;

export function AddresseePicker({
  value,
  onChange,
  error,
}: {
  value: AddresseeChoice[];
  onChange: (v: AddresseeChoice[]) => void;
  error?: string | undefined;
}) {
  const [kind, setKind] = useState<Kind>('site');
  const chosen = new Set(value.map(keyOf));
  const toggle = (p: AddresseeChoice, on: boolean) =>
    onChange(on ? (chosen.has(keyOf(p)) ? value : [...value, p]) : value.filter((v) => keyOf(v) !== keyOf(p)));
  const addAll = (ps: AddresseeChoice[]) => onChange([...value, ...ps.filter((p) => !chosen.has(keyOf(p)))]);
  const list = { chosen, toggle, addAll };

  return (
    <fieldset aria-describedby={error ? 'addressees-error' : undefined}>
      <legend>Addressed to (one task is opened for each)</legend>
      <div className="form-grid">
        <SelectField label="Choose among" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          {Object.entries(KIND_LABELS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </SelectField>
        {kind === 'site' ? <SiteChoices {...list} /> : kind === 'ngi' ? <NgiChoices {...list} /> : <VoChoices {...list} />}
      </div>
      <p className="small">
        <strong>
          Chosen: {value.length} addressee{value.length === 1 ? '' : 's'}
        </strong>
      </p>
      {value.length > 0 && (
        <ul className="picked" aria-label="Chosen addressees">
          {value.map((p) => (
            <li key={keyOf(p)}>
              {p.name} <span className="muted small">{p.type === 'ngi' ? 'NGI' : p.type === 'vo' ? 'VO' : 'site'}</span>
              <button type="button" className="btn btn-small btn-ghost" aria-label={`Remove ${p.name}`} onClick={() => toggle(p, false)}>
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="field-error" id="addressees-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

interface ListProps {
  chosen: Set<string>;
  toggle: (p: AddresseeChoice, on: boolean) => void;
  addAll: (ps: AddresseeChoice[]) => void;
}

function SiteChoices(props: ListProps) {
  const [search, setSearch] = useState('');
  const [ngiId, setNgiId] = useState('');
  const ngis = useAllNgis();
  const sites = useSites({ limit: SITE_PAGE, sort: 'name', q: search || undefined, ngiId: ngiId || undefined });
  const more = sites.data && sites.data.total > sites.data.items.length ? sites.data : undefined;
  return (
    <>
      <TextField label="Find sites" type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or country…" />
      <SelectField label="Sites of NGI" value={ngiId} onChange={(e) => setNgiId(e.target.value)}>
        <option value="">All NGIs</option>
        {ngis.data?.items.map((n) => (
          <option key={n.ngiId} value={n.ngiId}>
            {n.name}
          </option>
        ))}
      </SelectField>
      <Choices
        {...props}
        kind="site"
        query={sites}
        items={sites.data?.items.map((s) => ({ type: 'site' as const, id: s.siteId, name: s.name }))}
        note={more ? `The first ${more.items.length} of ${more.total} sites; narrow them with Find sites or an NGI.` : undefined}
      />
    </>
  );
}

function NgiChoices(props: ListProps) {
  const ngis = useAllNgis();
  return <Choices {...props} kind="ngi" query={ngis} items={ngis.data?.items.map((n) => ({ type: 'ngi' as const, id: n.ngiId, name: n.name }))} />;
}

function VoChoices(props: ListProps) {
  const vos = useVos({ limit: 200, sort: 'name' });
  return <Choices {...props} kind="vo" query={vos} items={vos.data?.items.map((v) => ({ type: 'vo' as const, id: v.voId, name: v.name }))} />;
}

function Choices({
  kind,
  query,
  items,
  note,
  chosen,
  toggle,
  addAll,
}: ListProps & { kind: Kind; query: UseQueryResult<unknown>; items: AddresseeChoice[] | undefined; note?: string | undefined }) {
  const label = KIND_LABELS[kind];
  if (query.isPending)
    return (
      <p className="field-wide muted small" role="status">
        Loading {label}…
      </p>
    );
  if (query.isError)
    return (
      <p className="field-wide form-error" role="alert">
        Could not load the {label}.{' '}
        <button type="button" className="btn btn-small" onClick={() => void query.refetch()}>
          Retry
        </button>
      </p>
    );
  if (!items || items.length === 0) return <p className="field-wide muted small">No {label} to choose from here.</p>;
  return (
    <div className="field-wide">
      <ul className="pick-list" aria-label={`${label} to choose from`}>
        {items.map((c) => (
          <li key={keyOf(c)}>
            <label>
              <input type="checkbox" checked={chosen.has(keyOf(c))} onChange={(e) => toggle(c, e.target.checked)} /> {c.name}
            </label>
          </li>
        ))}
      </ul>
      <p className="muted small">
        {note}{' '}
        <button type="button" className="btn btn-small" onClick={() => addAll(items)}>
          Add all {items.length} listed
        </button>
      </p>
    </div>
  );
}

/** One scope of a given kind: a site (found by search), an NGI or a VO. */
export function ScopeSelect({ type, value, onChange, error }: { type: Kind; value: string; onChange: (id: string) => void; error?: string | undefined }) {
  if (type === 'ngi') return <NgiSelect value={value} onChange={onChange} error={error} />;
  if (type === 'vo') return <VoSelect value={value} onChange={onChange} error={error} />;
  return <SiteSelect value={value} onChange={onChange} error={error} />;
}
