import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { EARLIER } from '../../test-support/fixtures';
import { DeadLettersPage, OutboxPage } from './outbox-page';
import type { Outbox, OutboxMessage } from './hooks';

const OUTBOX = 'GET /api/v1/outbox-messages';
const REPLAY = 'POST /api/v1/outbox-messages/:messageId/replay';

const message = (o: Partial<OutboxMessage> = {}): OutboxMessage => ({
  messageId: 'm-2',
  channel: 'email',
  headerId: '<m-2@vigil.example.org>',
  recipient: 'security@tromso.example.org',
  eventType: 'task.created',
  tlp: 'AMBER',
  subject: '[Vigil] Patch CVE-2024-6387 on the worker nodes',
  status: 'sent',
  attempts: 1,
  nextAttemptAt: EARLIER,
  lastError: null,
  createdAt: EARLIER,
  sentAt: EARLIER,
  ref: { type: 'task', id: 't-1' },
  ...o,
});
const dead = message({
  messageId: 'm-1',
  status: 'dead',
  attempts: 8,
  sentAt: null,
  lastError: '550 5.1.1 mailbox unavailable',
  recipient: 'old@bergen.example.org',
  subject: '[Vigil] Task overdue',
});
const outbox = (o: Partial<Outbox> = {}): Outbox => ({
  mailConfigured: true,
  counts: [
    { channel: 'email', status: 'sent', n: 120 },
    { channel: 'email', status: 'dead', n: 1 },
    { channel: 'webhook', status: 'pending', n: 3 },
  ],
  messages: [message(), dead],
  ...o,
});

test('the outbox says it is loading', async () => {
  stubApi().on(OUTBOX, pending);

  renderView(<OutboxPage />, { path: '/notifications' });

  await findLoading('the outbox');
});

test('a failed load of the outbox shows the error, and Retry loads it', async () => {
  const api = stubApi().on(OUTBOX, problem(500));
  const { user } = renderView(<OutboxPage />, { path: '/notifications' });
  const { retry } = await findError('the outbox');

  api.on(OUTBOX, json(outbox()));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Messages (2)' })).toBeTruthy();
});

test('the outbox counts messages per channel and status, and lists them newest first', async () => {
  stubApi().on(OUTBOX, json(outbox()));

  renderView(<OutboxPage />, { path: '/notifications' });

  const counts = await screen.findByRole('table', { name: 'Messages per channel and status' });
  const email = within(counts).getByRole('row', { name: /^email/ });
  expect(
    within(email)
      .getAllByRole('cell')
      .map((c) => c.textContent),
  ).toEqual(['0', '120', '1', '0']);
  expect(within(within(counts).getByRole('row', { name: /^webhook/ })).getAllByRole('cell')[0]!.textContent).toBe('3');
  expect(screen.getByText('A mail server is configured: e-mails are sent.')).toBeTruthy();
  const list = screen.getByRole('table', { name: 'Messages (2)' });
  const row = within(list).getByRole('row', { name: /Task overdue/ });
  expect(row.textContent).toContain('old@bergen.example.org');
  expect(row.textContent).toContain('550 5.1.1 mailbox unavailable');
  expect(within(list).queryByRole('button', { name: /Send again/ })).toBeNull();
  expect(screen.getByRole('link', { name: 'Outbox' }).getAttribute('aria-current')).toBe('page');
});

test('without a mail server the page says e-mails wait; the status filter asks the server', async () => {
  const api = stubApi().on(OUTBOX, json(outbox({ mailConfigured: false, counts: [], messages: [] })));
  const { user } = renderView(<OutboxPage />, { path: '/notifications' });

  expect(await screen.findByText(/No mail server is configured: e-mails wait in the outbox/)).toBeTruthy();
  expect(screen.getByText('The outbox is empty: nothing was ever queued.')).toBeTruthy();
  await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'Waiting to be sent');

  await screen.findByText('No message with this status.');
  expect(api.requests(OUTBOX).at(-1)!.searchParams.get('status')).toBe('pending');
  expect(window.location.search).toBe('?status=pending');
});

test('a dead letter is sent again by its own button, posted to its replay address', async () => {
  const api = stubApi()
    .on(OUTBOX, json(outbox({ messages: [dead] })))
    .on(REPLAY, json({ messageId: 'm-1', status: 'pending' }));
  const { user } = renderView(<DeadLettersPage />, { path: '/notifications/dead-letters' });
  const table = await screen.findByRole('table', { name: 'Dead letters (1)' });
  expect(api.requests(OUTBOX)[0]!.searchParams.get('status')).toBe('dead');

  await user.click(within(table).getByRole('button', { name: 'Send again: [Vigil] Task overdue to old@bergen.example.org' }));

  expect(await screen.findByText('“[Vigil] Task overdue” to old@bergen.example.org is queued again.')).toBeTruthy();
  expect(api.requests(REPLAY).map((u) => u.pathname)).toEqual(['/api/v1/outbox-messages/m-1/replay']);
  // The list is asked again, so the message leaves it once it is pending.
  expect(api.requests(OUTBOX).length).toBeGreaterThan(1);
});

test("a refused replay shows the server's reason", async () => {
  stubApi()
    .on(OUTBOX, json(outbox({ messages: [dead] })))
    .on(REPLAY, json({ title: 'Conflict', status: 409, detail: 'only a dead message is replayed; this one is pending' }, 409));
  const { user } = renderView(<DeadLettersPage />, { path: '/notifications/dead-letters' });

  await user.click(await screen.findByRole('button', { name: /^Send again/ }));

  expect((await screen.findByRole('alert')).textContent).toContain('only a dead message is replayed; this one is pending');
});

test('no dead letter is said in words', async () => {
  stubApi().on(OUTBOX, json(outbox({ messages: [] })));

  renderView(<DeadLettersPage />, { path: '/notifications/dead-letters' });

  expect(await screen.findByText('No dead letter: everything was delivered or is still being tried.')).toBeTruthy();
});
