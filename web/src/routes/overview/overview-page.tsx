// Overview, the home page: first what each part asks of this person today (its home panels:
// their site, their NGI's sites, the CSIRT's tagged CVEs), then registry totals and sites by
// certification status, from the live registry.
import { Link } from '../../lib/router';
import { useSession } from '../../lib/session';
import { CERTIFICATION_STATUSES } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { StatusBadge } from '../../components/badge';
import { useNgis, usePeople, useSites, useVos } from '../registry/hooks';
import { GrantLabel } from '../../shell/grant-label';
import { PLANNED_PARTS } from '../placeholder/placeholder-page';
import { HomePanels } from '../../lib/module-kit';

function Count({ label, to, total, pending, error }: { label: string; to: string; total?: number; pending: boolean; error: boolean }) {
  return (
    <Link to={to} className="stat">
      <span className="stat-value">{pending ? '…' : error ? '!' : total}</span>
      <span className="stat-label">{label}</span>
    </Link>
  );
}

function StatusCount({ status }: { status: string }) {
  const q = useSites({ limit: 1, certificationStatus: status });
  return (
    <li>
      <Link to={`/registry/sites?certificationStatus=${status}`}>
        <StatusBadge status={status} />
      </Link>
      <span className="mono">{q.data?.total ?? (q.isError ? '!' : '…')}</span>
    </li>
  );
}

export function OverviewPage() {
  const session = useSession();
  const ngis = useNgis({ limit: 1 });
  const sites = useSites({ limit: 1 });
  const vos = useVos({ limit: 1 });
  const people = usePeople({ limit: 1 });
  return (
    <>
      <PageHeader title="Overview" subtitle="What you can see of the federation, within your roles." />
      <HomePanels />
      <div className="stats">
        <Count label="NGIs" to="/registry/ngis" total={ngis.data?.total} pending={ngis.isPending} error={ngis.isError} />
        <Count label="Sites" to="/registry/sites" total={sites.data?.total} pending={sites.isPending} error={sites.isError} />
        <Count label="VOs" to="/registry/vos" total={vos.data?.total} pending={vos.isPending} error={vos.isError} />
        <Count label="People" to="/registry/people" total={people.data?.total} pending={people.isPending} error={people.isError} />
      </div>
      <div className="two-col">
        <section className="panel" aria-labelledby="by-status">
          <h2 id="by-status">Sites by certification status</h2>
          <ul className="status-counts">
            {CERTIFICATION_STATUSES.map((s) => (
              <StatusCount key={s} status={s} />
            ))}
          </ul>
        </section>
        <section className="panel" aria-labelledby="your-roles">
          <h2 id="your-roles">Your roles</h2>
          <ul className="plain">
            {session.grants.map((g) => (
              <li key={`${g.role}-${g.scopeId}`}>
                <GrantLabel grant={g} />
              </li>
            ))}
          </ul>
          <p className="muted small">
            Permissions: <span className="mono">{session.permissions.join(' ')}</span>
          </p>
        </section>
      </div>
      <section className="panel" aria-labelledby="coming">
        <h2 id="coming">Not available yet in this version</h2>
        <ul className="plain columns">
          {PLANNED_PARTS.map((p) => (
            <li key={p.path}>
              <Link to={p.path}>{p.title}</Link>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
