import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi, type ApiStub } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { cveTag, cveTags, feed, hostRow, page, summary, summaryGroup } from '../../test-support/fixtures';
import { PatchOverviewPage } from './overview-page';

const SUMMARY = 'GET /api/v1/patching/summary';
const TAGS = 'GET /api/v1/cve-tags';
const FEEDS = 'GET /api/v1/feeds';
const HOSTS = 'GET /api/v1/hosts';
const path = '/patch-monitoring';

/** Host counts as the hosts list answers limit=1 queries: 40 hosts, 38 reported this week, 5 with each tag. */
const counts = (api: ApiStub) =>
  api.on(HOSTS, (url) => {
    const total = url.searchParams.get('tag') ? 5 : url.searchParams.get('activeSince') ? 38 : 40;
    return json(page([hostRow()], { total, limit: 1 }));
  });

test('each part of the overview says it is loading', async () => {
  stubApi().on(HOSTS, pending).on(SUMMARY, pending).on(TAGS, pending).on(FEEDS, pending);

  renderView(<PatchOverviewPage />, { path });

  await findLoading('summary');
  await findLoading('risk tags');
  await findLoading('feeds');
});

test('a failed drill-down shows its error, and Retry loads it; the other parts stay', async () => {
  const api = counts(stubApi())
    .on(SUMMARY, problem(500))
    .on(TAGS, json(cveTags()))
    .on(FEEDS, json({ items: [feed()] }));
  const { user } = renderView(<PatchOverviewPage />, { path });
  const { retry } = await findError('summary');
  expect(await screen.findByRole('table', { name: 'Feeds' })).toBeTruthy();

  api.on(SUMMARY, json(summary([summaryGroup()])));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Hosts and sites per NGI; a count links to those hosts' })).toBeTruthy();
});

test('failed risk tags and feeds each show an error with Retry', async () => {
  const api = counts(stubApi())
    .on(SUMMARY, json(summary([])))
    .on(TAGS, problem(500))
    .on(FEEDS, problem(500));
  const { user } = renderView(<PatchOverviewPage />, { path });
  const tags = await findError('risk tags');
  const feeds = await findError('feeds');

  api.on(TAGS, json(cveTags([cveTag()]))).on(FEEDS, json({ items: [feed()] }));
  await user.click(tags.retry);
  await user.click(feeds.retry);

  expect(await screen.findByRole('link', { name: 'CVE-2024-6387' })).toBeTruthy();
  expect(await screen.findByRole('table', { name: 'Feeds' })).toBeTruthy();
});

test('before any host reports, each part says it is empty', async () => {
  stubApi()
    .on(HOSTS, json(page([], { limit: 1 })))
    .on(SUMMARY, json(summary([])))
    .on(TAGS, json(cveTags()))
    .on(FEEDS, json({ items: [] }));

  renderView(<PatchOverviewPage />, { path });

  expect(await screen.findByText('No NGI is in your reach.')).toBeTruthy();
  expect(await screen.findByText('No CVE is tagged yet.')).toBeTruthy();
  expect(await screen.findByText('No feed is registered.')).toBeTruthy();
});

test('the overview counts hosts, silent hosts and hosts per tag, and drills down by NGI', async () => {
  counts(stubApi())
    .on(
      SUMMARY,
      json(
        summary([summaryGroup({ byTag: { 'EGI-Critical': 5 }, byLifecycleRule: { 'CentOS 7 end of life': 3 } }), summaryGroup({ id: 'n-se', name: 'NGI_SE' })]),
      ),
    )
    .on(TAGS, json(cveTags([cveTag()])))
    .on(FEEDS, json({ items: [feed({ warnings: ['3 definitions skipped'] })] }));

  renderView(<PatchOverviewPage />, { path });

  // A stat is one link: its figure, then what it counts.
  expect(await screen.findByRole('link', { name: /^40\s*Hosts reporting$/ })).toBeTruthy();
  expect(await screen.findByRole('link', { name: /^2\s*Silent hosts \(no report for 7 days\)$/ })).toBeTruthy();
  expect(await screen.findByRole('link', { name: /^5\s*Hosts with EGI-Critical CVEs$/ })).toBeTruthy();
  const table = await screen.findByRole('table', { name: 'Hosts and sites per NGI; a count links to those hosts' });
  expect(within(table).getByRole('columnheader', { name: 'CentOS 7 end of life' })).toBeTruthy();
  const no = within(table).getByRole('row', { name: /^NGI_NO/ });
  expect(within(no).getByRole('link', { name: 'NGI_NO' }).getAttribute('href')).toBe('/patch-monitoring?ngi=n-no');
  expect(
    within(no)
      .getAllByRole('cell')
      .map((c) => c.textContent),
  ).toEqual(['5', '1', '40', '12', '2', '5', '0', '3']);
  // Sites not reporting lead into the NGI; silent hosts into the host list.
  expect(within(no).getByRole('link', { name: '1' }).getAttribute('href')).toBe('/patch-monitoring?ngi=n-no');
  expect(within(no).getByRole('link', { name: '2' }).getAttribute('href')).toBe('/patch-monitoring/hosts?ngiId=n-no&silentDays=7');
  expect(screen.getByRole('alert').textContent).toBe('1 feed has warnings: see the feed status.');
});

test('an NGI drilled into lists its sites, those not reporting first as the server orders them, each count linking to those hosts', async () => {
  const api = counts(stubApi())
    .on(SUMMARY, (url) =>
      url.searchParams.get('ngiId')
        ? json(
            summary(
              [
                summaryGroup({ id: 's-bergen', name: 'NOR-BERGEN', hosts: 0, vulnerable: 0, silent: 0, sites: 1, sitesNotReporting: 1, reporting: 'none' }),
                summaryGroup({
                  id: 's-old',
                  name: 'NOR-OLD',
                  hosts: 3,
                  vulnerable: 0,
                  silent: 0,
                  sites: 1,
                  sitesNotReporting: 0,
                  reporting: 'yes',
                  removed: true,
                }),
                summaryGroup({
                  id: 's-tromso',
                  name: 'NOR-TROMSO-GRID',
                  hosts: 10,
                  silent: 1,
                  sites: 1,
                  sitesNotReporting: 0,
                  reporting: 'yes',
                  byTag: { 'EGI-Critical': 2 },
                }),
              ],
              'site',
            ),
          )
        : json(summary([summaryGroup()])),
    )
    .on(TAGS, json(cveTags()))
    .on(FEEDS, json({ items: [feed()] }));

  renderView(<PatchOverviewPage />, { path: `${path}?ngi=n-no` });

  const table = await screen.findByRole('table', { name: 'Sites, those not reporting first; a count links to those hosts' });
  expect(await screen.findByRole('heading', { name: 'Sites of NGI_NO' })).toBeTruthy();
  const row = within(table).getByRole('row', { name: /^NOR-TROMSO-GRID/ });
  expect(within(row).getByRole('link', { name: 'NOR-TROMSO-GRID' }).getAttribute('href')).toBe('/patch-monitoring/hosts?siteId=s-tromso');
  expect(within(row).getByRole('link', { name: '2' }).getAttribute('href')).toBe('/patch-monitoring/hosts?siteId=s-tromso&tag=EGI-Critical');
  expect(within(row).getByRole('link', { name: '1' }).getAttribute('href')).toBe('/patch-monitoring/hosts?siteId=s-tromso&silentDays=7');
  expect(
    within(table)
      .getAllByRole('row')
      .slice(1)
      .map((r) => within(r).getAllByRole('cell')[0]!.textContent),
  ).toEqual(['No host has ever reported', 'Reporting', 'Reporting']);
  expect(within(table).getByRole('row', { name: /^NOR-OLD/ }).textContent).toContain('removed');
  expect(screen.getByRole('link', { name: 'All NGIs' })).toBeTruthy();
  expect(api.requests(SUMMARY).map((u) => u.searchParams.get('ngiId'))).toEqual(expect.arrayContaining(['n-no', null]));
});
