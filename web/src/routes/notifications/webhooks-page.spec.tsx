import { screen, within } from '@testing-library/react';
import { expect, test, vi } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { EARLIER } from '../../test-support/fixtures';
import { WebhooksPage } from './webhooks-page';
import type { WebhookEndpoint } from './hooks';

const HOOKS = 'GET /api/v1/webhook-endpoints';
const ADD = 'POST /api/v1/webhook-endpoints';
const path = '/notifications/webhooks';

const endpoint = (o: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  endpointId: 'w-siem',
  url: 'https://siem.example.org/hooks/vigil',
  eventTypes: ['*'],
  description: 'The SOC SIEM',
  createdAt: EARLIER,
  disabledAt: null,
  ...o,
});
const body = (init: RequestInit | undefined) => JSON.parse(String(init?.body)) as Record<string, unknown>;

test('the endpoints say they are loading, while the form to add one is already there', async () => {
  stubApi().on(HOOKS, pending);

  renderView(<WebhooksPage />, { path });

  await findLoading('webhook endpoints');
  expect(screen.getByRole('form', { name: 'Add an endpoint' })).toBeTruthy();
});

test('a failed load shows the error, and Retry loads the endpoints', async () => {
  const api = stubApi().on(HOOKS, problem(500));
  const { user } = renderView(<WebhooksPage />, { path });
  const { retry } = await findError('webhook endpoints');

  api.on(HOOKS, json({ items: [] }));
  await user.click(retry);

  expect(await screen.findByText('No webhook endpoint yet.')).toBeTruthy();
});

test('each endpoint shows its events and state; an active one is stopped by a button named for it', async () => {
  vi.spyOn(window, 'confirm').mockReturnValue(true);
  const api = stubApi()
    .on(
      HOOKS,
      json({
        items: [
          endpoint(),
          endpoint({ endpointId: 'w-old', url: 'https://old.example.org/hook', eventTypes: ['task.created', 'task.escalated'], disabledAt: EARLIER }),
        ],
      }),
    )
    .on('DELETE /api/v1/webhook-endpoints/:webhookId', { status: 204 });
  const { user } = renderView(<WebhooksPage />, { path });

  const table = await screen.findByRole('table', { name: 'Webhook endpoints' });
  const siem = within(table).getByRole('row', { name: /siem\.example\.org/ });
  expect(siem.textContent).toContain('every event (*)');
  expect(siem.textContent).toContain('active');
  const old = within(table).getByRole('row', { name: /old\.example\.org/ });
  expect(old.textContent).toContain('task.created task.escalated');
  expect(old.textContent).toContain('stopped');
  expect(within(old).queryByRole('button')).toBeNull();

  await user.click(within(siem).getByRole('button', { name: 'Stop sending to https://siem.example.org/hooks/vigil' }));

  await screen.findByRole('table', { name: 'Webhook endpoints' });
  expect(api.requests('DELETE /api/v1/webhook-endpoints/:webhookId').map((u) => u.pathname)).toEqual(['/api/v1/webhook-endpoints/w-siem']);
});

test('a new endpoint is checked, sent, and its signing secret shown once with a copy button', async () => {
  const sent: Array<Record<string, unknown>> = [];
  const api = stubApi()
    .on(HOOKS, json({ items: [] }))
    .on(
      ADD,
      (_url, init) => (
        sent.push(body(init)),
        json({ endpointId: 'w-new', url: 'https://soc.example.org/in', eventTypes: ['task.created'], secret: 'whsec_c2VjcmV0' }, 201)
      ),
    );
  const { user } = renderView(<WebhooksPage />, { path });
  const form = await screen.findByRole('form', { name: 'Add an endpoint' });

  await user.type(within(form).getByRole('textbox', { name: /^URL/ }), 'soc.example.org/in');
  await user.type(within(form).getByRole('textbox', { name: /^Event types/ }), 'task created');
  await user.click(within(form).getByRole('button', { name: 'Add endpoint' }));
  expect(within(form).getByText(/An https:\/\/ address/)).toBeTruthy();
  expect(within(form).getByText(/“task” is not an event type/)).toBeTruthy();
  expect(api.requests(ADD)).toHaveLength(0);

  const url = within(form).getByRole('textbox', { name: /^URL/ });
  await user.clear(url);
  await user.type(url, 'https://soc.example.org/in');
  const events = within(form).getByRole('textbox', { name: /^Event types/ });
  await user.clear(events);
  await user.type(events, 'task.created');
  await user.type(within(form).getByRole('textbox', { name: 'Description' }), 'SOC intake');
  await user.click(within(form).getByRole('button', { name: 'Add endpoint' }));

  const created = await screen.findByRole('region', { name: 'Endpoint https://soc.example.org/in added' });
  expect(within(created).getByRole('textbox', { name: 'Signing secret' })).toHaveProperty('value', 'whsec_c2VjcmV0');
  expect(within(created).getByRole('alert').textContent).toContain('shown only this once');
  expect(within(created).getByRole('button', { name: 'Copy secret' })).toBeTruthy();
  expect(sent).toEqual([{ url: 'https://soc.example.org/in', eventTypes: ['task.created'], description: 'SOC intake' }]);
});
