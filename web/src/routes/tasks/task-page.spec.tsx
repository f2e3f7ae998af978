import { screen, waitFor, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { TaskPage } from './task-page';
import { CSIRT, SITE_OFFICER, task, taskDetail } from './test-fixtures';

const TASK = 'GET /api/v1/tasks/:taskId';
const path = '/tasks/t-1';

const sent = (init: RequestInit | undefined) => JSON.parse(String(init?.body)) as Record<string, unknown>;

test('the task page says it is loading', async () => {
  stubApi().on(TASK, pending);

  renderView(<TaskPage taskId="t-1" />, { path, session: SITE_OFFICER });

  await findLoading('task');
});

test('a failed load shows the error, and Retry loads the task', async () => {
  const api = stubApi().on(TASK, problem(500));
  const { user } = renderView(<TaskPage taskId="t-1" />, { path, session: SITE_OFFICER });
  const { retry } = await findError('task');

  api.on(TASK, json(taskDetail()));
  await user.click(retry);

  expect(await screen.findByRole('heading', { level: 1, name: 'Patch CVE-2024-6387 on the worker nodes' })).toBeTruthy();
});

test('a task outside the reader’s scopes reads as not found', async () => {
  stubApi().on(TASK, problem(404, 'task t-9 not found'));

  renderView(<TaskPage taskId="t-9" />, { path: '/tasks/t-9', session: SITE_OFFICER });

  expect(await screen.findByRole('heading', { name: 'Not found' })).toBeTruthy();
});

test('the page shows the TLP banner, the facts, the rule, the escalation, the history and the messages', async () => {
  stubApi().on(
    TASK,
    json(
      taskDetail({
        overdue: true,
        escalation: { warnedAt: '2026-12-03T11:00:00.000Z', ngiAt: '2026-12-03T14:05:00.000Z', csirtAt: null },
        helpdesk: { ticketId: '4711', state: 'assigned' },
        events: [
          taskDetail().events[0]!,
          {
            eventId: 'e-2',
            kind: 'warning',
            actor: 'escalation',
            via: 'system',
            body: 'due 2026-12-03 14:00 UTC: not yet acknowledged',
            at: '2026-12-03T11:00:00.000Z',
          },
          { eventId: 'e-3', kind: 'comment', actor: 'Ola Nordmann', via: 'email', body: 'On it after lunch.', at: '2026-12-03T11:30:00.000Z' },
        ],
        messages: [
          {
            channel: 'email',
            recipient: 'security@tromso.example.org',
            eventType: 'task.created',
            status: 'sent',
            createdAt: '2026-12-02T10:00:00.000Z',
            sentAt: '2026-12-02T10:00:05.000Z',
          },
        ],
      }),
    ),
  );

  renderView(<TaskPage taskId="t-1" />, { path, session: SITE_OFFICER });

  expect((await screen.findByRole('note', { name: 'Traffic Light Protocol: AMBER' })).textContent).toMatch(/^TLP:AMBER Limited disclosure/);
  const facts = screen.getByRole('region', { name: 'Task' });
  expect(within(facts).getByText('SEC03: critical vulnerabilities (4 working-hours)')).toBeTruthy();
  expect(within(facts).getByText('overdue')).toBeTruthy();
  expect(within(facts).getByText('2026-12-03 14:00 UTC')).toBeTruthy();
  expect(within(facts).getByText(/Escalation to the NGI security officer/).textContent).toContain('taken 2026-12-03 14:05 UTC');
  expect(within(facts).getByText(/Escalation to the CSIRT/).textContent).toContain('not taken; due 2026-12-03 16:00 UTC');
  expect(within(facts).getByText('#4711')).toBeTruthy();
  const history = screen.getByRole('list', { name: 'Task history, oldest first' });
  const comment = within(history).getAllByRole('listitem')[2]!;
  expect(comment.textContent).toBe('2026-12-03 11:30 UTCComment by Ola Nordmann via e-mailOn it after lunch.');
  const messages = screen.getByRole('table', { name: /Messages about this task \(1\)/ });
  expect(within(messages).getByRole('row', { name: /security@tromso.example.org/ }).textContent).toContain('sent');
});

test('with task:answer on an open task, Acknowledge posts to the task’s acknowledge URL with the comment', async () => {
  const posts: Array<{ url: string; body: Record<string, unknown> }> = [];
  const api = stubApi()
    .on(TASK, json(taskDetail()))
    .on('POST /api/v1/tasks/:taskId/acknowledge', (url, init) => (posts.push({ url: url.pathname, body: sent(init) }), json(task({ status: 'acknowledged' }))));
  const { user } = renderView(<TaskPage taskId="t-1" />, { path, session: SITE_OFFICER });
  const form = await screen.findByRole('form', { name: 'Acknowledge or resolve the task' });

  await user.type(within(form).getByRole('textbox', { name: 'Comment (optional)' }), 'On it.');
  api.on(TASK, json(taskDetail({ status: 'acknowledged', acknowledgedAt: '2026-12-03T12:00:00.000Z' })));
  await user.click(within(form).getByRole('button', { name: 'Acknowledge' }));

  expect(await screen.findByText('Acknowledged.')).toBeTruthy();
  expect(posts).toEqual([{ url: '/api/v1/tasks/t-1/acknowledge', body: { comment: 'On it.' } }]);
  // Acknowledged: only Resolve is left.
  await screen.findByText((_, el) => el?.tagName === 'DD' && el.textContent === 'acknowledged');
  expect(within(form).queryByRole('button', { name: 'Acknowledge' })).toBeNull();
  expect(within(form).getByRole('button', { name: 'Resolve' })).toBeTruthy();
});

test('without task:answer on the task there is no Acknowledge, Resolve, comment or upload', async () => {
  stubApi().on(TASK, json(taskDetail({ abilities: ['task:read'] })));

  renderView(<TaskPage taskId="t-1" />, { path, session: SITE_OFFICER });

  await screen.findByRole('heading', { level: 1, name: 'Patch CVE-2024-6387 on the worker nodes' });
  expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
  expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();
  expect(screen.queryByRole('form', { name: 'Add a comment' })).toBeNull();
  expect(screen.queryByRole('form', { name: 'Attach a file' })).toBeNull();
  expect(screen.queryByRole('region', { name: 'Answer' })).toBeNull();
});

test('a resolved task offers no answer, even to those who may answer', async () => {
  stubApi().on(TASK, json(taskDetail({ status: 'resolved', open: false, resolvedAt: '2026-12-03T13:00:00.000Z' })));

  renderView(<TaskPage taskId="t-1" />, { path, session: SITE_OFFICER });

  await screen.findByRole('heading', { level: 1, name: 'Patch CVE-2024-6387 on the worker nodes' });
  expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
  expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();
  expect(screen.getByRole('form', { name: 'Add a comment' })).toBeTruthy();
});

test('with task:create, Cancel asks for a reason, then sends it', async () => {
  const posts: Array<Record<string, unknown>> = [];
  const api = stubApi()
    .on(TASK, json(taskDetail({ abilities: ['task:read', 'task:answer', 'task:create'] })))
    .on('POST /api/v1/tasks/:taskId/cancel', (_url, init) => (posts.push(sent(init)), json(task({ status: 'cancelled', open: false }))));
  const { user } = renderView(<TaskPage taskId="t-1" />, { path, session: CSIRT });
  const form = await screen.findByRole('form', { name: 'Cancel the task' });

  await user.click(within(form).getByRole('button', { name: 'Cancel task' }));
  expect(within(form).getByText(/Say why the task is no longer needed/)).toBeTruthy();
  expect(api.requests('POST /api/v1/tasks/:taskId/cancel')).toHaveLength(0);
  await user.type(within(form).getByRole('textbox', { name: /Reason for cancelling/ }), 'Sent to the wrong site.');
  await user.click(within(form).getByRole('button', { name: 'Cancel task' }));

  await waitFor(() => expect(posts).toEqual([{ reason: 'Sent to the wrong site.' }]));
  expect(api.requests('POST /api/v1/tasks/:taskId/cancel').map((u) => u.pathname)).toEqual(['/api/v1/tasks/t-1/cancel']);
});

test('a file over 5 MiB is refused before any upload; a small one goes as base64 JSON', async () => {
  const posts: Array<Record<string, unknown>> = [];
  const api = stubApi()
    .on(TASK, json(taskDetail()))
    .on('POST /api/v1/tasks/:taskId/attachments', (_url, init) => {
      posts.push(sent(init));
      return json(
        {
          attachmentId: 'a-1',
          fileName: 'sshd.log',
          contentType: 'text/plain',
          size: 5,
          sha256: 'ab'.repeat(32),
          addedBy: 'Sam Site-Admin',
          addedAt: '2026-12-03T12:00:00.000Z',
        },
        201,
      );
    });
  const { user } = renderView(<TaskPage taskId="t-1" />, { path, session: SITE_OFFICER });
  const form = await screen.findByRole('form', { name: 'Attach a file' });
  const input = within(form).getByLabelText('File (at most 5 MiB)');

  await user.upload(input, new File([new Uint8Array(5 * 1024 * 1024 + 1)], 'core.dump'));
  expect(within(form).getByText('core.dump is 5.0 MiB: an attachment may have at most 5 MiB.')).toBeTruthy();
  expect(within(form).getByRole('button', { name: 'Attach file' })).toHaveProperty('disabled', true);

  await user.upload(input, new File(['hello'], 'sshd.log', { type: 'text/plain' }));
  await user.click(within(form).getByRole('button', { name: 'Attach file' }));

  expect(await within(form).findByText('Attached sshd.log.')).toBeTruthy();
  expect(posts).toEqual([{ fileName: 'sshd.log', contentType: 'text/plain', contentBase64: btoa('hello') }]);
  expect(api.requests('POST /api/v1/tasks/:taskId/attachments').map((u) => u.pathname)).toEqual(['/api/v1/tasks/t-1/attachments']);
});

test('attachments are download links', async () => {
  stubApi().on(
    TASK,
    json(
      taskDetail({
        attachments: [
          {
            attachmentId: 'a-1',
            fileName: 'sshd.log',
            contentType: 'text/plain',
            size: 2048,
            sha256: 'ab'.repeat(32),
            addedBy: 'Sam Site-Admin',
            addedAt: '2026-12-03T12:00:00.000Z',
          },
        ],
      }),
    ),
  );

  renderView(<TaskPage taskId="t-1" />, { path, session: SITE_OFFICER });

  const link = await screen.findByRole('link', { name: 'Download sshd.log' });
  expect(link.getAttribute('href')).toBe('/api/v1/tasks/t-1/attachments/a-1');
  expect(within(screen.getByRole('table', { name: /Attachments \(1\)/ })).getByText('2.0 KiB')).toBeTruthy();
});

test('a comment is posted to the task’s comments', async () => {
  const posts: Array<Record<string, unknown>> = [];
  stubApi()
    .on(TASK, json(taskDetail()))
    .on('POST /api/v1/tasks/:taskId/comments', (_url, init) => (posts.push(sent(init)), { status: 204 }));
  const { user } = renderView(<TaskPage taskId="t-1" />, { path, session: SITE_OFFICER });
  const form = await screen.findByRole('form', { name: 'Add a comment' });

  await user.type(within(form).getByRole('textbox', { name: 'Comment' }), 'Patched 40 of 60 nodes.');
  await user.click(within(form).getByRole('button', { name: 'Add comment' }));

  expect(await within(form).findByText('Comment added.')).toBeTruthy();
  expect(posts).toEqual([{ body: 'Patched 40 of 60 nodes.' }]);
});
