// Exceptions in the reader's reach, by state. For the CSIRT it is the review queue: pending
// exceptions to tagged CVEs take effect only once accepted here, so a site cannot make an
// EGI-Critical finding vanish on its own. Site security officers follow their own here.
import { useState, type FormEvent } from 'react';
import { useCan } from '../../lib/session';
import { PageHeader } from '../../components/page';
import { PatchingTabs, useStatusFilter } from './parts';
import { ExceptionsTable } from './exceptions';
import { useExceptionPolicy, useSetExceptionPolicy, type ExceptionPolicy } from './hooks';
import { QueryView } from '../../components/states';
import { CheckboxField, FormError } from '../../components/form';
import type { ExceptionStatus } from './types';

const STATES = [
  ['pending', 'Pending review'],
  ['accepted', 'Accepted'],
  ['rejected', 'Rejected'],
] as const satisfies ReadonlyArray<readonly [ExceptionStatus, string]>;

export function ExceptionsPage() {
  const { status, label, select } = useStatusFilter(STATES, 'State');
  const reviews = useCan()('exception:review');
  return (
    <>
      <PageHeader
        title="Exceptions"
        crumbs={[{ label: 'Patch monitoring', to: '/patch-monitoring' }]}
        subtitle={
          reviews
            ? 'Exceptions sites recorded to CVEs you have tagged wait here: accept one and its findings are excepted everywhere; reject it with a reason the site reads.'
            : 'Exceptions of your sites. One to a CVE the CSIRT has tagged takes effect once the CSIRT accepts it.'
        }
      />
      <PatchingTabs />
      <div className="toolbar">{select}</div>
      <section className="panel" aria-labelledby="exceptions-title">
        <h2 id="exceptions-title" className="sr-only">
          {label} exceptions
        </h2>
        <ExceptionsTable
          query={{ status }}
          caption={`${label} exceptions`}
          empty={status === 'pending' ? 'No exception is waiting for review.' : `No ${status} exception.`}
        />
      </section>
      <ReviewPolicy />
    </>
  );
}

/** Which tag levels' exceptions wait for the CSIRT: read by all, set by the CSIRT. */
function ReviewPolicy() {
  const policy = useExceptionPolicy();
  return (
    <section className="panel" aria-labelledby="exception-policy-title">
      <h2 id="exception-policy-title">Review policy</h2>
      <QueryView query={policy} label="the review policy">
        {(p) => <PolicyView policy={p} />}
      </QueryView>
    </section>
  );
}

function PolicyView({ policy }: { policy: ExceptionPolicy }) {
  const reviews = useCan()('exception:review');
  const save = useSetExceptionPolicy();
  const [auto, setAuto] = useState(policy.autoAcceptTags);
  const [saved, setSaved] = useState('');
  const reviewed = policy.allowedTags.filter((t) => !policy.autoAcceptTags.includes(t));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved('');
    save.mutate(auto, { onSuccess: () => setSaved('Saved.') });
  };
  return (
    <>
      <p>
        {reviewed.length > 0 ? `An exception to a CVE tagged ${reviewed.join(' or ')} takes effect only once the CSIRT accepts it. ` : ''}
        {policy.autoAcceptTags.length > 0
          ? `One to a CVE tagged ${policy.autoAcceptTags.join(' or ')} takes effect at once, by the CSIRT's policy (it is still listed here).`
          : 'No tag level is exempt from review.'}{' '}
        An exception to an untagged CVE takes effect at once.
      </p>
      {reviews && (
        <form className="policy-form" onSubmit={submit} aria-label="Tags whose exceptions take effect without review">
          <fieldset className="plain-fieldset">
            <legend className="muted small">Exceptions to CVEs with these tags take effect without review:</legend>
            {policy.allowedTags.map((t) => (
              <CheckboxField
                key={t}
                label={t}
                checked={auto.includes(t)}
                onChange={(e) => setAuto(e.target.checked ? [...auto, t] : auto.filter((x) => x !== t))}
              />
            ))}
          </fieldset>
          <FormError error={save.error} />
          <div className="form-actions">
            <button type="submit" className="btn" disabled={save.isPending}>
              Save policy
            </button>
            <span role="status" className="form-ok-text">
              {saved}
            </span>
          </div>
        </form>
      )}
    </>
  );
}
