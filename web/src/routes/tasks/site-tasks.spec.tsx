import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, stubApi } from '../../test-support/api-stub';
import { renderView } from '../../test-support/render';
import { page } from '../../test-support/fixtures';
import { SiteTasks } from './site-tasks';
import { SITE_OFFICER, task } from './test-fixtures';

test('without task:read on the site the panel renders nothing and asks nothing', () => {
  const api = stubApi();

  const { container } = renderView(<SiteTasks siteId="s-tromso" siteName="NOR-TROMSO-GRID" abilities={['registry:read']} />, { session: SITE_OFFICER });

  expect(container.textContent).toBe('');
  expect(api.requests('GET /api/v1/tasks')).toHaveLength(0);
});

test("the site's open tasks, asked of the server for this site", async () => {
  const api = stubApi().on('GET /api/v1/tasks', json(page([task({ overdue: true })])));

  renderView(<SiteTasks siteId="s-tromso" siteName="NOR-TROMSO-GRID" abilities={['registry:read', 'task:read']} />, { session: SITE_OFFICER });

  const table = await screen.findByRole('table', { name: 'Open tasks of NOR-TROMSO-GRID (1), soonest due first' });
  expect(within(table).getByRole('link', { name: 'Patch CVE-2024-6387 on the worker nodes' })).toBeTruthy();
  expect(within(table).getByText('overdue')).toBeTruthy();
  const asked = api.requests('GET /api/v1/tasks')[0]!;
  expect([asked.searchParams.get('scopeType'), asked.searchParams.get('scopeId')]).toEqual(['site', 's-tromso']);
});

test('a site with no open task says so', async () => {
  stubApi().on('GET /api/v1/tasks', json(page([])));

  renderView(<SiteTasks siteId="s-tromso" siteName="NOR-TROMSO-GRID" abilities={['task:read']} />, { session: SITE_OFFICER });

  expect(await screen.findByText('No open task for NOR-TROMSO-GRID.')).toBeTruthy();
});
