// API tokens: create one (its secret is shown once), list them, revoke them.
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../lib/api';
import { useSession } from '../../lib/session';
import { formatTime } from '../../lib/format';
import type { ApiToken } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { FormError, TextField, fieldErrors } from '../../components/form';
import { Empty, ErrorState, Loading } from '../../components/states';
import { StatusBadge } from '../../components/badge';
import { useCreateToken, useRevokeToken, useTokens } from './hooks';

function tokenState(t: ApiToken): string {
  if (t.revokedAt) return 'revoked';
  return new Date(t.expiresAt).getTime() < Date.now() ? 'expired' : 'active';
}

export function TokensPage() {
  return (
    <>
      <PageHeader
        title="API tokens"
        crumbs={[{ label: 'Administration', to: '/admin/tokens' }]}
        subtitle="For scripts, the CLI and the host agent: send Authorization: Bearer <token>. A token can do at most what you can, narrowed to the permissions you tick."
      />
      <CreateToken />
      <TokenList />
    </>
  );
}

function CreateToken() {
  const session = useSession();
  const create = useCreateToken();
  const [name, setName] = useState('');
  const [days, setDays] = useState('90');
  const [chosen, setChosen] = useState<string[]>(['registry:read']);
  const [copied, setCopied] = useState(false);
  const errors = fieldErrors(create.error);
  const permissionsError = chosen.length === 0 ? 'Tick at least one permission.' : errors.permissions;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (chosen.length === 0) return;
    setCopied(false);
    create.mutate({ name: name.trim(), permissions: chosen, expiresInDays: Number(days) }, { onSuccess: () => setName('') });
  };
  const toggle = (p: string, on: boolean) => setChosen((c) => (on ? [...c, p] : c.filter((x) => x !== p)));
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <>
      <form className="panel form-grid" onSubmit={submit} noValidate aria-labelledby="new-token">
        <h2 id="new-token" className="field-wide">
          New token
        </h2>
        <TextField
          label="Token name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          placeholder="e.g. pakiti-bridge"
          maxLength={100}
        />
        <TextField
          label="Expires after (days)"
          type="number"
          min={1}
          max={366}
          required
          value={days}
          onChange={(e) => setDays(e.target.value)}
          error={errors.expiresInDays}
        />
        <fieldset className="field-wide permissions" aria-describedby={permissionsError ? 'perm-error' : undefined}>
          <legend>Permissions</legend>
          {session.permissions.map((p) => (
            <label key={p} className="check">
              <input type="checkbox" checked={chosen.includes(p)} onChange={(e) => toggle(p, e.target.checked)} />
              <span className="mono">{p}</span>
            </label>
          ))}
          {permissionsError && (
            <p className="field-error" id="perm-error">
              {permissionsError}
            </p>
          )}
        </fieldset>
        <FormError error={create.error} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={create.isPending || !name.trim()}>
            Create token
          </button>
        </div>
      </form>
      {create.data && (
        <section className="panel panel-secret" aria-labelledby="token-created">
          <h2 id="token-created">Token “{create.data.record.name}” created</h2>
          <p className="notice notice-warn" role="alert">
            Copy this token now. It is shown only once: Vigil keeps only a hash of it.
          </p>
          <div className="secret-row">
            <label htmlFor="new-token-value">Token value</label>
            <input id="new-token-value" className="mono" readOnly value={create.data.token} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" className="btn" onClick={() => void copy(create.data.token)}>
              Copy token
            </button>
            <span role="status" className="muted">
              {copied ? 'Copied to the clipboard.' : ''}
            </span>
          </div>
        </section>
      )}
    </>
  );
}

function TokenList() {
  const tokens = useTokens();
  const revoke = useRevokeToken();
  if (tokens.isPending) return <Loading label="tokens" />;
  if (tokens.isError) return <ErrorState label="tokens" error={tokens.error} onRetry={() => void tokens.refetch()} />;
  const onRevoke = (t: ApiToken) => {
    if (window.confirm(`Revoke token ${t.name}? Scripts using it will stop working.`)) revoke.mutate(t.tokenId);
  };
  return (
    <section className="panel" aria-labelledby="token-list">
      <h2 id="token-list">Tokens</h2>
      {revoke.isError && (
        <p className="form-error" role="alert">
          Could not revoke the token: {errorMessage(revoke.error)}
        </p>
      )}
      {tokens.data.items.length === 0 ? (
        <Empty>No API tokens yet.</Empty>
      ) : (
        <table className="data">
          <caption className="sr-only">API tokens</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Owner</th>
              <th scope="col">Permissions</th>
              <th scope="col">State</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((t) => {
              const state = tokenState(t);
              return (
                <tr key={t.tokenId}>
                  <th scope="row">{t.name}</th>
                  <td className="mono">{t.prefix}…</td>
                  <td>{t.personName}</td>
                  <td className="mono small">{t.permissions.join(' ')}</td>
                  <td>
                    <StatusBadge status={state} />
                  </td>
                  <td className="mono muted nowrap">{formatTime(t.createdAt)}</td>
                  <td className="mono muted nowrap">{formatTime(t.expiresAt)}</td>
                  <td className="mono muted nowrap">{formatTime(t.lastUsedAt)}</td>
                  <td className="row-actions">
                    {state === 'active' && (
                      <button
                        type="button"
                        className="btn btn-small btn-danger"
                        disabled={revoke.isPending}
                        onClick={() => onRevoke(t)}
                        aria-label={`Revoke token ${t.name}`}
                      >
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
