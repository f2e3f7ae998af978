// The patch monitoring part of a site's page: how many hosts report for it, and (for those who
// may) its enrolment tokens: create one (its text shown once), list them, revoke them.
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../lib/api';
import { Link } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { FormError, TextField, fieldErrors } from '../../components/form';
import { Empty, ErrorState, Loading } from '../../components/states';
import { StatusBadge } from '../../components/badge';
import { useCreateEnrolmentToken, useEnrolmentTokens, useHosts, useRevokeEnrolmentToken } from './hooks';
import { CopyButton } from './parts';
import type { EnrolmentToken } from './types';
import { ExceptionForm, ExceptionsTable } from './exceptions';

/** `abilities`: what the reader may do on this site, as the server decided. */
export function SitePatching({ siteId, siteName, abilities }: { siteId: string; siteName: string; abilities: string[] }) {
  if (!abilities.includes('patching:read')) return null;
  return (
    <section className="panel" aria-labelledby="site-patching">
      <h2 id="site-patching">Patch monitoring</h2>
      <HostCount siteId={siteId} siteName={siteName} />
      {abilities.includes('enrolment:manage') && <EnrolmentTokens siteId={siteId} siteName={siteName} />}
      <div role="group" aria-labelledby="site-exceptions">
        <h3 id="site-exceptions">Exceptions</h3>
        <ExceptionsTable query={{ siteId }} caption={`Exceptions of ${siteName}`} empty={`${siteName} has recorded no exception.`} />
        {abilities.includes('exception:manage') && <ExceptionForm sites={[{ siteId, siteName }]} />}
      </div>
    </section>
  );
}

function HostCount({ siteId, siteName }: { siteId: string; siteName: string }) {
  const hosts = useHosts({ limit: 1, siteId });
  const tagged = useHosts({ limit: 1, siteId, tag: 'EGI-Critical' });
  if (hosts.isPending) return <Loading label="hosts" />;
  if (hosts.isError) return <ErrorState label="hosts" error={hosts.error} onRetry={() => void hosts.refetch()} />;
  const n = hosts.data.total;
  return (
    <p>
      <Link to={`/patch-monitoring/hosts?siteId=${siteId}`}>
        {n} host{n === 1 ? '' : 's'} of {siteName} report{n === 1 ? 's' : ''}
      </Link>
      {tagged.data && tagged.data.total > 0 && (
        <>
          {' '}
          ·{' '}
          <Link to={`/patch-monitoring/hosts?siteId=${siteId}&tag=EGI-Critical`}>
            <span className="badge badge-bad">{tagged.data.total} with EGI-Critical CVEs</span>
          </Link>
        </>
      )}
    </p>
  );
}

function tokenState(t: EnrolmentToken) {
  return t.revokedAt ? 'revoked' : 'active';
}

function EnrolmentTokens({ siteId, siteName }: { siteId: string; siteName: string }) {
  const tokens = useEnrolmentTokens(siteId);
  const create = useCreateEnrolmentToken(siteId);
  const revoke = useRevokeEnrolmentToken(siteId);
  const [name, setName] = useState('');
  const errors = fieldErrors(create.error);
  // Outside the reader's sites the server answers 403/404: there is nothing to manage here.
  if (tokens.isError && tokens.error instanceof ApiError && [403, 404].includes(tokens.error.status)) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return;
    create.mutate(name.trim(), { onSuccess: () => setName('') });
  };
  const onRevoke = (t: EnrolmentToken) => {
    if (window.confirm(`Revoke enrolment token ${t.name}? Hosts reporting with it will be refused.`)) revoke.mutate(t.tokenId);
  };
  return (
    <div aria-labelledby="enrolment-tokens" role="group">
      <h3 id="enrolment-tokens">Enrolment tokens</h3>
      <p className="muted small">
        Hosts of {siteName} report with one of these (<span className="mono">Authorization: Bearer …</span>). Revoking a token refuses its hosts at their next
        report.
      </p>
      <form className="form-grid" onSubmit={submit} noValidate aria-label="New enrolment token">
        <TextField
          label="Token name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          placeholder="e.g. worker-nodes"
          maxLength={100}
          required
        />
        <FormError error={create.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={create.isPending || !name.trim()}>
            Create enrolment token
          </button>
        </div>
      </form>
      {create.data && (
        <div className="panel panel-secret" aria-labelledby="enrolment-created">
          <h3 id="enrolment-created">Enrolment token “{create.data.name}” created</h3>
          <p className="notice notice-warn" role="alert">
            Copy this token now. It is shown only once: Vigil keeps only a hash of it.
          </p>
          <div className="secret-row">
            <label htmlFor="new-enrolment-token">Enrolment token value</label>
            <input id="new-enrolment-token" className="mono" readOnly value={create.data.token} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton values={[create.data.token]} label="Copy enrolment token">
              Copy token
            </CopyButton>
          </div>
        </div>
      )}
      {revoke.isError && (
        <p className="form-error" role="alert">
          Could not revoke the token: {errorMessage(revoke.error)}
        </p>
      )}
      {tokens.isPending ? (
        <Loading label="enrolment tokens" />
      ) : tokens.isError ? (
        <ErrorState label="enrolment tokens" error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : tokens.data.items.length === 0 ? (
        <Empty>No enrolment token yet.</Empty>
      ) : (
        <table className="data">
          <caption>
            Enrolment tokens of {siteName} ({tokens.data.items.length})
          </caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((t) => (
              <tr key={t.tokenId}>
                <th scope="row">{t.name}</th>
                <td className="mono">vgr_{t.prefix}…</td>
                <td>
                  <StatusBadge status={tokenState(t)} />
                </td>
                <td className="mono muted nowrap">{formatTime(t.createdAt)}</td>
                <td className="mono muted nowrap">{formatTime(t.lastUsedAt)}</td>
                <td className="row-actions">
                  {!t.revokedAt && (
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      disabled={revoke.isPending}
                      onClick={() => onRevoke(t)}
                      aria-label={`Revoke enrolment token ${t.name}`}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
