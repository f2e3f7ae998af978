// Search by package (issue 11): which hosts within your roles run a package, optionally only
// below or from a version, compared in each host's own package manager's order (rpm or dpkg).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useSearchState } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { Empty, ErrorState, Loading } from '../../components/states';
import { Pager } from '../../components/table';
import { PatchingTabs } from './parts';
import { usePackageSearch } from './cve-list-hooks';

const FIELDS = [
  { key: 'name', label: 'Package name', placeholder: 'openssh-server', required: true },
  { key: 'below', label: 'Older than version', placeholder: '8.7p1-38.el9', required: false },
  { key: 'atLeast', label: 'From version', placeholder: '8.0', required: false },
  { key: 'distribution', label: 'Distribution', placeholder: 'rocky:9 or debian', required: false },
] as const;
type Field = (typeof FIELDS)[number]['key'];

function SearchForm({ values, onSearch }: { values: Record<Field, string>; onSearch: (v: Record<Field, string>) => void }) {
  const id = useId();
  const [text, setText] = useState(values);
  const [error, setError] = useState('');
  const key = JSON.stringify(values);
  useEffect(() => setText(JSON.parse(key) as Record<Field, string>), [key]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!text.name.trim()) {
      setError('Enter the package name as hosts report it, such as openssh-server.');
      return;
    }
    setError('');
    onSearch({ name: text.name.trim(), below: text.below.trim(), atLeast: text.atLeast.trim(), distribution: text.distribution.trim().toLowerCase() });
  };
  return (
    <form role="search" aria-label="Package search" className="toolbar" onSubmit={submit} noValidate>
      {FIELDS.map((f) => (
        <div className="toolbar-field" key={f.key}>
          <label htmlFor={`${id}-${f.key}`}>{f.label}</label>
          <input
            id={`${id}-${f.key}`}
            className="mono"
            value={text[f.key]}
            placeholder={f.placeholder}
            onChange={(e) => setText({ ...text, [f.key]: e.target.value })}
            aria-invalid={f.required && error ? true : undefined}
            aria-describedby={f.required && error ? `${id}-e` : undefined}
          />
        </div>
      ))}
      <div className="toolbar-field">
        <button type="submit" className="btn">
          Search
        </button>
      </div>
      {error && (
        <p className="field-error" id={`${id}-e`}>
          {error}
        </p>
      )}
    </form>
  );
}

export function PackageSearchPage() {
  const [search, set] = useSearchState();
  const values = {
    name: search.get('name') ?? '',
    below: search.get('below') ?? '',
    atLeast: search.get('atLeast') ?? '',
    distribution: search.get('distribution') ?? '',
  };
  const limit = Number(search.get('limit') ?? 50) || 50;
  const offset = Number(search.get('offset') ?? 0) || 0;
  const hosts = usePackageSearch({
    name: values.name || undefined,
    below: values.below || undefined,
    atLeast: values.atLeast || undefined,
    distribution: values.distribution || undefined,
    limit,
    offset,
  });
  const range = [values.atLeast && `from ${values.atLeast}`, values.below && `older than ${values.below}`].filter(Boolean).join(' and ');

  return (
    <>
      <PageHeader
        title="Packages"
        crumbs={[{ label: 'Patch monitoring', to: '/patch-monitoring' }]}
        subtitle="Which hosts within your roles run a package, by name and version range. Versions compare in each host's own order (rpm or dpkg)."
      />
      <PatchingTabs />
      <SearchForm values={values} onSearch={(v) => set({ ...v, offset: undefined })} />
      <p className="muted small">
        Without a distribution, the bounds are compared on every host, rpm and dpkg alike: an epoch (<span className="mono">1:</span>) puts a version above any
        without one.
      </p>
      {!values.name ? (
        <Empty>Name a package to see the hosts that run it.</Empty>
      ) : hosts.isPending ? (
        <Loading label="hosts" />
      ) : hosts.isError ? (
        <ErrorState label="hosts" error={hosts.error} onRetry={() => void hosts.refetch()} />
      ) : (
        <div className={`table-wrap ${hosts.isPlaceholderData ? 'is-stale' : ''}`} aria-busy={hosts.isFetching}>
          <table className="data">
            <caption>{`Hosts running ${values.name}${range ? ` ${range}` : ''}${values.distribution ? ` on ${values.distribution}` : ''} (${hosts.data.total})`}</caption>
            <thead>
              <tr>
                <th scope="col">Host</th>
                <th scope="col">Site</th>
                <th scope="col">OS</th>
                <th scope="col">Installed</th>
                <th scope="col">Last report</th>
              </tr>
            </thead>
            <tbody>
              {hosts.data.items.map((h) => (
                <tr key={h.hostId}>
                  <th scope="row" className="mono">
                    <Link to={`/patch-monitoring/hosts/${h.hostId}`}>{h.hostname}</Link>
                  </th>
                  <td className="mono">
                    <Link to={`/registry/sites/${h.siteId}`}>{h.siteName}</Link>
                  </td>
                  <td className="mono" title={h.os}>
                    {h.osKey ?? <span className="badge badge-warn">unknown</span>}
                  </td>
                  <td className="mono">{h.packages.map((p) => `${p.version} (${p.arch})`).join(', ')}</td>
                  <td className="mono muted nowrap">{formatTime(h.lastReportAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {hosts.data.items.length === 0 && <Empty>No host within your roles runs {values.name} in this range.</Empty>}
          <Pager
            label="Hosts"
            total={hosts.data.total}
            limit={limit}
            offset={offset}
            onChange={(o, l) => set({ offset: o || undefined, limit: l === 50 ? undefined : l })}
          />
        </div>
      )}
    </>
  );
}
