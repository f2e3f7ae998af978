// Federation → NGI → site → hosts: counts per group with hosts per risk tag and per lifecycle
// rule. The NGI being looked at is kept in the address (`?ngi=`), so the drill-down can be shared.
// Every site in reach is listed, those that do not report first: which sites do not run the
// client is the NGI officer's first question.
import { Link, useLocation } from '../../lib/router';
import { Empty, ErrorState, Loading } from '../../components/states';
import { usePatchingSummary } from './hooks';

/** `ngiId`: the NGI to show (the home page's); by default the one in the address, or all. */
export function DrillDown({ tags, ngiId: fixedNgi }: { tags: string[]; ngiId?: string }) {
  const fromAddress = useLocation().search.get('ngi') ?? undefined;
  const ngiId = fixedNgi ?? fromAddress;
  const summary = usePatchingSummary(ngiId);
  const ngis = usePatchingSummary(undefined); // names the NGI being looked at
  const rules = [...new Set(summary.data?.items.flatMap((i) => Object.keys(i.byLifecycleRule)) ?? [])].sort();
  const bySite = summary.data?.groupedBy === 'site';
  const ngiName = ngis.data?.items.find((i) => i.id === ngiId)?.name;
  const headingId = `drill-down${fixedNgi ? `-${fixedNgi}` : ''}`;

  return (
    <section className="panel" aria-labelledby={headingId}>
      <div className="panel-head">
        <h2 id={headingId}>{bySite ? `Sites of ${ngiName ?? 'the NGI'}` : 'By NGI'}</h2>
        {ngiId && !fixedNgi && (
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
        <Empty>{bySite ? 'This NGI has no site in your reach.' : 'No NGI is in your reach.'}</Empty>
      ) : (
        <table className="data">
          <caption>{bySite ? 'Sites, those not reporting first' : 'Hosts and sites per NGI'}; a count links to those hosts</caption>
          <thead>
            <tr>
              <th scope="col">{bySite ? 'Site' : 'NGI'}</th>
              {bySite ? (
                <th scope="col">Reporting</th>
              ) : (
                <>
                  <th scope="col" className="num">
                    Sites
                  </th>
                  <th scope="col" className="num">
                    Not reporting
                  </th>
                </>
              )}
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
                    <>
                      <Link to={`/patch-monitoring/hosts?siteId=${encodeURIComponent(g.id)}`}>{g.name}</Link>
                      {g.removed && <span className="badge badge-muted"> removed</span>}
                    </>
                  ) : (
                    <Link to={`/patch-monitoring?ngi=${encodeURIComponent(g.id)}`}>{g.name}</Link>
                  )}
                </th>
                {bySite ? (
                  <td>
                    <Reporting value={g.reporting} />
                  </td>
                ) : (
                  <>
                    <td className="num">{g.sites}</td>
                    <td className="num">
                      {g.sitesNotReporting > 0 ? (
                        <Link to={`/patch-monitoring?ngi=${encodeURIComponent(g.id)}`} className="badge badge-warn">
                          {g.sitesNotReporting}
                        </Link>
                      ) : (
                        0
                      )}
                    </td>
                  </>
                )}
                <td className="num">{g.hosts}</td>
                <td className="num">{g.vulnerable}</td>
                <td className="num">
                  {g.silent > 0 ? (
                    <Link to={`/patch-monitoring/hosts?${bySite ? 'siteId' : 'ngiId'}=${encodeURIComponent(g.id)}&silentDays=7`}>{g.silent}</Link>
                  ) : (
                    0
                  )}
                </td>
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

const REPORTING = { none: 'No host has ever reported', silent: 'Every host silent 7+ days', yes: 'Reporting' } as const;

function Reporting({ value }: { value: 'none' | 'silent' | 'yes' | undefined }) {
  if (!value) return null;
  return <span className={value === 'yes' ? 'muted' : 'badge badge-warn'}>{REPORTING[value]}</span>;
}
