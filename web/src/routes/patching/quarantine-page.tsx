// Reports held for review (a site that does not exist, no site, an enrolment token of another
// site): release each into the site it belongs to, or reject it with a reason. The CSIRT sees
// them all; an NGI security officer those naming a site of their NGI.
import { useId, useState, type FormEvent } from 'react';
import { Link, useSearchState } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { SearchBox } from '../../components/search-box';
import { Empty, ErrorState, Loading } from '../../components/states';
import { Pager } from '../../components/table';
import { FormError, TextArea, fieldErrors } from '../../components/form';
import { useSites } from '../registry/hooks';
import { useQuarantine, useRejectQuarantined, useReleaseQuarantined } from './hooks';
import { PatchingTabs, useStatusFilter } from './parts';
import type { QuarantineEntry, QuarantineStatus } from './types';
import './quarantine.css';

const STATES = [
  ['pending', 'Pending'],
  ['released', 'Released'],
  ['rejected', 'Rejected'],
] as const satisfies ReadonlyArray<readonly [QuarantineStatus, string]>;

export function QuarantinePage() {
  const [search, set] = useSearchState();
  const { status, label: statusLabel, select } = useStatusFilter(STATES, 'Status');
  const q = search.get('q') ?? '';
  const limit = Number(search.get('limit') ?? 50) || 50;
  const offset = Number(search.get('offset') ?? 0) || 0;
  const entries = useQuarantine({ status, q: q || undefined, limit, offset });
  const [done, setDone] = useState<{ text: string; hostId: string | null } | null>(null);
  const label = `${statusLabel} reports${q ? ` matching “${q}”` : ''}`;

  return (
    <>
      <PageHeader
        title="Quarantine"
        crumbs={[{ label: 'Patch monitoring', to: '/patch-monitoring' }]}
        subtitle={
          <>
            Reports held for review: they name a site that does not exist, no site, or a site other than their enrolment token's. Release each into the site it
            belongs to, or reject it. The CSIRT reviews every report; an NGI security officer those naming a site of their NGI.
          </>
        }
      />
      <PatchingTabs />
      {done && (
        <p className="notice notice-ok" role="status">
          {done.text}
          {done.hostId && (
            <>
              {' '}
              <Link to={`/patch-monitoring/hosts/${done.hostId}`}>Open the host</Link>.
            </>
          )}
        </p>
      )}
      <div className="toolbar">
        {select}
        <SearchBox label="Filter reports" value={q} onChange={(v) => set({ q: v, offset: undefined })} placeholder="Host name or claimed site…" />
      </div>
      <section className="panel" aria-labelledby="quarantine-title">
        <h2 id="quarantine-title" className="sr-only">
          {label}
        </h2>
        {entries.isPending ? (
          <Loading label="quarantined reports" />
        ) : entries.isError ? (
          <ErrorState label="quarantined reports" error={entries.error} onRetry={() => void entries.refetch()} />
        ) : entries.data.total === 0 ? (
          <Empty>{status === 'pending' ? 'No report is waiting for review.' : `No ${status} report${q ? ` matches “${q}”` : ''}.`}</Empty>
        ) : (
          <>
            <QuarantineTable entries={entries.data.items} status={status} caption={`${label} (${entries.data.total})`} onDone={setDone} />
            <Pager
              total={entries.data.total}
              limit={limit}
              offset={offset}
              label="Quarantined reports"
              onChange={(o, l) => set({ offset: o || undefined, limit: l === 50 ? undefined : l })}
            />
          </>
        )}
      </section>
    </>
  );
}

type Review = { quarantineId: string; action: 'release' | 'reject' } | null;

function QuarantineTable({
  entries,
  status,
  caption,
  onDone,
}: {
  entries: QuarantineEntry[];
  status: QuarantineStatus;
  caption: string;
  onDone: (d: { text: string; hostId: string | null }) => void;
}) {
  const [review, setReview] = useState<Review>(null);
  const columns = status === 'pending' ? 5 : 6;
  return (
    <table className="data quarantine-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Received</th>
          <th scope="col">Host</th>
          <th scope="col">Claimed site</th>
          <th scope="col">Why it is held</th>
          {status === 'pending' ? (
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          ) : (
            <>
              <th scope="col">{status === 'released' ? 'Released into' : 'Reason for rejecting'}</th>
              <th scope="col">Reviewed</th>
            </>
          )}
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => {
          const open = review?.quarantineId === e.quarantineId ? review.action : null;
          return [
            <tr key={e.quarantineId} className={open ? 'is-reviewing' : undefined}>
              <td className="mono muted nowrap">{formatTime(e.receivedAt)}</td>
              <th scope="row" className="mono">
                {e.hostId ? <Link to={`/patch-monitoring/hosts/${e.hostId}`}>{e.hostname}</Link> : e.hostname}
              </th>
              <td className="mono">{e.claimedSite || <span className="muted">none</span>}</td>
              <td className="quarantine-reason">{e.reason}</td>
              {status === 'pending' ? (
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    aria-expanded={open === 'release'}
                    aria-label={`Release report from ${e.hostname}`}
                    onClick={() => setReview(open === 'release' ? null : { quarantineId: e.quarantineId, action: 'release' })}
                  >
                    Release
                  </button>
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    aria-expanded={open === 'reject'}
                    aria-label={`Reject report from ${e.hostname}`}
                    onClick={() => setReview(open === 'reject' ? null : { quarantineId: e.quarantineId, action: 'reject' })}
                  >
                    Reject
                  </button>
                </td>
              ) : (
                <>
                  <td>
                    {e.status === 'released' ? (
                      e.releasedSiteId ? (
                        <Link to={`/registry/sites/${e.releasedSiteId}`} className="mono">
                          {e.releasedSiteName ?? e.releasedSiteId}
                        </Link>
                      ) : (
                        '—'
                      )
                    ) : (
                      e.rejectReason
                    )}
                  </td>
                  <td className="nowrap">
                    {e.reviewedBy}
                    <span className="cell-sub">{formatTime(e.reviewedAt)}</span>
                  </td>
                </>
              )}
            </tr>,
            open && (
              <tr key={`${e.quarantineId}-review`} className="quarantine-review-row">
                <td colSpan={columns}>
                  {open === 'release' ? (
                    <ReleaseForm
                      entry={e}
                      onCancel={() => setReview(null)}
                      onDone={(d) => {
                        setReview(null);
                        onDone(d);
                      }}
                    />
                  ) : (
                    <RejectForm
                      entry={e}
                      onCancel={() => setReview(null)}
                      onDone={(d) => {
                        setReview(null);
                        onDone(d);
                      }}
                    />
                  )}
                </td>
              </tr>
            ),
          ];
        })}
      </tbody>
    </table>
  );
}

function ReleaseForm({
  entry,
  onCancel,
  onDone,
}: {
  entry: QuarantineEntry;
  onCancel: () => void;
  onDone: (d: { text: string; hostId: string | null }) => void;
}) {
  const id = useId();
  const [text, setText] = useState(entry.claimedSite);
  const [missing, setMissing] = useState('');
  const sites = useSites({ q: text.trim() || undefined, limit: 20, sort: 'name' });
  const release = useReleaseQuarantined();
  const choice = sites.data?.items.find((s) => s.name.toLowerCase() === text.trim().toLowerCase() && !s.removedAt);
  const error = missing || fieldErrors(release.error).siteId;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!choice) {
      setMissing(text.trim() ? `No site named ${text.trim()} that you can release into: pick one from the list.` : 'Choose the site the host belongs to.');
      return;
    }
    setMissing('');
    release.mutate(
      { quarantineId: entry.quarantineId, siteId: choice.siteId },
      {
        onSuccess: (r) => onDone({ text: `Released the report from ${entry.hostname} into ${r.releasedSiteName ?? choice.name}.`, hostId: r.hostId }),
      },
    );
  };
  return (
    <form className="quarantine-form" onSubmit={submit} noValidate aria-label={`Release the report from ${entry.hostname}`}>
      <div className="field">
        <label htmlFor={id}>Site</label>
        <input
          id={id}
          className="mono"
          list={`${id}-sites`}
          value={text}
          autoComplete="off"
          onChange={(e) => {
            setText(e.target.value);
            setMissing('');
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-e` : `${id}-h`}
        />
        <datalist id={`${id}-sites`}>
          {sites.data?.items
            .filter((s) => !s.removedAt)
            .map((s) => (
              <option key={s.siteId} value={s.name}>
                {s.ngiName}
              </option>
            ))}
        </datalist>
        {error ? (
          <p className="field-error" id={`${id}-e`}>
            {error}
          </p>
        ) : (
          <p className="field-hint" id={`${id}-h`}>
            {choice ? `${choice.name}, ${choice.ngiName}: the report is stored as this site's.` : 'Type to find the site the host belongs to.'}
          </p>
        )}
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={release.isPending}>
          Release into site
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <FormError error={release.error && !fieldErrors(release.error).siteId ? release.error : null} />
    </form>
  );
}

function RejectForm({
  entry,
  onCancel,
  onDone,
}: {
  entry: QuarantineEntry;
  onCancel: () => void;
  onDone: (d: { text: string; hostId: string | null }) => void;
}) {
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState('');
  const reject = useRejectQuarantined();
  const error = missing || fieldErrors(reject.error).reason;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length < 3) {
      setMissing('Say why the report is refused (at least 3 characters): it stays in the record.');
      return;
    }
    setMissing('');
    reject.mutate(
      { quarantineId: entry.quarantineId, reason: reason.trim() },
      {
        onSuccess: () => onDone({ text: `Rejected the report from ${entry.hostname}.`, hostId: null }),
      },
    );
  };
  return (
    <form className="quarantine-form" onSubmit={submit} noValidate aria-label={`Reject the report from ${entry.hostname}`}>
      <TextArea
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={error}
        maxLength={1000}
        rows={2}
        hint="Kept with the report and in the audit log."
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-danger" disabled={reject.isPending}>
          Reject report
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <FormError error={reject.error && !fieldErrors(reject.error).reason ? reject.error : null} />
    </form>
  );
}
