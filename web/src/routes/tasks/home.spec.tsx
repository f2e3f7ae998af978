import { screen, waitFor, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, problem, stubApi } from '../../test-support/api-stub';
import { findError, renderView, SESSIONS } from '../../test-support/render';
import { TasksHome } from './home';
import { taskKeys } from './hooks';
import { CSIRT, SITE_OFFICER, task } from './test-fixtures';

const ATTENTION = 'GET /api/v1/task-attention';

test('without task:read the home panel renders nothing and asks nothing', () => {
  const api = stubApi();

  const { container } = renderView(<TasksHome />, { session: SESSIONS.siteAdmin });

  expect(container.textContent).toBe('');
  expect(api.requests(ATTENTION)).toHaveLength(0);
});

test('with nothing overdue, due soon or waiting, the panel renders nothing', async () => {
  const api = stubApi().on(ATTENTION, json({ overdue: 0, dueSoon: 0, next: [] }));

  const { container, client } = renderView(<TasksHome />, { session: SITE_OFFICER });

  await waitFor(() => expect(client.getQueryState(taskKeys.attention())?.status).toBe('success'));
  expect(api.requests(ATTENTION)).toHaveLength(1);
  expect(container.textContent).toBe('');
});

test('a site officer sees how many tasks are overdue and due soon, and the next ones soonest due', async () => {
  stubApi().on(
    ATTENTION,
    json({
      overdue: 2,
      dueSoon: 1,
      next: [task({ overdue: true }), task({ taskId: 't-2', title: 'Confirm the security contacts', dueSoon: true })],
    }),
  );

  renderView(<TasksHome />, { session: SITE_OFFICER });

  const panel = await screen.findByRole('region', { name: 'Your tasks' });
  expect(
    within(panel)
      .getByRole('link', { name: /^2\s*overdue$/ })
      .getAttribute('href'),
  ).toBe('/tasks?overdue=true');
  expect(
    within(panel)
      .getByRole('link', { name: /^1\s*due soon$/ })
      .getAttribute('href'),
  ).toBe('/tasks');
  const table = within(panel).getByRole('table', { name: 'The 2 soonest due, still waiting for an answer' });
  expect(within(table).getByRole('link', { name: 'Confirm the security contacts' }).getAttribute('href')).toBe('/tasks/t-2');
  expect(within(table).getByText('overdue')).toBeTruthy();
  expect(within(panel).getByRole('link', { name: 'All tasks' }).getAttribute('href')).toBe('/tasks');
});

test('the CSIRT reads the federation’s tasks', async () => {
  stubApi().on(ATTENTION, json({ overdue: 7, dueSoon: 0, next: [task({ overdue: true })] }));

  renderView(<TasksHome />, { session: CSIRT });

  const panel = await screen.findByRole('region', { name: 'Tasks across the federation' });
  expect(within(panel).getByRole('link', { name: /^7\s*overdue$/ })).toBeTruthy();
  expect(within(panel).getByRole('link', { name: /^0\s*due soon$/ })).toBeTruthy();
});

test('a failed load shows the error with Retry', async () => {
  const api = stubApi().on(ATTENTION, problem(500));
  const { user } = renderView(<TasksHome />, { session: SITE_OFFICER });
  const { retry } = await findError('your tasks');

  api.on(ATTENTION, json({ overdue: 1, dueSoon: 0, next: [task({ overdue: true })] }));
  await user.click(retry);

  expect(await screen.findByRole('region', { name: 'Your tasks' })).toBeTruthy();
});
