import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { ngi, page, site } from '../../test-support/fixtures';
import { SitesListPage } from './sites-list';

const SITES = 'GET /api/v1/sites';
const NGIS = 'GET /api/v1/ngis';
const ngiList = json(page([ngi(), ngi({ ngiId: 'n-se', name: 'NGI_SE' })]));

test('the sites list says it is loading', async () => {
  stubApi().on(SITES, pending).on(NGIS, ngiList);

  renderView(<SitesListPage />, { path: '/registry/sites' });

  await findLoading('sites');
});

test('a failed load of the sites shows the error, and Retry loads them', async () => {
  const api = stubApi().on(SITES, problem(500)).on(NGIS, ngiList);
  const { user } = renderView(<SitesListPage />, { path: '/registry/sites' });
  const { retry } = await findError('sites');

  api.on(SITES, json(page([site()])));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Sites (1)' })).toBeTruthy();
});

test('filters that match no site say so', async () => {
  stubApi()
    .on(SITES, json(page([])))
    .on(NGIS, ngiList);

  renderView(<SitesListPage />, { path: '/registry/sites?q=nowhere' });

  expect(await screen.findByText('No sites match these filters.')).toBeTruthy();
  expect(screen.getByRole('table', { name: 'Sites matching “nowhere” (0)' })).toBeTruthy();
});

test('each site links to its page and shows its NGI, certification and security e-mail', async () => {
  stubApi()
    .on(
      SITES,
      json(
        page(
          [
            site(),
            site({
              siteId: 's-umea',
              name: 'SE-UMEA',
              ngiId: 'n-se',
              ngiName: 'NGI_SE',
              certificationStatus: 'suspended',
              isProduction: false,
              securityEmail: null,
            }),
          ],
          { total: 2 },
        ),
      ),
    )
    .on(NGIS, ngiList);

  renderView(<SitesListPage />, { path: '/registry/sites' });

  const table = await screen.findByRole('table', { name: 'Sites (2)' });
  const tromso = within(table).getByRole('row', { name: /^NOR-TROMSO-GRID/ });
  expect(within(tromso).getByRole('link', { name: 'NOR-TROMSO-GRID' }).getAttribute('href')).toBe('/registry/sites/s-tromso');
  expect(within(tromso).getByRole('link', { name: 'security@tromso.example.org' }).getAttribute('href')).toBe('mailto:security@tromso.example.org');
  expect(tromso.textContent).toContain('certified');
  const umea = within(table).getByRole('row', { name: /^SE-UMEA/ });
  expect(umea.textContent).toContain('suspended');
  expect(umea.textContent).toContain('test');
  expect(within(screen.getByRole('combobox', { name: 'NGI' })).getByRole('option', { name: 'NGI_SE' })).toBeTruthy();
});

test('a column header sorts on the server and says how it sorts', async () => {
  const api = stubApi()
    .on(SITES, json(page([site()])))
    .on(NGIS, ngiList);
  const { user } = renderView(<SitesListPage />, { path: '/registry/sites' });
  await screen.findByRole('table', { name: 'Sites (1)' });

  await user.click(screen.getByRole('button', { name: /^Country/ }));

  expect(await screen.findByRole('columnheader', { name: /^Country/ })).toBeTruthy();
  expect(screen.getByRole('columnheader', { name: /^Country/ }).getAttribute('aria-sort')).toBe('ascending');
  const last = api.requests(SITES).at(-1)!;
  expect([last.searchParams.get('sort'), last.searchParams.get('order')]).toEqual(['country', 'asc']);
});
