import { screen, waitFor, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, stubApi } from '../../test-support/api-stub';
import { renderView } from '../../test-support/render';
import { ngi, page, site } from '../../test-support/fixtures';
import { NewTaskPage } from './new-task-page';
import { CSIRT, rule, SITE_OFFICER, task } from './test-fixtures';

const path = '/tasks/new';
const sites = [site({ siteId: 's-tromso', name: 'NOR-TROMSO-GRID' }), site({ siteId: 's-bergen', name: 'NOR-BERGEN' })];

function stubRegistry() {
  return stubApi()
    .on('GET /api/v1/deadline-rules', json({ items: [rule('vulnerability'), rule('vulnerability', 'top priority'), rule('contact-check')] }))
    .on('GET /api/v1/ngis', json(page([ngi()])))
    .on('GET /api/v1/sites', json(page(sites)));
}

test('without task:create the page says so and shows no form', () => {
  stubApi();

  renderView(<NewTaskPage />, { path, session: SITE_OFFICER });

  expect(screen.getByText(/Opening tasks needs the task:create permission/)).toBeTruthy();
  expect(screen.queryByRole('form')).toBeNull();
});

test('the form asks for an addressee, a type and a title before sending', async () => {
  const api = stubRegistry();
  const { user } = renderView(<NewTaskPage />, { path, session: CSIRT });
  const form = await screen.findByRole('form', { name: 'New task' });

  await user.click(within(form).getByRole('button', { name: 'Open task' }));

  expect(within(form).getByText('Choose at least one site, NGI or VO.')).toBeTruthy();
  expect(within(form).getByText('Choose the type of task.')).toBeTruthy();
  expect(within(form).getByText(/Say what is asked/)).toBeTruthy();
  expect(api.requests('POST /api/v1/tasks')).toHaveLength(0);
});

test('opening a task for two sites sends both, the type, priority, TLP, due time and the helpdesk choice', async () => {
  const bodies: unknown[] = [];
  stubRegistry().on('POST /api/v1/tasks', (_url, init) => {
    bodies.push(JSON.parse(String(init?.body)));
    return json({ items: [task(), task({ taskId: 't-2' })] }, 201);
  });
  const { user } = renderView(<NewTaskPage />, { path, session: CSIRT });
  const form = await screen.findByRole('form', { name: 'New task' });
  const list = await within(form).findByRole('list', { name: 'Sites to choose from' });

  await user.click(within(list).getByRole('checkbox', { name: 'NOR-TROMSO-GRID' }));
  await user.click(within(list).getByRole('checkbox', { name: 'NOR-BERGEN' }));
  await user.selectOptions(within(form).getByRole('combobox', { name: 'Type' }), 'vulnerability');
  await user.selectOptions(within(form).getByRole('combobox', { name: 'Priority' }), 'top priority');
  expect(within(form).getByText('Deadline: 4 working hours to acknowledge (SEC03).')).toBeTruthy();
  await user.type(within(form).getByRole('textbox', { name: /^Title/ }), 'Patch CVE-2024-6387');
  await user.type(within(form).getByRole('textbox', { name: 'Description' }), 'Update openssh-server.');
  await user.selectOptions(within(form).getByRole('combobox', { name: 'TLP' }), 'TLP:RED');
  await user.type(within(form).getByLabelText('Due (UTC, optional)'), '2026-12-03T14:00');
  await user.click(within(form).getByRole('checkbox', { name: 'Also open a helpdesk ticket' }));
  await user.click(within(form).getByRole('button', { name: 'Open 2 tasks' }));

  expect(await within(form).findByText('Opened 2 tasks.')).toBeTruthy();
  expect(bodies).toEqual([
    {
      targets: [
        { type: 'site', id: 's-tromso' },
        { type: 'site', id: 's-bergen' },
      ],
      taskType: 'vulnerability',
      priority: 'top priority',
      title: 'Patch CVE-2024-6387',
      description: 'Update openssh-server.',
      tlp: 'RED',
      dueAt: '2026-12-03T14:00:00.000Z',
      mirrorToHelpdesk: true,
    },
  ]);
});

test('one addressee: the new task opens', async () => {
  stubRegistry().on('POST /api/v1/tasks', json({ items: [task({ taskId: 't-7' })] }, 201));
  const { user } = renderView(<NewTaskPage />, { path, session: CSIRT });
  const form = await screen.findByRole('form', { name: 'New task' });
  await within(form).findByRole('list', { name: 'Sites to choose from' });

  await user.click(within(form).getByRole('button', { name: 'Add all 2 listed' }));
  await user.click(within(form).getByRole('button', { name: 'Remove NOR-BERGEN' }));
  expect(within(form).getByText('Chosen: 1 addressee')).toBeTruthy();
  await user.selectOptions(within(form).getByRole('combobox', { name: 'Type' }), 'contact-check');
  await user.type(within(form).getByRole('textbox', { name: /^Title/ }), 'Confirm the security contacts');
  await user.click(within(form).getByRole('button', { name: 'Open task' }));

  await waitFor(() => expect(window.location.pathname).toBe('/tasks/t-7'));
});
