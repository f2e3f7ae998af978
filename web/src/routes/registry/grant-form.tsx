// Grant a scoped role to a person (the person is fixed on a person's page, chosen on the roles page).
import { useState, type FormEvent } from 'react';
import { FormError, SelectField, TextField, fieldErrors } from '../../components/form';
import { usePeople, useGrantRole } from './hooks';
import { grantOf, RoleScopeFields, type RoleChoice } from './scope-picker';

export function GrantForm({ personId: fixedPerson, personName }: { personId?: string; personName?: string }) {
  const [personSearch, setPersonSearch] = useState('');
  const [personId, setPersonId] = useState(fixedPerson ?? '');
  const [choice, setChoice] = useState<RoleChoice>({ role: '', scopeType: '', scopeId: '' });
  const [done, setDone] = useState('');
  const people = usePeople({ limit: 50, sort: 'name', q: personSearch || undefined });
  const grant = useGrantRole();
  const errors = fieldErrors(grant.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    grant.mutate(
      { personId, ...grantOf(choice) },
      {
        onSuccess: (r) => {
          setDone(`Granted ${r.role} at ${r.scopeName ?? r.scopeType} to ${r.personName}.`);
          setChoice({ role: '', scopeType: '', scopeId: '' });
        },
      },
    );
  };
  return (
    <form className="panel form-grid" onSubmit={submit} noValidate aria-labelledby="grant-title">
      <h2 id="grant-title" className="field-wide">
        Grant a role{personName ? ` to ${personName}` : ''}
      </h2>
      {!fixedPerson && (
        <>
          <TextField label="Find person" type="search" value={personSearch} onChange={(e) => setPersonSearch(e.target.value)} />
          <SelectField label="Person" value={personId} onChange={(e) => setPersonId(e.target.value)} error={errors.personId}>
            <option value="">Choose a person</option>
            {people.data?.items.map((p) => (
              <option key={p.personId} value={p.personId}>
                {p.name}
                {p.email ? ` <${p.email}>` : ''}
              </option>
            ))}
          </SelectField>
        </>
      )}
      <RoleScopeFields value={choice} onChange={setChoice} errors={errors} />
      <FormError error={grant.error} />
      {done && (
        <p className="form-ok field-wide" role="status">
          {done}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={grant.isPending || !personId || !choice.role}>
          Grant role
        </button>
      </div>
    </form>
  );
}
