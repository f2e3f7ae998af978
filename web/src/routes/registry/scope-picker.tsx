// Role + scope choice used by the grant form and the new-person form.
import { ROLES, ROLE_SCOPES, roleLabel } from '../../lib/types';
import { SelectField } from '../../components/form';
import { NgiSelect, SiteSelect, VoSelect } from './scope-selects';

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
        <NgiSelect value={value.scopeId} onChange={(scopeId) => onChange({ ...value, scopeId })} error={errors.scopeId} />
      )}
      {value.role && value.scopeType === 'site' && (
        <SiteSelect value={value.scopeId} onChange={(scopeId) => onChange({ ...value, scopeId })} error={errors.scopeId} />
      )}
      {value.role && value.scopeType === 'vo' && (
        <VoSelect value={value.scopeId} onChange={(scopeId) => onChange({ ...value, scopeId })} error={errors.scopeId} />
      )}
    </>
  );
}

/** The grant body part: no scopeId for the federation. */
export function grantOf(choice: RoleChoice): { role: string; scopeType: string; scopeId?: string } {
  return choice.scopeType === 'federation' ? { role: choice.role, scopeType: 'federation' } : { ...choice };
}
