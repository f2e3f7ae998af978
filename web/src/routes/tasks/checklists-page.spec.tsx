import { screen, waitFor, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, problem, stubApi } from '../../test-support/api-stub';
import { findError, renderView } from '../../test-support/render';
import { page, site } from '../../test-support/fixtures';
import { ChecklistPage, ChecklistsPage } from './checklists-page';
import { checklist, CSIRT, SITE_OFFICER, task } from './test-fixtures';
import type { ChecklistTemplate } from './types';

const LIST = 'GET /api/v1/checklists';

const proc19: ChecklistTemplate = {
  templateId: 'tpl-proc19',
  name: 'PROC19 site decommissioning',
  description: 'Retire a site safely.',
  ordered: true,
  scopeType: 'site',
  steps: [
    { title: 'Announce', description: '', party: 'addressee', amount: 5, unit: 'working-days' },
    { title: 'Confirm', description: '', party: 'ngi', amount: 2, unit: 'working-days' },
  ],
  builtin: true,
  updatedAt: '2026-01-01T00:00:00.000Z',
};

test('a failed load shows the error, and Retry loads the checklists', async () => {
  const api = stubApi().on(LIST, problem(500));
  const { user } = renderView(<ChecklistsPage />, { path: '/checklists', session: SITE_OFFICER });
  const { retry } = await findError('checklists');

  api.on(LIST, json({ items: [checklist()] }));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: /Checklists \(1\)/ })).toBeTruthy();
});

test('each checklist shows its progress in words, and a reader without task:create gets no form', async () => {
  stubApi().on(LIST, json({ items: [checklist()] }));

  renderView(<ChecklistsPage />, { path: '/checklists', session: SITE_OFFICER });

  const table = await screen.findByRole('table', { name: /Checklists \(1\)/ });
  const row = within(table).getByRole('row', { name: /PROC19 for NOR-TROMSO-GRID/ });
  expect(row.textContent).toContain('9 of 14 steps done, 2 late');
  expect(within(row).getByRole('link', { name: 'PROC19 for NOR-TROMSO-GRID' }).getAttribute('href')).toBe('/checklists/c-1');
  expect(screen.queryByRole('form', { name: 'Begin a checklist' })).toBeNull();
});

test('the CSIRT begins a checklist from a template for a site, then lands on it', async () => {
  const bodies: unknown[] = [];
  stubApi()
    .on(LIST, json({ items: [] }))
    .on('GET /api/v1/checklist-templates', json({ items: [proc19] }))
    .on('GET /api/v1/sites', json(page([site({ siteId: 's-tromso', name: 'NOR-TROMSO-GRID' })])))
    .on('POST /api/v1/checklists', (_url, init) => (bodies.push(JSON.parse(String(init?.body))), json({ instanceId: 'c-2' }, 201)));
  const { user } = renderView(<ChecklistsPage />, { path: '/checklists', session: CSIRT });
  const form = await screen.findByRole('form', { name: 'Begin a checklist' });
  expect(screen.getByText(/No checklist in your scopes. Begin one below./)).toBeTruthy();

  await user.selectOptions(within(form).getByRole('combobox', { name: 'Template' }), 'tpl-proc19');
  expect(within(form).getByRole('textbox', { name: /^Title/ })).toHaveProperty('value', 'PROC19 site decommissioning');
  await user.click(within(form).getByRole('button', { name: 'Begin checklist' }));
  expect(within(form).getByText('Choose the site.')).toBeTruthy();
  await within(form).findByRole('option', { name: 'NOR-TROMSO-GRID' });
  await user.selectOptions(within(form).getByRole('combobox', { name: 'Site' }), 'NOR-TROMSO-GRID');
  await user.click(within(form).getByRole('button', { name: 'Begin checklist' }));

  await waitFor(() => expect(window.location.pathname).toBe('/checklists/c-2'));
  expect(bodies).toEqual([{ templateId: 'tpl-proc19', title: 'PROC19 site decommissioning', target: { type: 'site', id: 's-tromso' } }]);
});

test("a checklist's page lists its steps in order, whatever their state", async () => {
  const api = stubApi()
    .on(LIST, json({ items: [checklist()] }))
    .on(
      'GET /api/v1/tasks',
      json(
        page([
          task({ taskId: 't-2', title: 'PROC19: step 2 of 14, Confirm', checklist: { instanceId: 'c-1', step: 2 } }),
          task({ taskId: 't-1', title: 'PROC19: step 1 of 14, Announce', status: 'resolved', checklist: { instanceId: 'c-1', step: 1 } }),
        ]),
      ),
    );

  renderView(<ChecklistPage instanceId="c-1" />, { path: '/checklists/c-1', session: SITE_OFFICER });

  const table = await screen.findByRole('table', { name: 'Steps opened (2 of 14), in order' });
  expect(
    within(table)
      .getAllByRole('rowheader')
      .map((h) => h.textContent),
  ).toEqual(['PROC19: step 1 of 14, Announce', 'PROC19: step 2 of 14, Confirm']);
  expect(await screen.findByRole('heading', { level: 1, name: 'PROC19 for NOR-TROMSO-GRID' })).toBeTruthy();
  const asked = api.requests('GET /api/v1/tasks')[0]!;
  expect([asked.searchParams.get('checklistId'), asked.searchParams.get('status')]).toEqual(['c-1', 'all']);
});

test('an unknown checklist reads as not found', async () => {
  stubApi()
    .on(LIST, json({ items: [] }))
    .on('GET /api/v1/tasks', json(page([])));

  renderView(<ChecklistPage instanceId="c-9" />, { path: '/checklists/c-9', session: SITE_OFFICER });

  expect(await screen.findByRole('heading', { name: 'Not found' })).toBeTruthy();
});
