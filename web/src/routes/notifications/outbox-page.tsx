// The outbox: every message queued for e-mail or a webhook, with counts per channel and status,
// whether a mail server is configured, and the dead letters (given up after their retries), each
// of which can be sent again with its Message-ID or webhook-id unchanged.
import { useState } from 'react';
import { errorMessage } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { useSearchState } from '../../lib/router';
import { Empty, QueryView } from '../../components/states';
import { FilterSelect } from '../../components/filter-select';
import { StatusBadge } from '../../components/badge';
import { useOutbox, useReplayMessage, type MessageStatus, type Outbox, type OutboxMessage } from './hooks';
import { NotificationsHeader } from './parts';

const STATUSES: Array<{ value: MessageStatus; label: string }> = [
  { value: 'pending', label: 'Waiting to be sent' },
  { value: 'sent', label: 'Sent' },
  { value: 'dead', label: 'Dead (given up)' },
  { value: 'digest', label: 'Held for a daily digest' },
];
const isStatus = (v: string | null): v is MessageStatus => STATUSES.some((s) => s.value === v);

export function OutboxPage() {
  const [search, set] = useSearchState();
  const raw = search.get('status');
  const status = isStatus(raw) ? raw : undefined;
  const [before, setBefore] = useState<string | undefined>();
  const outbox = useOutbox(status, before);
  return (
    <>
      <NotificationsHeader
        title="Outbox"
        subtitle="Every e-mail and webhook call Vigil sends goes through the outbox and is retried until delivered; newest first."
      />
      <div className="toolbar">
        <FilterSelect
          label="Status"
          anyLabel="Any status"
          value={status}
          choices={STATUSES}
          onChange={(v) => {
            setBefore(undefined);
            set({ status: v || undefined });
          }}
        />
      </div>
      <QueryView query={outbox} label="the outbox">
        {(data) => (
          <>
            <OutboxState outbox={data} />
            <MessageTable
              messages={data.messages}
              caption={status ? `Messages: ${STATUSES.find((s) => s.value === status)!.label.toLowerCase()}` : 'Messages'}
            />
            {data.messages.length > 0 && (
              <p className="list-actions">
                {before && (
                  <button type="button" className="btn btn-small" onClick={() => setBefore(undefined)}>
                    Newest
                  </button>
                )}{' '}
                <button type="button" className="btn btn-small" onClick={() => setBefore(data.messages.at(-1)!.messageId)}>
                  Older messages
                </button>
              </p>
            )}
          </>
        )}
      </QueryView>
    </>
  );
}

/** Whether mail goes out at all, and the counts per channel and status. */
function OutboxState({ outbox }: { outbox: Outbox }) {
  const channels = [...new Set(outbox.counts.map((c) => c.channel))].sort();
  const count = (channel: string, status: string) => outbox.counts.find((c) => c.channel === channel && c.status === status)?.n ?? 0;
  return (
    <section className="panel" aria-labelledby="outbox-counts">
      <h2 id="outbox-counts">Outbox</h2>
      {outbox.mailConfigured ? (
        <p className="notice notice-ok">A mail server is configured: e-mails are sent.</p>
      ) : (
        <p className="notice notice-warn" role="status">
          No mail server is configured: e-mails wait in the outbox until one is (the <span className="mono">mail</span> settings).
        </p>
      )}
      {channels.length === 0 ? (
        <Empty>The outbox is empty: nothing was ever queued.</Empty>
      ) : (
        <table className="data">
          <caption>Messages per channel and status</caption>
          <thead>
            <tr>
              <th scope="col">Channel</th>
              {STATUSES.map((s) => (
                <th key={s.value} scope="col" className="num">
                  {s.value}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {channels.map((c) => (
              <tr key={c}>
                <th scope="row">{c}</th>
                {STATUSES.map((s) => (
                  <td key={s.value} className="num">
                    {count(c, s.value)}
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

function MessageTable({
  messages,
  caption,
  replay,
  busy = false,
}: {
  messages: OutboxMessage[];
  caption: string;
  replay?: (m: OutboxMessage) => void;
  busy?: boolean;
}) {
  if (messages.length === 0)
    return <Empty>{replay ? 'No dead letter: everything was delivered or is still being tried.' : 'No message with this status.'}</Empty>;
  return (
    <div className="table-wrap">
      <table className="data">
        <caption>
          {caption} ({messages.length})
        </caption>
        <thead>
          <tr>
            <th scope="col">Subject</th>
            <th scope="col">Recipient</th>
            <th scope="col">Channel</th>
            <th scope="col">Event</th>
            <th scope="col">TLP</th>
            <th scope="col">Status</th>
            <th scope="col" className="num">
              Attempts
            </th>
            <th scope="col">Queued</th>
            <th scope="col">Sent or next attempt</th>
            <th scope="col">Last error</th>
            {replay && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr key={m.messageId}>
              <th scope="row" className="wrap">
                {m.subject}
                <span className="cell-sub">{m.headerId}</span>
              </th>
              <td className="mono">{m.recipient}</td>
              <td>{m.channel}</td>
              <td className="mono">{m.eventType}</td>
              <td className="mono">{m.tlp}</td>
              <td>
                <StatusBadge status={m.status} />
              </td>
              <td className="num">{m.attempts}</td>
              <td className="mono muted nowrap">{formatTime(m.createdAt)}</td>
              <td className="mono muted nowrap">{m.sentAt ? formatTime(m.sentAt) : m.status === 'pending' ? formatTime(m.nextAttemptAt) : '—'}</td>
              <td className="wrap small">{m.lastError ?? <span className="muted">—</span>}</td>
              {replay && (
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn btn-small"
                    disabled={busy}
                    onClick={() => replay(m)}
                    aria-label={`Send again: ${m.subject} to ${m.recipient}`}
                  >
                    Send again
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DeadLettersPage() {
  const dead = useOutbox('dead');
  const replay = useReplayMessage();
  const [done, setDone] = useState('');
  const onReplay = (m: OutboxMessage) => {
    setDone('');
    replay.mutate(m.messageId, { onSuccess: () => setDone(`“${m.subject}” to ${m.recipient} is queued again.`) });
  };
  return (
    <>
      <NotificationsHeader
        title="Dead letters"
        subtitle="Messages given up after their retries. Once the cause is fixed (the address, the mail server, the webhook endpoint), send them again: they keep their Message-ID or webhook-id, so a receiver that got one already can tell."
      />
      {replay.isError && (
        <p className="form-error" role="alert">
          Could not send the message again: {errorMessage(replay.error)}
        </p>
      )}
      <p role="status" className="form-ok-text">
        {done}
      </p>
      <QueryView query={dead} label="dead letters">
        {(data) => <MessageTable messages={data.messages} caption="Dead letters" replay={onReplay} busy={replay.isPending} />}
      </QueryView>
    </>
  );
}
