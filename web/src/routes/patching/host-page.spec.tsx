import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView, SESSIONS } from '../../test-support/render';
import { EARLIER, finding, hostDetail } from '../../test-support/fixtures';
import { HostPage } from './host-page';

const HOST = 'GET /api/v1/hosts/:hostId';
const path = '/patch-monitoring/hosts/h-wn01';

test('the host page says it is loading', async () => {
  stubApi()
    .on('GET /api/v1/exceptions', json({ items: [] }))
    .on(HOST, pending);

  renderView(<HostPage hostId="h-wn01" />, { path });

  await findLoading('host');
});

test('a failed load of the host shows the error, and Retry loads it', async () => {
  const api = stubApi()
    .on('GET /api/v1/exceptions', json({ items: [] }))
    .on(HOST, problem(500));
  const { user } = renderView(<HostPage hostId="h-wn01" />, { path });
  const { retry } = await findError('host');

  api.on(HOST, json(hostDetail()));
  await user.click(retry);

  expect(await screen.findByRole('heading', { level: 1, name: 'wn01.tromso.example.org' })).toBeTruthy();
});

test('a host outside your NGI is not found, even by direct link, with no Retry', async () => {
  stubApi()
    .on('GET /api/v1/exceptions', json({ items: [] }))
    .on(HOST, problem(404, 'host h-other not found'));

  renderView(<HostPage hostId="h-other" />, { path: '/patch-monitoring/hosts/h-other', session: SESSIONS.siteAdmin });

  expect(await screen.findByRole('heading', { name: 'Not found' })).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
});

test('a host with no finding and no package list yet says so in each part', async () => {
  stubApi()
    .on('GET /api/v1/exceptions', json({ items: [] }))
    .on(HOST, json(hostDetail()));

  renderView(<HostPage hostId="h-wn01" />, { path });

  expect(await screen.findByText('No known vulnerability affects the packages wn01.tromso.example.org reported.')).toBeTruthy();
  expect(screen.getByText('No package list stored for this host yet.')).toBeTruthy();
  expect(screen.getByText('No finding recorded on this host.')).toBeTruthy();
  expect(screen.getByText(/^No package change since the first report/)).toBeTruthy();
});

test('findings come tagged first, then by severity, and the packages can be filtered', async () => {
  stubApi()
    .on('GET /api/v1/exceptions', json({ items: [] }))
    .on(
      HOST,
      json(
        hostDetail({
          packages: [
            { name: 'openssh-server', version: '8.7p1-38.el9', arch: 'x86_64' },
            { name: 'glibc', version: '2.34-100.el9', arch: 'x86_64' },
            { name: 'bash', version: '5.1.8-9.el9', arch: 'x86_64' },
          ],
          findings: [
            finding({
              cve: 'CVE-2024-2961',
              package: 'glibc',
              installedVersion: '2.34-100.el9',
              severity: 'Low',
              fixAvailable: false,
              fixedVersion: null,
              advisoryId: null,
            }),
            finding({ cve: 'CVE-2024-6387', tag: 'EGI-Critical' }),
            finding({ cve: 'CVE-2023-4911', package: 'glibc', installedVersion: '2.34-100.el9', severity: 'Important' }),
          ],
          findingHistory: [{ cve: 'CVE-2024-6387', package: 'openssh-server', firstSeenAt: EARLIER, fixedAt: null }],
        }),
      ),
    );
  const { user } = renderView(<HostPage hostId="h-wn01" />, { path });

  const findings = await screen.findByRole('table', { name: 'Findings on wn01.tromso.example.org (3)' });
  const cves = within(findings)
    .getAllByRole('rowheader')
    .map((h) => within(h).getByRole('link').textContent);
  expect(cves).toEqual(['CVE-2024-6387', 'CVE-2023-4911', 'CVE-2024-2961']);
  const critical = within(findings).getByRole('row', { name: /CVE-2024-6387/ });
  expect(critical.textContent).toContain('EGI-Critical');
  expect(critical.textContent).toContain('fix available');
  expect(within(findings).getByRole('row', { name: /CVE-2024-2961/ }).textContent).toContain('no fix');

  await user.type(screen.getByRole('searchbox', { name: 'Filter packages' }), 'ssh');

  const packages = screen.getByRole('table', { name: 'Packages of wn01.tromso.example.org (1 of 3)' });
  expect(within(packages).getByRole('row', { name: /openssh-server/ }).textContent).toContain('vulnerable');
  expect(screen.getByRole('table', { name: /When each finding appeared/ }).textContent).toContain('still open');
});

// Issue 10, items 5 and 11: a fix published only to Ubuntu Pro, and one released without a version, say so beside the fix.
test('a fix that needs Ubuntu Pro, and a fix whose version the vendor did not state, are marked in the Fix column', async () => {
  stubApi()
    .on('GET /api/v1/exceptions', json({ items: [] }))
    .on(
      HOST,
      json(
        hostDetail({
          findings: [
            finding({
              cve: 'CVE-2020-25638',
              package: 'libhibernate3-java',
              fixedVersion: '0:3.6.10.Final-10ubuntu0.22.04.1~esm1',
              notes: ['policy:fix-needs-ubuntu-pro'],
            }),
            finding({ cve: 'CVE-2023-28486', package: 'sudo', fixedVersion: null, notes: ['policy:fixed-version-unknown'] }),
          ],
        }),
      ),
    );

  renderView(<HostPage hostId="h-wn01" />, { path });

  const pro = (await screen.findByRole('rowheader', { name: /CVE-2020-25638/ })).closest('tr') as HTMLElement;
  const sudo = screen.getByRole('rowheader', { name: /CVE-2023-28486/ }).closest('tr') as HTMLElement;
  expect(within(pro).getByText('needs Ubuntu Pro (ESM)')).toBeTruthy();
  expect(within(sudo).getByText('version not stated by the vendor')).toBeTruthy();
  expect(within(sudo).getByText('fix available')).toBeTruthy();
});

// Issue 11, item 5: notes read as sentences; the policy key stays in the tooltip.
test('evaluation and finding notes are shown as sentences, with their key as the tooltip', async () => {
  const kernel = 'The report does not say which kernel runs, so every installed kernel was judged.';
  stubApi()
    .on('GET /api/v1/exceptions', json({ items: [] }))
    .on(
      HOST,
      json(
        hostDetail({
          evaluationNotes: ['policy:kernel-running-unknown'],
          noteSentences: { 'policy:kernel-running-unknown': kernel },
          findings: [finding({ cve: 'CVE-2024-1086', package: 'kernel', notes: ['policy:kernel-running-unknown'] })],
        }),
      ),
    );

  renderView(<HostPage hostId="h-wn01" />, { path });

  const row = (await screen.findByRole('rowheader', { name: /CVE-2024-1086/ })).closest('tr') as HTMLElement;
  expect(within(row).getByText(kernel).getAttribute('title')).toBe('policy:kernel-running-unknown');
  expect(screen.getAllByText(kernel)).toHaveLength(2);
  expect(screen.queryByText('policy:kernel-running-unknown')).toBeNull();
});
