// Federation → NGI → site → hosts: counts per group with hosts per risk tag and per lifecycle
// rule. The NGI being looked at is kept in the address (`?ngi=`), so the drill-down can be shared.
import { Link, useLocation } from '../../lib/router';
import { Empty, ErrorState, Loading } from '../../components/states';
import { usePatchingSummary } from './hooks';

export function DrillDown({ tags }: { tags: string[] }) {
  const ngiId = useLocation().search.get('ngi') ?? undefined;
  const summary = usePatchingSummary(ngiId);
  const ngis = usePatchingSummary(undefined); // names the NGI being looked at
  const rules = [...new Set(summary.data?.items.flatMap((i) => Object.keys(i.byLifecycleRule)) ?? [])].sort();
  const bySite = summary.data?.groupedBy === 'site';
  const ngiName = ngis.data?.items.find((i) => i.id === ngiId)?.name;

  return (
    <section className="panel" aria-labelledby="drill-down">
      <div className="panel-head">
        <h2 id="drill-down">{bySite ? `Sites of ${ngiName ?? 'the NGI'}` : 'By NGI'}</h2>
        {ngiId && (
          <Link to="/patch-monitoring" className="small">
            All NGIs
          </Link>
        )}
      </div>
      {summary.isPending ? (
        <Loading label="summary" />
      ) : summary.isError ? (
        <ErrorState label="summary" error={summary.error} onRetry={() => void summary.refetch()} />
      ) : summary.data.items.length === 0 ? (
        <Empty>No host has reported yet.</Empty>
      ) : (
        <table className="data">
          <caption>Hosts per {bySite ? 'site' : 'NGI'}; a count links to those hosts</caption>
          <thead>
            <tr>
              <th scope="col">{bySite ? 'Site' : 'NGI'}</th>
              <th scope="col" className="num">
                Hosts
              </th>
              <th scope="col" className="num">
                Vulnerable
              </th>
              <th scope="col" className="num">
                Silent
              </th>
              {tags.map((t) => (
                <th key={t} scope="col" className="num">
                  {t}
                </th>
              ))}
              {rules.map((r) => (
                <th key={r} scope="col" className="num" title="lifecycle rule">
                  {r}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {summary.data.items.map((g) => (
              <tr key={g.id}>
                <th scope="row">
                  {bySite ? (
                    <Link to={`/patch-monitoring/hosts?siteId=${encodeURIComponent(g.id)}`}>{g.name}</Link>
                  ) : (
                    <Link to={`/patch-monitoring?ngi=${encodeURIComponent(g.id)}`}>{g.name}</Link>
                  )}
                </th>
                <td className="num">{g.hosts}</td>
                <td className="num">{g.vulnerable}</td>
                <td className="num">{g.silent}</td>
                {tags.map((t) => (
                  <td key={t} className="num">
                    {g.byTag[t] && bySite ? (
                      <Link to={`/patch-monitoring/hosts?siteId=${encodeURIComponent(g.id)}&tag=${encodeURIComponent(t)}`}>{g.byTag[t]}</Link>
                    ) : (
                      (g.byTag[t] ?? 0)
                    )}
                  </td>
                ))}
                {rules.map((r) => (
                  <td key={r} className="num">
                    {g.byLifecycleRule[r] ?? 0}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
