import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, stubApi } from '../../test-support/api-stub';
import { renderView, SESSIONS } from '../../test-support/render';
import { cveTag, cveTags, hostRow, page, siteDetail } from '../../test-support/fixtures';
import { PatchingHome } from './home';

const HOSTS = 'GET /api/v1/hosts';

test("a site's administrator lands on their site: hosts, hosts per risk tag, silent hosts, the report policy", async () => {
  const api = stubApi()
    .on('GET /api/v1/sites/:id', json(siteDetail({ siteId: 's-tromso', name: 'NOR-TROMSO-GRID' })))
    .on('GET /api/v1/cve-tags', json(cveTags()))
    .on('GET /api/v1/sites/:id/report-policy', json({ anonymousAllowed: true }))
    .on(HOSTS, (url) => {
      const total = url.searchParams.get('tag') === 'EGI-Critical' ? 3 : url.searchParams.get('reportedBefore') ? 2 : url.searchParams.get('tag') ? 0 : 12;
      return json(page([hostRow()], { total }));
    });

  renderView(<PatchingHome />, { session: SESSIONS.siteAdmin });

  const panel = await screen.findByRole('region', { name: 'Your site: NOR-TROMSO-GRID' });
  expect(await within(panel).findByRole('link', { name: /^3\s*Hosts with EGI-Critical CVEs$/ })).toBeTruthy();
  expect(
    within(panel)
      .getByRole('link', { name: /^12\s*Hosts reporting$/ })
      .getAttribute('href'),
  ).toBe('/patch-monitoring/hosts?siteId=s-tromso');
  expect(
    within(panel)
      .getByRole('link', { name: /^2\s*Silent 7\+ days$/ })
      .getAttribute('href'),
  ).toBe('/patch-monitoring/hosts?siteId=s-tromso&silentDays=7');
  expect(await within(panel).findByText(/also accepts anonymous reports/)).toBeTruthy();
  expect(api.requests(HOSTS).every((u) => u.searchParams.get('siteId') === 's-tromso')).toBe(true);
});

test('the CSIRT lands on the tagged CVEs still exposed, with the sites past their deadline', async () => {
  stubApi()
    .on('GET /api/v1/cve-tags', json(cveTags([cveTag({ cve: 'CVE-2024-6387', tag: 'EGI-Critical' })])))
    .on(
      'GET /api/v1/cves/:id/time-to-patch',
      json({
        cve: 'CVE-2024-6387',
        tag: 'EGI-Critical',
        taggedAt: '2026-11-01T00:00:00.000Z',
        deadline: '2026-11-08T00:00:00.000Z',
        deadlineDays: 7,
        asOf: '2026-12-03T00:00:00.000Z',
        vulnerableNow: 9,
        medianHoursToFix: 30,
        series: [],
        sites: [
          { siteId: 'a', siteName: 'A', ngiName: 'N', vulnerableNow: 6, fixed: 1, medianHoursToFix: 30 },
          { siteId: 'b', siteName: 'B', ngiName: 'N', vulnerableNow: 3, fixed: 0, medianHoursToFix: null },
          { siteId: 'c', siteName: 'C', ngiName: 'N', vulnerableNow: 0, fixed: 4, medianHoursToFix: 20 },
        ],
        overdueSites: [
          { siteId: 'a', siteName: 'A', ngiName: 'N', vulnerableNow: 6, fixed: 1, medianHoursToFix: 30 },
          { siteId: 'b', siteName: 'B', ngiName: 'N', vulnerableNow: 3, fixed: 0, medianHoursToFix: null },
        ],
      }),
    );

  renderView(<PatchingHome />, { session: SESSIONS.csirt });

  const table = await screen.findByRole('table', { name: /tagged CVEs, most severe tag first, then newest/ });
  const row = within(table).getByRole('row', { name: /CVE-2024-6387/ });
  await within(row).findByText('9');
  expect(
    within(row)
      .getAllByRole('cell')
      .slice(2)
      .map((c) => c.textContent),
  ).toEqual(['9', '2', '2']);
});

test('someone with no site, NGI or CSIRT role gets no patch panel', () => {
  stubApi();

  const { container } = renderView(<PatchingHome />, { session: SESSIONS.readOnly });

  expect(container.textContent).toBe('');
});
