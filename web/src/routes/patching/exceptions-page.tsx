// Exceptions in the reader's reach, by state. For the CSIRT it is the review queue: pending
// exceptions to tagged CVEs take effect only once accepted here, so a site cannot make an
// EGI-Critical finding vanish on its own. Site security officers follow their own here.
import { useId } from 'react';
import { useSearchState } from '../../lib/router';
import { useCan } from '../../lib/session';
import { PageHeader } from '../../components/page';
import { PatchingTabs } from './parts';
import { ExceptionsTable } from './exceptions';
import type { ExceptionStatus } from './types';

const STATUSES: Array<[ExceptionStatus, string]> = [
  ['pending', 'Pending review'],
  ['accepted', 'Accepted'],
  ['rejected', 'Rejected'],
];
const isStatus = (v: string | null): v is ExceptionStatus => STATUSES.some(([s]) => s === v);

export function ExceptionsPage() {
  const [search, set] = useSearchState();
  const raw = search.get('status');
  const status: ExceptionStatus = isStatus(raw) ? raw : 'pending';
  const statusId = useId();
  const reviews = useCan()('exception:review');
  const label = STATUSES.find(([s]) => s === status)![1];
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
      <div className="toolbar">
        <div className="toolbar-field">
          <label htmlFor={statusId}>State</label>
          <select id={statusId} value={status} onChange={(e) => set({ status: e.target.value === 'pending' ? undefined : e.target.value })}>
            {STATUSES.map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </div>
      </div>
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
    </>
  );
}
