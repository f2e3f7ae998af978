// Exceptions on the host, CVE and site pages and in the CSIRT's review queue: the list (with
// what each exception's state means for the findings), revoking, accepting or rejecting with a
// reason, and the form a site security officer records one with. The server decides who may do
// what: rows carry `abilities`.
import { useState, type FormEvent } from 'react';
import { Link } from '../../lib/router';
import { errorMessage } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { FormError, FormFoot, SelectField, TextArea, TextField, fieldErrors } from '../../components/form';
import { Empty, ErrorState, Loading } from '../../components/states';
import { useAcceptException, useCreateException, useExceptions, useRejectException, useRevokeException, type ExceptionQuery } from './hooks';
import type { FindingException } from './types';

/** What an exception's state does to its findings, in words. */
export function ExceptionState({ e }: { e: FindingException }) {
  if (e.revokedAt) return <span className="badge badge-muted">revoked</span>;
  if (e.status === 'rejected') return <span className="badge badge-bad">rejected</span>;
  if (e.status === 'pending') return <span className="badge badge-warn">pending CSIRT review</span>;
  if (!e.inEffect) return <span className="badge badge-muted">expired</span>;
  return <span className="badge badge-ok">in effect</span>;
}

const scopeOf = (e: FindingException) =>
  [e.hostname ? `host ${e.hostname}` : null, e.packageName ? `package ${e.packageName}` : null, e.osKey ? `OS ${e.osKey}` : null].filter(Boolean).join(', ') ||
  'every host of the site';

export function ExceptionsTable({ query, caption, empty }: { query: ExceptionQuery; caption: string; empty: string }) {
  const list = useExceptions(query);
  const accept = useAcceptException();
  const reject = useRejectException();
  const revoke = useRevokeException();
  const [rejecting, setRejecting] = useState<FindingException | null>(null);
  const [reason, setReason] = useState('');
  if (list.isPending) return <Loading label="exceptions" />;
  if (list.isError) return <ErrorState label="exceptions" error={list.error} onRetry={() => void list.refetch()} />;
  const items = list.data.items;
  const failed = accept.error ?? reject.error ?? revoke.error;
  const name = (e: FindingException) => `${e.cve} at ${e.siteName}${e.hostname ? ` on ${e.hostname}` : ''}`;
  const onRevoke = (e: FindingException) => {
    if (window.confirm(`Revoke the exception for ${name(e)}? Its findings count again at once.`)) revoke.mutate(e.exceptionId);
  };
  const submitReject = (event: FormEvent) => {
    event.preventDefault();
    if (!rejecting || reason.trim().length < 3) return;
    reject.mutate({ id: rejecting.exceptionId, reason: reason.trim() }, { onSuccess: () => (setRejecting(null), setReason('')) });
  };
  return (
    <>
      {failed && (
        <p className="form-error" role="alert">
          Could not change the exception: {errorMessage(failed)}
        </p>
      )}
      {items.length === 0 ? (
        <Empty>{empty}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption>
              {caption} ({items.length})
            </caption>
            <thead>
              <tr>
                <th scope="col">CVE</th>
                <th scope="col">Site</th>
                <th scope="col">Applies to</th>
                <th scope="col">Justification</th>
                <th scope="col">State</th>
                <th scope="col">Expires</th>
                <th scope="col">Recorded</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.exceptionId}>
                  <th scope="row" className="mono">
                    <Link to={`/patch-monitoring/cves/${encodeURIComponent(e.cve)}`}>{e.cve}</Link>
                  </th>
                  <td>{e.siteName}</td>
                  <td>{e.hostId && e.hostname ? <Link to={`/patch-monitoring/hosts/${e.hostId}`}>{scopeOf(e)}</Link> : scopeOf(e)}</td>
                  <td className="wrap">{e.justification}</td>
                  <td>
                    <ExceptionState e={e} />
                    {e.reviewedBy && (
                      <span className="cell-sub">
                        {e.status} by {e.reviewedBy}
                        {e.reviewReason ? `: ${e.reviewReason}` : ''}
                      </span>
                    )}
                  </td>
                  <td className="mono muted nowrap">{e.expiresAt.slice(0, 10)}</td>
                  <td className="muted small">
                    {e.createdBy}
                    <span className="cell-sub mono">{formatTime(e.createdAt)}</span>
                  </td>
                  <td className="row-actions">
                    {e.status === 'pending' && !e.revokedAt && e.abilities.includes('exception:review') && (
                      <>
                        <button
                          type="button"
                          className="btn btn-small btn-primary"
                          disabled={accept.isPending}
                          onClick={() => accept.mutate(e.exceptionId)}
                          aria-label={`Accept the exception for ${name(e)}`}
                        >
                          Accept
                        </button>
                        <button type="button" className="btn btn-small" onClick={() => setRejecting(e)} aria-label={`Reject the exception for ${name(e)}`}>
                          Reject
                        </button>
                      </>
                    )}
                    {!e.revokedAt && e.status !== 'rejected' && e.abilities.includes('exception:manage') && (
                      <button
                        type="button"
                        className="btn btn-small btn-danger"
                        disabled={revoke.isPending}
                        onClick={() => onRevoke(e)}
                        aria-label={`Revoke the exception for ${name(e)}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rejecting && (
        <form className="form-grid" onSubmit={submitReject} noValidate aria-label={`Reject the exception for ${name(rejecting)}`}>
          <TextArea
            label="Reason for rejecting"
            value={reason}
            onChange={(ev) => setReason(ev.target.value)}
            maxLength={1000}
            rows={2}
            hint="The site reads it: what is wrong with the justification, or what to do instead."
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-danger" disabled={reject.isPending || reason.trim().length < 3}>
              Reject exception
            </button>
            <button type="button" className="btn" onClick={() => setRejecting(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </>
  );
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * A site security officer records an exception: for one CVE (chosen among `cves`, or typed), on
 * one site (chosen among `sites` when there are several), optionally for one host or package.
 */
export function ExceptionForm({
  sites,
  cves,
  cve,
  hostId,
  hostname,
}: {
  sites: Array<{ siteId: string; siteName: string }>;
  cves?: string[];
  cve?: string;
  hostId?: string;
  hostname?: string;
}) {
  const create = useCreateException();
  const [siteId, setSiteId] = useState(sites.length === 1 ? sites[0]!.siteId : '');
  const [chosenCve, setCve] = useState(cve ?? '');
  const [packageName, setPackage] = useState('');
  const [justification, setJustification] = useState('');
  const [expires, setExpires] = useState(inDays(90));
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');
  const errors = { ...fieldErrors(create.error), ...missing };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    const need: Record<string, string> = {};
    if (!siteId) need.siteId = 'Choose the site.';
    if (!chosenCve.trim()) need.cve = 'Choose the CVE.';
    if (justification.trim().length < 10) need.justification = 'Say why the finding does not apply (at least 10 characters).';
    if (!expires) need.expiresAt = 'Choose when it expires (at most a year).';
    setMissing(need);
    if (Object.keys(need).length > 0) return;
    create.mutate(
      {
        siteId,
        cve: chosenCve.trim().toUpperCase(),
        ...(hostId ? { hostId } : {}),
        ...(packageName.trim() ? { packageName: packageName.trim() } : {}),
        justification: justification.trim(),
        expiresAt: new Date(`${expires}T23:59:59Z`).toISOString(),
      },
      {
        onSuccess: (e) => {
          setDone(
            e.status === 'pending'
              ? `Recorded for ${e.cve}: the CSIRT has tagged it, so the exception takes effect once the CSIRT accepts it.`
              : `Recorded for ${e.cve}: in effect now.`,
          );
          setJustification('');
          setPackage('');
          if (!cve) setCve('');
        },
      },
    );
  };
  return (
    <form className="form-grid" onSubmit={submit} noValidate aria-labelledby="exception-form-title">
      <h3 id="exception-form-title">Record an exception{hostname ? ` on ${hostname}` : ''}</h3>
      {sites.length > 1 && (
        <SelectField label="Site" value={siteId} onChange={(e) => setSiteId(e.target.value)} error={errors.siteId} required>
          <option value="">Choose a site</option>
          {sites.map((s) => (
            <option key={s.siteId} value={s.siteId}>
              {s.siteName}
            </option>
          ))}
        </SelectField>
      )}
      {cve ? null : cves ? (
        <SelectField label="CVE" value={chosenCve} onChange={(e) => setCve(e.target.value)} error={errors.cve} required>
          <option value="">Choose a CVE</option>
          {cves.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </SelectField>
      ) : (
        <TextField
          label="CVE"
          className="mono"
          value={chosenCve}
          onChange={(e) => setCve(e.target.value)}
          error={errors.cve}
          placeholder="CVE-2024-6387"
          maxLength={40}
          required
        />
      )}
      <TextField
        label="Package (optional)"
        className="mono"
        value={packageName}
        onChange={(e) => setPackage(e.target.value)}
        error={errors.packageName}
        maxLength={200}
        hint="Leave empty to cover every package the CVE affects."
      />
      <TextField label="Expires" type="date" value={expires} onChange={(e) => setExpires(e.target.value)} error={errors.expiresAt} max={inDays(366)} required />
      <TextArea
        label="Justification"
        value={justification}
        onChange={(e) => setJustification(e.target.value)}
        error={errors.justification}
        maxLength={2000}
        rows={2}
        hint="Why the finding does not apply here (a rebuilt package, a mitigation in place). For a CVE the CSIRT has tagged, the CSIRT reviews it first."
      />
      <FormFoot error={create.error} pending={create.isPending} submit="Record exception" done={done} />
    </form>
  );
}
