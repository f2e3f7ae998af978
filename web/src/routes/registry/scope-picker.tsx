// Role + scope choice used by the grant form and the new-person form.
import { useState } from 'react';
import { ROLES, ROLE_SCOPES, roleLabel } from '../../lib/types';
import { SelectField, TextField } from '../../components/form';
import { useAllNgis, useSites, useVos } from './hooks';

export interface RoleChoice {
  role: string;
  scopeType: string;
  scopeId: string;
}

export function RoleScopeFields({
  value,
  onChange,
  errors,
  allowNone,
}: {
  value: RoleChoice;
  onChange: (v: RoleChoice) => void;
  errors: Record<string, string>;
  allowNone?: boolean;
}) {
  const scopes = value.role ? (ROLE_SCOPES[value.role] ?? []) : [];
  const [siteSearch, setSiteSearch] = useState('');
  const ngis = useAllNgis();
  const vos = useVos({ limit: 200, sort: 'name' });
  const sites = useSites({ limit: 50, sort: 'name', q: siteSearch || undefined });

  const setRole = (role: string) => {
    const allowed = ROLE_SCOPES[role] ?? [];
    onChange({ role, scopeType: allowed.includes(value.scopeType) ? value.scopeType : (allowed[0] ?? ''), scopeId: '' });
  };
  return (
    <>
      <SelectField label="Role" value={value.role} onChange={(e) => setRole(e.target.value)} error={errors.role}>
        <option value="">{allowNone ? 'No role for now' : 'Choose a role'}</option>
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {roleLabel(r)}
          </option>
        ))}
      </SelectField>
      {value.role && (
        <SelectField
          label="Scope type"
          value={value.scopeType}
          onChange={(e) => onChange({ ...value, scopeType: e.target.value, scopeId: '' })}
          error={errors.scopeType}
        >
          {scopes.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </SelectField>
      )}
      {value.role && value.scopeType === 'ngi' && (
        <SelectField label="NGI" value={value.scopeId} onChange={(e) => onChange({ ...value, scopeId: e.target.value })} error={errors.scopeId}>
          <option value="">Choose an NGI</option>
          {ngis.data?.items.map((n) => (
            <option key={n.ngiId} value={n.ngiId}>
              {n.name}
            </option>
          ))}
        </SelectField>
      )}
      {value.role && value.scopeType === 'site' && (
        <>
          <TextField label="Find site" type="search" value={siteSearch} onChange={(e) => setSiteSearch(e.target.value)} />
          <SelectField
            label="Site"
            value={value.scopeId}
            onChange={(e) => onChange({ ...value, scopeId: e.target.value })}
            error={errors.scopeId}
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
      )}
      {value.role && value.scopeType === 'vo' && (
        <SelectField label="VO" value={value.scopeId} onChange={(e) => onChange({ ...value, scopeId: e.target.value })} error={errors.scopeId}>
          <option value="">Choose a VO</option>
          {vos.data?.items.map((v) => (
            <option key={v.voId} value={v.voId}>
              {v.name}
            </option>
          ))}
        </SelectField>
      )}
    </>
  );
}

/** The grant body part: no scopeId for the federation. */
export function grantOf(choice: RoleChoice): { role: string; scopeType: string; scopeId?: string } {
  return choice.scopeType === 'federation' ? { role: choice.role, scopeType: 'federation' } : { ...choice };
}
