import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi, type ApiStub } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { cveTags, hostRow, ngi, page, site } from '../../test-support/fixtures';
import { HostsListPage } from './hosts-list';

const HOSTS = 'GET /api/v1/hosts';
const path = '/patch-monitoring/hosts';

/** The filters' choices: NGIs, sites and risk tags. */
const withFilters = (api: ApiStub) =>
  api
    .on('GET /api/v1/ngis', json(page([ngi()])))
    .on('GET /api/v1/sites', json(page([site()])))
    .on('GET /api/v1/cve-tags', json(cveTags()));

test('the hosts list says it is loading', async () => {
  withFilters(stubApi().on(HOSTS, pending));

  renderView(<HostsListPage />, { path });

  await findLoading('hosts');
});

test('a failed load of the hosts shows the error, and Retry loads them', async () => {
  const api = withFilters(stubApi().on(HOSTS, problem(500)));
  const { user } = renderView(<HostsListPage />, { path });
  const { retry } = await findError('hosts');

  api.on(HOSTS, json(page([hostRow()])));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Hosts (1)' })).toBeTruthy();
});

test('filters that match no host say so, and name the filters', async () => {
  const api = withFilters(stubApi().on(HOSTS, json(page([]))));

  renderView(<HostsListPage />, { path: `${path}?cve=CVE-2024-6387&tag=EGI-Critical` });

  expect(await screen.findByText('No hosts match these filters.')).toBeTruthy();
  expect(screen.getByRole('table', { name: 'Hosts affected by CVE-2024-6387, with EGI-Critical CVEs (0)' })).toBeTruthy();
  const asked = api.requests(HOSTS)[0]!.searchParams;
  expect([asked.get('cve'), asked.get('tag')]).toEqual(['CVE-2024-6387', 'EGI-Critical']);
});

test('each host shows its site, OS, findings, tagged CVEs and flags', async () => {
  withFilters(
    stubApi().on(
      HOSTS,
      json(
        page([
          hostRow({ findingCount: 14, taggedCveCount: 2 }),
          hostRow({
            hostId: 'h-old',
            hostname: 'old.tromso.example.org',
            osKey: null,
            os: 'Plan 9',
            flags: ['packages-missing'],
            lastReportAt: '2025-12-01T00:00:00.000Z',
          }),
        ]),
      ),
    ),
  );

  renderView(<HostsListPage />, { path });

  const table = await screen.findByRole('table', { name: 'Hosts (2)' });
  const wn01 = within(table).getByRole('row', { name: /^wn01/ });
  expect(within(wn01).getByRole('link', { name: 'wn01.tromso.example.org' }).getAttribute('href')).toBe('/patch-monitoring/hosts/h-wn01');
  expect(within(wn01).getByRole('link', { name: 'NOR-TROMSO-GRID' }).getAttribute('href')).toBe('/registry/sites/s-tromso');
  expect(
    within(wn01)
      .getAllByRole('cell')
      .map((c) => c.textContent),
  ).toEqual(expect.arrayContaining(['rocky-9', '14', '2']));
  const old = within(table).getByRole('row', { name: /^old/ });
  for (const shown of ['unknown', 'silent', 'packages missing']) expect(old.textContent).toContain(shown);
});

test('choosing a risk tag asks the server for those hosts and keeps it in the address', async () => {
  const api = withFilters(stubApi().on(HOSTS, json(page([hostRow()]))));
  const { user } = renderView(<HostsListPage />, { path });
  const tag = screen.getByRole('combobox', { name: 'Risk tag' });
  await within(tag).findByRole('option', { name: 'EGI-High' });

  await user.selectOptions(tag, 'EGI-High');

  expect(await screen.findByRole('table', { name: 'Hosts with EGI-High CVEs (1)' })).toBeTruthy();
  expect(api.requests(HOSTS).at(-1)!.searchParams.get('tag')).toBe('EGI-High');
  expect(window.location.search).toBe('?tag=EGI-High');
});

test('silent hosts of an NGI: the address names days and the NGI, the server gets the time and the NGI', async () => {
  const api = withFilters(stubApi().on(HOSTS, json(page([hostRow()]))));

  renderView(<HostsListPage />, { path: `${path}?ngiId=n-no&silentDays=7` });

  expect(await screen.findByRole('table', { name: 'Hosts silent for 7+ days (1)' })).toBeTruthy();
  const asked = api.requests(HOSTS)[0]!.searchParams;
  expect(asked.get('ngiId')).toBe('n-no');
  expect(asked.get('silentDays')).toBeNull();
  const before = Date.parse(asked.get('reportedBefore') ?? '');
  expect(Math.abs(Date.now() - 7 * 86_400_000 - before)).toBeLessThan(60_000);
  expect(api.requests('GET /api/v1/sites')[0]!.searchParams.get('ngiId')).toBe('n-no');
});

test('the CSV export carries the filters of the list, not its page', async () => {
  withFilters(stubApi().on(HOSTS, json(page([hostRow()]))));

  renderView(<HostsListPage />, { path: `${path}?siteId=s-tromso&tag=EGI-Critical&offset=50&sort=os` });

  const link = await screen.findByRole('link', { name: 'Download CSV' });
  expect(link.getAttribute('href')).toBe('/api/v1/hosts.csv?siteId=s-tromso&tag=EGI-Critical');
});
