// One host: facts, findings (tag, severity, fix, since), packages with a filter, and their history.
import { useId, useMemo, useState } from 'react';
import { Link } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { FieldList } from '../../components/fields';
import { Empty, QueryView } from '../../components/states';
import { useHost } from './hooks';
import { FixState, HostFlags, PatchingTabs, SeverityBadge, TagBadge } from './parts';
import type { HostDetail, HostFinding } from './types';
import { ExceptionForm, ExceptionsTable } from './exceptions';

const SEVERITY_RANK: Record<string, number> = { critical: 0, important: 1, high: 1, moderate: 2, medium: 2, low: 3 };
const TAG_RANK: Record<string, number> = { 'EGI-Critical': 0, 'EGI-High': 1 };

/** Tagged first, then by severity, then by CVE. */
function byUrgency(a: HostFinding, b: HostFinding): number {
  const tag = (f: HostFinding) => (f.tag ? (TAG_RANK[f.tag] ?? 2) : 3);
  const sev = (f: HostFinding) => SEVERITY_RANK[(f.severity ?? '').toLowerCase()] ?? 4;
  return tag(a) - tag(b) || sev(a) - sev(b) || a.cve.localeCompare(b.cve) || a.package.localeCompare(b.package);
}

export function HostPage({ hostId }: { hostId: string }) {
  const host = useHost(hostId);
  return (
    <QueryView query={host} label="host" notFound="host">
      {(h) => <HostView host={h} />}
    </QueryView>
  );
}

function HostView({ host }: { host: HostDetail }) {
  const findings = useMemo(() => [...host.findings].sort(byUrgency), [host.findings]);
  const cves = new Set(host.findings.map((f) => f.cve)).size;
  return (
    <>
      <PageHeader
        title={host.hostname}
        crumbs={[
          { label: 'Patch monitoring', to: '/patch-monitoring' },
          { label: 'Hosts', to: '/patch-monitoring/hosts' },
        ]}
        subtitle={
          <>
            <Link to={`/registry/sites/${host.siteId}`}>{host.siteName}</Link> · {host.os || 'OS not reported'} · {cves} CVE{cves === 1 ? '' : 's'} on{' '}
            {findings.length} package finding{findings.length === 1 ? '' : 's'}
          </>
        }
      />
      <PatchingTabs />
      <section className="panel" aria-labelledby="host-facts">
        <h2 id="host-facts">Host</h2>
        <FieldList
          items={[
            ['Site', <Link to={`/registry/sites/${host.siteId}`}>{host.siteName}</Link>],
            [
              'Operating system',
              <>
                {host.os || '—'} {host.osKey && <span className="mono muted">({host.osKey})</span>}
              </>,
            ],
            ['Feed release used', <span className="mono">{host.feedRelease ?? '—'}</span>],
            ['Architecture', <span className="mono">{host.arch || '—'}</span>],
            ['Running kernel', <span className="mono">{host.kernel || '—'}</span>],
            ['Packager', <span className="mono">{host.packager}</span>],
            ['Reporting client', <span className="mono">{host.client}</span>],
            ['Report tag', host.tag ?? '—'],
            ['First report', <span className="mono">{formatTime(host.firstReportAt)}</span>],
            ['Last report', <span className="mono">{formatTime(host.lastReportAt)}</span>],
            ['Reports received', String(host.reportCount)],
            ['Flags', <HostFlags flags={host.flags} lastReportAt={host.lastReportAt} />],
            ['Evaluation notes', host.evaluationNotes.length ? <Notes host={host} notes={host.evaluationNotes} /> : '—'],
          ]}
        />
      </section>
      <Findings host={host} findings={findings} />
      <HostExceptions host={host} />
      <Packages host={host} />
      <History host={host} />
    </>
  );
}

/** Notes as sentences; the note's own key stays in the tooltip, as scripts and the docs name it. */
function Notes({ host, notes }: { host: HostDetail; notes: string[] }) {
  return (
    <>
      {notes.map((n) => (
        <span key={n} className="note-sentence" title={n}>
          {host.noteSentences?.[n] ?? n}
        </span>
      ))}
    </>
  );
}

function Findings({ host, findings }: { host: HostDetail; findings: HostFinding[] }) {
  return (
    <section className="panel" aria-labelledby="host-findings">
      <h2 id="host-findings">Findings</h2>
      {findings.length === 0 ? (
        <Empty>No known vulnerability affects the packages {host.hostname} reported.</Empty>
      ) : (
        <table className="data">
          <caption>
            Findings on {host.hostname} ({findings.length})
          </caption>
          <thead>
            <tr>
              <th scope="col">CVE</th>
              <th scope="col">Risk tag</th>
              <th scope="col">Severity</th>
              <th scope="col">Package</th>
              <th scope="col">Installed</th>
              <th scope="col">Fix</th>
              <th scope="col">Since</th>
              <th scope="col">Notes</th>
            </tr>
          </thead>
          <tbody>
            {findings.map((f) => (
              <tr key={`${f.cve}-${f.package}-${f.arch}-${f.definitionId}`}>
                <th scope="row" className="mono">
                  <Link to={`/patch-monitoring/cves/${encodeURIComponent(f.cve)}`}>{f.cve}</Link>
                  {f.advisoryId && <span className="cell-sub">{f.advisoryId}</span>}
                </th>
                <td>
                  {f.tag ? <TagBadge tag={f.tag} /> : <span className="muted">—</span>}
                  {f.exception && (
                    <span className="cell-sub">
                      <span className="badge badge-ok" title={`${f.exception.justification} (until ${f.exception.expiresAt.slice(0, 10)})`}>
                        excepted
                      </span>
                    </span>
                  )}
                  {f.pendingException && (
                    <span className="cell-sub">
                      <span className="badge badge-warn" title={f.pendingException.justification}>
                        exception pending review
                      </span>
                    </span>
                  )}
                </td>
                <td>
                  <SeverityBadge severity={f.severity} />
                </td>
                <td className="mono">{f.package}</td>
                <td className="mono small">{f.installedVersion}</td>
                <td>
                  <FixState available={f.fixAvailable} />
                  {f.fixedVersion && <span className="cell-sub">{f.fixedVersion}</span>}
                  {f.notes.includes('policy:fixed-version-unknown') && <span className="cell-sub">version not stated by the vendor</span>}
                  {f.notes.includes('policy:fix-needs-ubuntu-pro') && <span className="cell-sub">needs Ubuntu Pro (ESM)</span>}
                </td>
                <td className="mono muted nowrap" title={formatTime(f.since)}>
                  {f.since ? f.since.slice(0, 10) : '—'}
                </td>
                <td className="notes">
                  <Notes host={host} notes={f.notes} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Packages({ host }: { host: HostDetail }) {
  const id = useId();
  const [filter, setFilter] = useState('');
  const shown = host.packages.filter((p) => !filter || p.name.toLowerCase().includes(filter.trim().toLowerCase()));
  const vulnerable = new Set(host.findings.map((f) => `${f.package}\t${f.installedVersion}`));
  return (
    <section className="panel" aria-labelledby="host-packages">
      <div className="panel-head">
        <h2 id="host-packages">Packages</h2>
        <div className="search-box">
          <label htmlFor={id}>Filter packages</label>
          <input id={id} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Package name…" />
        </div>
      </div>
      {host.packages.length === 0 ? (
        <Empty>No package list stored for this host yet.</Empty>
      ) : (
        <>
          <table className="data">
            <caption>
              Packages of {host.hostname} ({filter ? `${shown.length} of ${host.packages.length}` : host.packages.length})
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Version</th>
                <th scope="col">Arch</th>
                <th scope="col">Findings</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={`${p.name}-${p.version}-${p.arch}`}>
                  <th scope="row" className="mono">
                    {p.name}
                  </th>
                  <td className="mono">{p.version}</td>
                  <td className="mono muted">{p.arch}</td>
                  <td>{vulnerable.has(`${p.name}\t${p.version}`) ? <span className="badge badge-bad">vulnerable</span> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown.length === 0 && <Empty>No package matches “{filter}”.</Empty>}
        </>
      )}
    </section>
  );
}

function History({ host }: { host: HostDetail }) {
  const fixed = host.findingHistory.filter((h) => h.fixedAt);
  return (
    <div className="two-col">
      <section className="panel" aria-labelledby="finding-history">
        <h2 id="finding-history">Finding history</h2>
        {host.findingHistory.length === 0 ? (
          <Empty>No finding recorded on this host.</Empty>
        ) : (
          <table className="data">
            <caption>
              When each finding appeared and was fixed ({fixed.length} fixed of {host.findingHistory.length})
            </caption>
            <thead>
              <tr>
                <th scope="col">CVE</th>
                <th scope="col">Package</th>
                <th scope="col">First seen</th>
                <th scope="col">Fixed</th>
              </tr>
            </thead>
            <tbody>
              {host.findingHistory.map((h) => (
                <tr key={`${h.cve}-${h.package}-${h.firstSeenAt}`}>
                  <th scope="row" className="mono">
                    <Link to={`/patch-monitoring/cves/${encodeURIComponent(h.cve)}`}>{h.cve}</Link>
                  </th>
                  <td className="mono">{h.package}</td>
                  <td className="mono muted nowrap">{formatTime(h.firstSeenAt)}</td>
                  <td className="nowrap">
                    {h.fixedAt ? <span className="mono">{formatTime(h.fixedAt)}</span> : <span className="badge badge-warn">still open</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="panel" aria-labelledby="package-history">
        <h2 id="package-history">Package changes</h2>
        {host.packageEvents.length === 0 ? (
          <Empty>No package change since the first report ({formatTime(host.firstReportAt)}).</Empty>
        ) : (
          <table className="data">
            <caption>Package versions that arrived or left after the first report ({host.packageEvents.length})</caption>
            <thead>
              <tr>
                <th scope="col">Package</th>
                <th scope="col">Version</th>
                <th scope="col">Arrived</th>
                <th scope="col">Left</th>
              </tr>
            </thead>
            <tbody>
              {host.packageEvents.map((e) => (
                <tr key={`${e.name}-${e.version}-${e.arch}-${e.appearedAt ?? ''}`}>
                  <th scope="row" className="mono">
                    {e.name}
                  </th>
                  <td className="mono small">{e.version}</td>
                  <td className="mono muted nowrap">{e.appearedAt ? formatTime(e.appearedAt) : 'first report'}</td>
                  <td className="mono muted nowrap">{e.disappearedAt ? formatTime(e.disappearedAt) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** The exceptions that may cover this host's findings, and (for its site's security officers) the form to record one. */
function HostExceptions({ host }: { host: HostDetail }) {
  const cves = [...new Set(host.findings.map((f) => f.cve))].sort();
  return (
    <section className="panel" aria-labelledby="host-exceptions">
      <h2 id="host-exceptions">Exceptions</h2>
      <p className="muted small">
        An excepted finding stays listed above, marked, but leaves the CVE pages, the exports and the probe. An exception to a CVE the CSIRT has tagged takes
        effect once the CSIRT accepts it.
      </p>
      <ExceptionsTable
        query={{ siteId: host.siteId, hostId: host.hostId }}
        caption={`Exceptions for ${host.hostname}`}
        empty={`No exception covers ${host.hostname}.`}
      />
      {host.abilities?.includes('exception:manage') && cves.length > 0 && (
        <ExceptionForm sites={[{ siteId: host.siteId, siteName: host.siteName }]} cves={cves} hostId={host.hostId} hostname={host.hostname} />
      )}
    </section>
  );
}
