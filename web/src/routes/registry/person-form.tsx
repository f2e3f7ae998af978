// Add a person (with an optional first role) or edit their name, e-mail, DN and Check-in subject.
import { useState, type FormEvent } from 'react';
import { navigate } from '../../lib/router';
import { useCan } from '../../lib/session';
import type { Person } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { FormError, TextField, fieldErrors } from '../../components/form';
import { QueryView } from '../../components/states';
import { bodyOf, str, useFormValues } from './form-state';
import { usePerson, useSavePerson } from './hooks';
import { grantOf, RoleScopeFields, type RoleChoice } from './scope-picker';

const OPTIONAL = ['email', 'dn', 'checkinSubject'];

export function PersonEditPage({ personId }: { personId: string }) {
  const person = usePerson(personId);
  return (
    <QueryView query={person} label="person" notFound="person">
      {(p) => <PersonForm person={p} />}
    </QueryView>
  );
}

export function PersonForm({ person }: { person?: Person }) {
  const initial = { name: str(person?.name), email: str(person?.email), dn: str(person?.dn), checkinSubject: str(person?.checkinSubject) };
  const form = useFormValues(initial);
  const [choice, setChoice] = useState<RoleChoice>({ role: '', scopeType: '', scopeId: '' });
  const save = useSavePerson();
  // Who someone is (DN, Check-in subject) is set at federation level only; an officer's new
  // person gets a name and a contact e-mail the GOCDB import does not match on.
  const federationLevel = useCan()('person:write');
  const errors = fieldErrors(save.error);
  const grantErrors = Object.fromEntries(
    Object.entries(errors)
      .filter(([k]) => k === 'grant')
      .map(([, v]) => ['role', v]),
  );

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = bodyOf(form.values, OPTIONAL, person ? initial : undefined);
    if (!person && choice.role) body.grant = grantOf(choice);
    if (person && Object.keys(body).length === 0) return navigate(`/registry/people/${person.personId}`);
    save.mutate({ id: person?.personId, body }, { onSuccess: (saved) => navigate(`/registry/people/${saved.personId}`) });
  };
  return (
    <>
      <PageHeader title={person ? `Edit ${person.name}` : 'Add a person'} crumbs={[{ label: 'People', to: '/registry/people' }]} />
      <form className="panel form-grid" onSubmit={submit} noValidate>
        <TextField label="Full name" required {...form.text('name')} error={errors.name} autoComplete="off" />
        <TextField
          label="E-mail"
          type="email"
          {...form.text('email')}
          error={errors.email}
          hint={federationLevel ? undefined : 'A contact address, unverified until a federation administrator confirms it.'}
        />
        {federationLevel && (
          <>
            <TextField label="Certificate DN" className="mono field-wide" {...form.text('dn')} error={errors.dn} placeholder="/DC=org/DC=example/CN=Jane Doe" />
            <TextField label="Check-in subject" className="mono" {...form.text('checkinSubject')} error={errors.checkinSubject} />
          </>
        )}
        {!person && (
          <fieldset className="field-wide form-grid">
            <legend>First role</legend>
            <RoleScopeFields value={choice} onChange={setChoice} errors={grantErrors} allowNone />
          </fieldset>
        )}
        <FormError error={save.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {person ? 'Save changes' : 'Add person'}
          </button>
          <button type="button" className="btn" onClick={() => history.back()}>
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}
