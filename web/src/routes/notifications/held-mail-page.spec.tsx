import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { EARLIER } from '../../test-support/fixtures';
import { HeldMailPage } from './held-mail-page';
import type { InboundMail } from './hooks';

const HELD = 'GET /api/v1/inbound-mail';
const DISCARD = 'POST /api/v1/inbound-mail/:mailId/discard';
const path = '/notifications/held-mail';

const mail = (o: Partial<InboundMail> = {}): InboundMail => ({
  mailId: 'im-1',
  sender: 'ola@tromso.example.org',
  subject: 'Re: patching done?',
  status: 'held',
  reason: 'no reply address of a task',
  taskId: null,
  receivedAt: EARLIER,
  reviewedBy: null,
  reviewedAt: null,
  excerpt: 'All worker nodes are patched.\n\nOla',
  ...o,
});

test('held mail says it is loading', async () => {
  stubApi().on(HELD, pending);

  renderView(<HeldMailPage />, { path });

  await findLoading('held mail');
});

test('a failed load shows the error, and Retry loads the held mail', async () => {
  const api = stubApi().on(HELD, problem(500));
  const { user } = renderView(<HeldMailPage />, { path });
  const { retry } = await findError('held mail');

  api.on(HELD, json({ items: [] }));
  await user.click(retry);

  expect(await screen.findByText('No mail is held: every reply found its task.')).toBeTruthy();
});

test('each held message shows sender, subject, why it is held and its text, and is set aside by its own button', async () => {
  const api = stubApi()
    .on(HELD, json({ items: [mail()] }))
    .on(DISCARD, { status: 204 });
  const { user } = renderView(<HeldMailPage />, { path });

  const table = await screen.findByRole('table', { name: 'Held mail (1)' });
  expect(api.requests(HELD)[0]!.searchParams.get('status')).toBe('held');
  const row = within(table).getByRole('row', { name: /^Re: patching done\?/ });
  expect(row.textContent).toContain('ola@tromso.example.org');
  expect(row.textContent).toContain('no reply address of a task');
  expect(row.textContent).toContain('All worker nodes are patched.');
  await user.click(within(row).getByRole('button', { name: 'Set aside “Re: patching done?” from ola@tromso.example.org' }));

  expect(await screen.findByText('“Re: patching done?” from ola@tromso.example.org is set aside.')).toBeTruthy();
  expect(api.requests(DISCARD).map((u) => u.pathname)).toEqual(['/api/v1/inbound-mail/im-1/discard']);
  expect(screen.getByRole('link', { name: 'Held mail' }).getAttribute('aria-current')).toBe('page');
});
