// Mail that arrived at the reply address but could not be attached to a task (an unknown
// sender, no task reference, a task already closed): held until someone reads it and sets it aside.
import { useState } from 'react';
import { errorMessage } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { Empty, QueryView } from '../../components/states';
import { useDiscardMail, useHeldMail, type InboundMail } from './hooks';
import { NotificationsHeader } from './parts';
import './notifications.css';

export function HeldMailPage() {
  const held = useHeldMail();
  return (
    <>
      <NotificationsHeader
        title="Held mail"
        subtitle="Replies that Vigil could not attach to a task by themselves. Read each one; act on it by hand where needed (on the task, or with the sender), then set it aside."
      />
      <QueryView query={held} label="held mail">
        {(data) => <HeldList mails={data.items} />}
      </QueryView>
    </>
  );
}

function HeldList({ mails }: { mails: InboundMail[] }) {
  const discard = useDiscardMail();
  const [done, setDone] = useState('');
  const onDiscard = (m: InboundMail) => {
    setDone('');
    discard.mutate(m.mailId, { onSuccess: () => setDone(`“${m.subject}” from ${m.sender} is set aside.`) });
  };
  return (
    <section className="panel" aria-labelledby="held-mail-list">
      <h2 id="held-mail-list">Waiting for review</h2>
      {discard.isError && (
        <p className="form-error" role="alert">
          Could not set the message aside: {errorMessage(discard.error)}
        </p>
      )}
      <p role="status" className="form-ok-text">
        {done}
      </p>
      {mails.length === 0 ? (
        <Empty>No mail is held: every reply found its task.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="data">
            <caption>Held mail ({mails.length})</caption>
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">From</th>
                <th scope="col">Received</th>
                <th scope="col">Why it is held</th>
                <th scope="col">Message</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {mails.map((m) => (
                <tr key={m.mailId}>
                  <th scope="row" className="wrap">
                    {m.subject || '(no subject)'}
                  </th>
                  <td className="mono">{m.sender}</td>
                  <td className="mono muted nowrap">{formatTime(m.receivedAt)}</td>
                  <td className="wrap">{m.reason ?? <span className="muted">—</span>}</td>
                  <td className="wrap">
                    <pre className="mail-excerpt">{m.excerpt}</pre>
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={discard.isPending}
                      onClick={() => onDiscard(m)}
                      aria-label={`Set aside “${m.subject}” from ${m.sender}`}
                    >
                      Set aside
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
