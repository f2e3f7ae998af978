import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView, SESSIONS } from '../../test-support/render';
import { page, person, personDetail, role } from '../../test-support/fixtures';
import { PeopleListPage, PersonDetailPage } from './people';

const PEOPLE = 'GET /api/v1/people';
const PERSON = 'GET /api/v1/people/:personId';

test('the people list says it is loading', async () => {
  stubApi().on(PEOPLE, pending);

  renderView(<PeopleListPage />, { path: '/registry/people' });

  await findLoading('people');
});

test('a failed load of the people shows the error, and Retry loads them', async () => {
  const api = stubApi().on(PEOPLE, problem(500));
  const { user } = renderView(<PeopleListPage />, { path: '/registry/people' });
  const { retry } = await findError('people');

  api.on(PEOPLE, json(page([person()])));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'People (1)' })).toBeTruthy();
});

test('a search that finds nobody within your scopes says so', async () => {
  const api = stubApi().on(PEOPLE, json(page([])));

  renderView(<PeopleListPage />, { path: '/registry/people?q=zed&role=csirt' });

  expect(await screen.findByText('No people match “zed” within your scopes.')).toBeTruthy();
  const asked = api.requests(PEOPLE)[0]!.searchParams;
  expect([asked.get('q'), asked.get('role')]).toEqual(['zed', 'csirt']);
});

test('each person links to their page with e-mail, DN and account', async () => {
  stubApi().on(PEOPLE, json(page([person(), person({ personId: 'p-kari', name: 'Kari Nordmann', email: null, dn: null, hasAccount: false })])));

  renderView(<PeopleListPage />, { path: '/registry/people' });

  const table = await screen.findByRole('table', { name: 'People (2)' });
  const ola = within(table).getByRole('row', { name: /^Ola Nordmann/ });
  expect(within(ola).getByRole('link', { name: 'Ola Nordmann' }).getAttribute('href')).toBe('/registry/people/p-ola');
  expect(ola.textContent).toContain('/DC=org/DC=example/CN=Ola Nordmann');
  expect(ola.textContent).toContain('local account');
  expect(within(table).getByRole('row', { name: /^Kari Nordmann/ }).textContent).toContain('none');
});

test('a person outside your scopes is not found, with no Retry', async () => {
  stubApi().on(PERSON, problem(404, 'person p-x not found'));

  renderView(<PersonDetailPage personId="p-x" />, { path: '/registry/people/p-x', session: SESSIONS.readOnly });

  expect(await screen.findByRole('heading', { name: 'Not found' })).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
});

test('a person page lists the roles they hold', async () => {
  stubApi().on(PERSON, json(personDetail({ roles: [role()] })));

  renderView(<PersonDetailPage personId="p-ola" />, { path: '/registry/people/p-ola', session: SESSIONS.readOnly });

  const roles = await screen.findByRole('table', { name: 'Roles held by Ola Nordmann' });
  expect(roles.textContent).toContain('NOR-TROMSO-GRID');
});

test('a person with no role is said so', async () => {
  stubApi().on(PERSON, json(personDetail()));

  renderView(<PersonDetailPage personId="p-ola" />, { path: '/registry/people/p-ola', session: SESSIONS.readOnly });

  expect(await screen.findByText('Ola Nordmann holds no role.')).toBeTruthy();
});
