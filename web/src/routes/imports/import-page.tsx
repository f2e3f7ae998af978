// GOCDB import: upload a PI XML document, preview what would change (dry run), then import.
// An import that would remove sites, endpoints or roles says which, and asks before it does.
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api';
import { Link } from '../../lib/router';
import type { ImportSummary } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { FormError } from '../../components/form';
import { Empty } from '../../components/states';

const KINDS = [
  ['ngis', 'NGIs'],
  ['sites', 'Sites'],
  ['endpoints', 'Service endpoints'],
  ['people', 'People'],
  ['roles', 'Roles'],
] as const;

const REMOVAL_KIND = { sites: 'Site', endpoints: 'Service endpoint', roles: 'Role' } as const;

function useGocdbImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) =>
      api<ImportSummary>('/api/v1/imports/gocdb', { method: 'POST', query: { dryRun }, xml: file }),
    onSuccess: async (summary) => {
      if (!summary.dryRun) {
        await client.invalidateQueries({ queryKey: ['registry'] });
        await client.invalidateQueries({ queryKey: ['audit'] });
      }
    },
  });
}

/** Removed sites, endpoints and roles in all (the list names the first 500). */
const removedTotal = (s: ImportSummary) => s.removed.sites + s.removed.endpoints + s.removed.roles;

export function ImportPage() {
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  // The preview an Import press ran first: it removes something, so it waits for a yes.
  const [awaitingYes, setAwaitingYes] = useState(false);
  const run = useGocdbImport();

  const preview = () => {
    setAwaitingYes(false);
    if (file) run.mutate({ file, dryRun: true });
  };
  const importNow = () => {
    setAwaitingYes(false);
    if (file) run.mutate({ file, dryRun: false });
  };
  // Import always previews first; it goes ahead on its own only when nothing would be removed.
  const importChecked = () => {
    if (!file) return;
    setAwaitingYes(false);
    run.mutate(
      { file, dryRun: true },
      {
        onSuccess: (summary) => {
          if (removedTotal(summary) > 0) setAwaitingYes(true);
          else run.mutate({ file, dryRun: false });
        },
      },
    );
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    preview();
  };
  return (
    <>
      <PageHeader
        title="GOCDB import"
        crumbs={[{ label: 'Administration', to: '/admin/import' }]}
        subtitle="Load NGIs, sites, service endpoints and contacts from GOCDB programmatic-interface XML. Keyed on GOCDB primary keys: re-importing updates, never duplicates. All or nothing."
      />
      <form className="panel import-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={fileId}>GOCDB XML file</label>
          <input
            id={fileId}
            type="file"
            accept=".xml,application/xml,text/xml"
            aria-describedby={`${fileId}-h`}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setAwaitingYes(false);
              run.reset();
            }}
          />
          <p className="field-hint" id={`${fileId}-h`}>
            get_ngi, get_site, get_service_endpoint, get_site_contacts, get_roc_contacts or get_user output, or several concatenated under one root.
          </p>
        </div>
        <div className="form-actions">
          <button type="submit" className="btn" disabled={!file || run.isPending}>
            Preview (dry run)
          </button>
          <button type="button" className="btn btn-primary" disabled={!file || run.isPending} onClick={importChecked}>
            Import
          </button>
          {run.isPending && (
            <span role="status" className="muted">
              {run.variables?.dryRun ? 'Checking' : 'Importing'} {file?.name}…
            </span>
          )}
        </div>
        <FormError error={run.error} />
      </form>
      {awaitingYes && run.data && (
        <div className="panel notice notice-warn" role="alertdialog" aria-labelledby={`${fileId}-confirm`}>
          <h2 id={`${fileId}-confirm`}>This import removes records</h2>
          <p>
            Importing {file?.name} removes {run.data.removed.sites} sites, {run.data.removed.endpoints} service endpoints and {run.data.removed.roles} roles
            (listed below). Removed sites are kept and marked as removed; endpoints and roles are deleted. Nothing has been written yet.
          </p>
          <div className="form-actions">
            <button type="button" className="btn btn-danger" onClick={importNow}>
              Import and remove
            </button>
            <button type="button" className="btn" onClick={() => setAwaitingYes(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {run.data && <SummaryView summary={run.data} fileName={run.variables?.file.name ?? ''} />}
    </>
  );
}

function SummaryView({ summary, fileName }: { summary: ImportSummary; fileName: string }) {
  const headingId = useId();
  return (
    <section className="panel" aria-labelledby={headingId}>
      <h2 id={headingId}>{summary.dryRun ? 'Preview: nothing was written' : 'Import complete'}</h2>
      <p className={summary.dryRun ? 'notice notice-info' : 'notice notice-ok'} role="status">
        {summary.dryRun ? (
          `This is what importing ${fileName} would change. Press Import to apply it.`
        ) : (
          <>
            Imported {fileName}. See the <Link to="/registry/sites">sites</Link> and the <Link to="/admin/audit">audit log</Link>.
          </>
        )}
      </p>
      <table className="data summary-table">
        <caption>Import summary{summary.dryRun ? ' (dry run)' : ''}</caption>
        <thead>
          <tr>
            <th scope="col">Kind</th>
            <th scope="col" className="num">
              Added
            </th>
            <th scope="col" className="num">
              Changed
            </th>
            <th scope="col" className="num">
              Removed
            </th>
            <th scope="col" className="num">
              Unchanged
            </th>
          </tr>
        </thead>
        <tbody>
          {KINDS.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td className="num">{summary.added[key]}</td>
              <td className="num">{summary.changed[key]}</td>
              <td className="num">{summary.removed[key]}</td>
              <td className="num">{summary.unchanged[key]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>
        {summary.dryRun ? 'Would be removed' : 'Removed'} ({removedTotal(summary)})
      </h3>
      {summary.removals.length === 0 ? (
        <Empty>Nothing {summary.dryRun ? 'would be' : 'was'} removed.</Empty>
      ) : (
        <>
          <table className="data">
            <caption className="sr-only">{summary.dryRun ? 'Records the import would remove' : 'Records the import removed'}</caption>
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Name</th>
                <th scope="col">Where</th>
              </tr>
            </thead>
            <tbody>
              {summary.removals.map((r, i) => (
                <tr key={i}>
                  <td>{REMOVAL_KIND[r.kind]}</td>
                  <td className="wrap">{r.name}</td>
                  <td>{r.scope ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {removedTotal(summary) > summary.removals.length && (
            <p className="muted">… and {removedTotal(summary) - summary.removals.length} more (the API's answer lists the first 500).</p>
          )}
        </>
      )}
      <h3>Skipped elements ({summary.skipped.length})</h3>
      {summary.skipped.length === 0 ? (
        <Empty>Nothing was skipped.</Empty>
      ) : (
        <table className="data">
          <caption className="sr-only">Skipped elements</caption>
          <thead>
            <tr>
              <th scope="col">Element</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {summary.skipped.map((s, i) => (
              <tr key={i}>
                <td className="mono">{s.element}</td>
                <td className="wrap">{s.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Warnings ({summary.warnings.length})</h3>
      {summary.warnings.length === 0 ? (
        <Empty>No warnings.</Empty>
      ) : (
        <ul className="warnings">
          {summary.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
