import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView, SESSIONS } from '../../test-support/render';
import { page } from '../../test-support/fixtures';
import { TaskInboxPage } from './inbox-page';
import { CSIRT, rule, SITE_OFFICER, task } from './test-fixtures';

const TASKS = 'GET /api/v1/tasks';
const RULES = 'GET /api/v1/deadline-rules';
const path = '/tasks';

test('the inbox says it is loading', async () => {
  stubApi()
    .on(RULES, json({ items: [] }))
    .on(TASKS, pending);

  renderView(<TaskInboxPage />, { path, session: SITE_OFFICER });

  await findLoading('tasks');
});

test('a failed load shows the error, and Retry loads the tasks', async () => {
  const api = stubApi()
    .on(RULES, json({ items: [] }))
    .on(TASKS, problem(500));
  const { user } = renderView(<TaskInboxPage />, { path, session: SITE_OFFICER });
  const { retry } = await findError('tasks');

  api.on(TASKS, json(page([task()])));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Open tasks (1)' })).toBeTruthy();
});

test('with nothing asked of the reader, the inbox says so', async () => {
  stubApi()
    .on(RULES, json({ items: [] }))
    .on(TASKS, json(page([])));

  renderView(<TaskInboxPage />, { path, session: SITE_OFFICER });

  expect(await screen.findByText(/No open task: nothing is asked/)).toBeTruthy();
  expect(screen.queryByRole('link', { name: 'Open a task' })).toBeNull();
});

test('each row shows the task, its addressee, type, priority, due time with "overdue" in words, status and TLP', async () => {
  const api = stubApi()
    .on(RULES, json({ items: [rule('vulnerability')] }))
    .on(
      TASKS,
      json(
        page([
          task({ overdue: true }),
          task({
            taskId: 't-2',
            title: 'Confirm the security contacts',
            scope: { type: 'ngi', id: 'n-no', name: 'NGI_NO', ngiId: 'n-no', ngiName: 'NGI_NO' },
            taskType: 'contact-check',
            priority: 'less urgent',
            status: 'acknowledged',
            measures: 'resolve',
            dueSoon: true,
            tlp: 'GREEN',
          }),
        ]),
      ),
    );

  renderView(<TaskInboxPage />, { path, session: SITE_OFFICER });

  const table = await screen.findByRole('table', { name: 'Open tasks (2)' });
  const late = within(table).getByRole('row', { name: /^Patch CVE-2024-6387/ });
  expect(within(late).getByRole('link', { name: 'Patch CVE-2024-6387 on the worker nodes' }).getAttribute('href')).toBe('/tasks/t-1');
  expect(within(late).getByRole('link', { name: 'NOR-TROMSO-GRID' }).getAttribute('href')).toBe('/registry/sites/s-tromso');
  expect(
    within(late)
      .getAllByRole('cell')
      .map((c) => c.textContent),
  ).toEqual(['NOR-TROMSO-GRIDsite of NGI_NO', 'vulnerability', 'urgent', '2026-12-03 14:00 UTC overdueto acknowledge', 'open', 'TLP:AMBER']);
  const soon = within(table).getByRole('row', { name: /^Confirm the security contacts/ });
  expect(within(soon).getByText('due soon')).toBeTruthy();
  expect(within(soon).getByRole('link', { name: 'NGI_NO' }).getAttribute('href')).toBe('/registry/ngis/n-no');
  expect(within(soon).getByText('TLP:GREEN')).toBeTruthy();
  expect(within(soon).queryByText('overdue')).toBeNull();
  const asked = api.requests(TASKS)[0]!;
  expect([asked.searchParams.get('status'), asked.searchParams.get('limit'), asked.searchParams.get('offset')]).toEqual([null, '50', '0']);
});

test('the filters go to the server and into the address', async () => {
  const api = stubApi()
    .on(RULES, json({ items: [rule('vulnerability'), rule('contact-check'), rule('vulnerability', 'urgent')] }))
    .on(TASKS, json(page([task()], { total: 120 })));
  const { user } = renderView(<TaskInboxPage />, { path, session: CSIRT });
  await screen.findByRole('table', { name: 'Open tasks (120)' });
  expect(screen.getByRole('link', { name: 'Open a task' }).getAttribute('href')).toBe('/tasks/new');

  await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'All');
  await user.selectOptions(screen.getByRole('combobox', { name: 'Type' }), 'contact-check');
  await user.click(screen.getByRole('checkbox', { name: 'Overdue only' }));
  await user.click(screen.getByRole('button', { name: 'Next page' }));

  await screen.findByRole('table', { name: 'All tasks, overdue of type contact-check (120)' });
  const last = api.requests(TASKS).at(-1)!;
  expect(Object.fromEntries(last.searchParams)).toEqual({ status: 'all', taskType: 'contact-check', overdue: 'true', limit: '50', offset: '50' });
  expect(window.location.search).toBe('?status=all&taskType=contact-check&overdue=true&offset=50');
  expect(
    within(screen.getByRole('combobox', { name: 'Type' }))
      .getAllByRole('option')
      .map((o) => o.textContent),
  ).toEqual(['All types', 'contact-check', 'vulnerability']);
});

test('a reader with no task of a kind sees the filtered empty state', async () => {
  stubApi()
    .on(RULES, json({ items: [] }))
    .on(TASKS, json(page([])));

  renderView(<TaskInboxPage />, { path: '/tasks?q=ssh', session: SESSIONS.csirt });

  expect(await screen.findByText('No task matches these filters.')).toBeTruthy();
});
