// Webhook endpoints: where events are posted, signed per Standard Webhooks. A new endpoint's
// signing secret is shown once, to be copied into the receiver; stopping one keeps its record.
import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { Empty, QueryView } from '../../components/states';
import { FormFoot, TextField, fieldErrors } from '../../components/form';
import { useAddWebhook, useDisableWebhook, useWebhooks, type WebhookEndpoint } from './hooks';
import { NotificationsHeader } from './parts';

// As the API checks them (src/modules/notifications/routes.ts).
const EVENT_TYPE = /^(\*|[a-z-]+\.[a-z-]+)$/;
const URL_START = /^https?:\/\//;

export function WebhooksPage() {
  const webhooks = useWebhooks();
  return (
    <>
      <NotificationsHeader
        title="Webhooks"
        subtitle="Endpoints that receive Vigil's events as signed HTTP POSTs (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature), retried until they answer 2xx."
      />
      <QueryView query={webhooks} label="webhook endpoints">
        {(data) => <WebhookList endpoints={data.items} />}
      </QueryView>
      <AddWebhook />
    </>
  );
}

function WebhookList({ endpoints }: { endpoints: WebhookEndpoint[] }) {
  const disable = useDisableWebhook();
  const onDisable = (w: WebhookEndpoint) => {
    if (window.confirm(`Stop sending events to ${w.url}? This cannot be undone; add the endpoint again to resume.`)) disable.mutate(w.endpointId);
  };
  return (
    <section className="panel" aria-labelledby="webhook-list">
      <h2 id="webhook-list">Endpoints</h2>
      {disable.isError && (
        <p className="form-error" role="alert">
          Could not stop the endpoint: {errorMessage(disable.error)}
        </p>
      )}
      {endpoints.length === 0 ? (
        <Empty>No webhook endpoint yet.</Empty>
      ) : (
        <table className="data">
          <caption className="sr-only">Webhook endpoints</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Description</th>
              <th scope="col">State</th>
              <th scope="col">Added</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map((w) => (
              <tr key={w.endpointId}>
                <th scope="row" className="mono">
                  {w.url}
                </th>
                <td className="mono">{w.eventTypes.map((t) => (t === '*' ? 'every event (*)' : t)).join(' ')}</td>
                <td className="wrap">{w.description || <span className="muted">—</span>}</td>
                <td>
                  {w.disabledAt ? (
                    <span className="badge badge-muted" title={formatTime(w.disabledAt)}>
                      stopped
                    </span>
                  ) : (
                    <span className="badge badge-ok">active</span>
                  )}
                </td>
                <td className="mono muted nowrap">{formatTime(w.createdAt)}</td>
                <td className="row-actions">
                  {!w.disabledAt && (
                    <button
                      type="button"
                      className="btn btn-small btn-danger"
                      disabled={disable.isPending}
                      onClick={() => onDisable(w)}
                      aria-label={`Stop sending to ${w.url}`}
                    >
                      Stop sending
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AddWebhook() {
  const add = useAddWebhook();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('');
  const [description, setDescription] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [copied, setCopied] = useState<'' | 'copied' | 'failed'>('');
  const errors = { ...fieldErrors(add.error), ...missing };
  const copy = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const eventTypes = events.split(/[\s,]+/).filter(Boolean);
    const need: Record<string, string> = {};
    if (!URL_START.test(url.trim())) need.url = 'An https:// address (http:// only to this machine).';
    const bad = eventTypes.find((t) => !EVENT_TYPE.test(t));
    if (bad) need.eventTypes = `“${bad}” is not an event type: write them as task.created, or * for every event.`;
    setMissing(need);
    if (Object.keys(need).length > 0) return;
    setCopied('');
    add.mutate(
      { url: url.trim(), eventTypes, description: description.trim() },
      {
        onSuccess: () => {
          setUrl('');
          setEvents('');
          setDescription('');
        },
      },
    );
  };

  return (
    <>
      <form className="panel form-grid" onSubmit={submit} noValidate aria-labelledby="new-webhook">
        <h2 id="new-webhook">Add an endpoint</h2>
        <TextField
          label="URL"
          className="mono field-wide"
          type="url"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={errors.url}
          placeholder="https://siem.example.org/hooks/vigil"
          maxLength={2000}
          required
        />
        <TextField
          label="Event types"
          className="mono"
          value={events}
          onChange={(e) => setEvents(e.target.value)}
          error={errors.eventTypes}
          placeholder="task.created task.escalated"
          hint="Separated by spaces; empty for every event."
        />
        <TextField label="Description" value={description} onChange={(e) => setDescription(e.target.value)} error={errors.description} maxLength={500} />
        <FormFoot error={add.error} pending={add.isPending} submit="Add endpoint" done="" />
      </form>
      {add.data && (
        <section className="panel panel-secret" aria-labelledby="webhook-created">
          <h2 id="webhook-created">Endpoint {add.data.url} added</h2>
          <p className="notice notice-warn" role="alert">
            Copy the signing secret now and give it to the receiver: it is shown only this once. The receiver checks each request’s signature with it.
          </p>
          <div className="secret-row">
            <label htmlFor="webhook-secret">Signing secret</label>
            <input id="webhook-secret" className="mono" readOnly value={add.data.secret} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" className="btn" onClick={() => void copy(add.data.secret)}>
              Copy secret
            </button>
            <span role="status" className="muted">
              {copied === 'copied' ? 'Copied to the clipboard.' : copied === 'failed' ? 'Copy failed: select the secret and copy it by hand.' : ''}
            </span>
          </div>
        </section>
      )}
    </>
  );
}
