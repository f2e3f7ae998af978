// One NGI, site or VO chosen from the registry as the reader sees it: used wherever a form names a
// scope (granting a role, beginning a checklist). A site is found by a search, the first 50 listed.
import { useState } from 'react';
import { SelectField, TextField } from '../../components/form';
import { useAllNgis, useSites, useVos } from './hooks';

export interface ScopeSelectProps {
  value: string;
  onChange: (id: string) => void;
  error?: string | undefined;
}

/** Most sites listed at once; the search narrows them. */
const SITE_PAGE = 50;

export function NgiSelect({ value, onChange, error }: ScopeSelectProps) {
  const ngis = useAllNgis();
  return (
    <SelectField label="NGI" value={value} onChange={(e) => onChange(e.target.value)} error={error}>
      <option value="">Choose an NGI</option>
      {ngis.data?.items.map((n) => (
        <option key={n.ngiId} value={n.ngiId}>
          {n.name}
        </option>
      ))}
    </SelectField>
  );
}

export function VoSelect({ value, onChange, error }: ScopeSelectProps) {
  const vos = useVos({ limit: 200, sort: 'name' });
  return (
    <SelectField label="VO" value={value} onChange={(e) => onChange(e.target.value)} error={error}>
      <option value="">Choose a VO</option>
      {vos.data?.items.map((v) => (
        <option key={v.voId} value={v.voId}>
          {v.name}
        </option>
      ))}
    </SelectField>
  );
}

export function SiteSelect({ value, onChange, error }: ScopeSelectProps) {
  const [search, setSearch] = useState('');
  const sites = useSites({ limit: SITE_PAGE, sort: 'name', q: search || undefined });
  return (
    <>
      <TextField label="Find site" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
      <SelectField
        label="Site"
        value={value}
        onChange={(e) => onChange(e.target.value)}
        error={error}
        hint={
          sites.data && sites.data.total > sites.data.items.length
            ? `First ${sites.data.items.length} of ${sites.data.total}; narrow with Find site.`
            : undefined
        }
      >
        <option value="">Choose a site</option>
        {sites.data?.items.map((s) => (
          <option key={s.siteId} value={s.siteId}>
            {s.name}
          </option>
        ))}
      </SelectField>
    </>
  );
}
