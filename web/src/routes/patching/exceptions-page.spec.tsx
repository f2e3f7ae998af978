import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, stubApi } from '../../test-support/api-stub';
import { renderView, SESSIONS } from '../../test-support/render';
import { finding, hostDetail } from '../../test-support/fixtures';
import { ExceptionsPage } from './exceptions-page';
import { HostPage } from './host-page';
import type { FindingException } from './types';

const EXCEPTIONS = 'GET /api/v1/exceptions';
const POLICY = 'GET /api/v1/exception-policy';
const policy = (autoAcceptTags: string[] = []) => json({ allowedTags: ['EGI-Critical', 'EGI-High'], autoAcceptTags });

const exception = (o: Partial<FindingException> = {}): FindingException => ({
  exceptionId: 'x-1',
  siteId: 's-tromso',
  siteName: 'NOR-TROMSO-GRID',
  cve: 'CVE-2024-6387',
  hostId: 'h-wn01',
  hostname: 'wn01.tromso.example.org',
  packageName: null,
  osKey: null,
  justification: 'LoginGraceTime 0 set on every node until the reboot window',
  expiresAt: '2026-09-01T23:59:59.000Z',
  createdBy: 'Ola Nordmann',
  createdAt: '2026-06-01T10:00:00.000Z',
  revokedAt: null,
  status: 'pending',
  reviewedBy: null,
  reviewedAt: null,
  reviewReason: null,
  inEffect: false,
  abilities: ['exception:review'],
  ...o,
});

test('the CSIRT sees pending exceptions and accepts one by name', async () => {
  const api = stubApi()
    .on(POLICY, policy())
    .on(EXCEPTIONS, json({ items: [exception()] }))
    .on('POST /api/v1/exceptions/:exceptionId/accept', json(exception({ status: 'accepted', inEffect: true })));
  const { user } = renderView(<ExceptionsPage />, { path: '/patch-monitoring/exceptions' });

  const table = await screen.findByRole('table', { name: 'Pending review exceptions (1)' });
  const row = within(table).getByRole('row', { name: /CVE-2024-6387/ });
  expect(row.textContent).toContain('pending CSIRT review');
  await user.click(within(row).getByRole('button', { name: 'Accept the exception for CVE-2024-6387 at NOR-TROMSO-GRID on wn01.tromso.example.org' }));

  expect(api.requests('POST /api/v1/exceptions/:exceptionId/accept')[0]!.pathname).toBe('/api/v1/exceptions/x-1/accept');
  expect(api.requests(EXCEPTIONS)[0]!.searchParams.get('status')).toBe('pending');
});

test('rejecting asks for the reason the site will read', async () => {
  const api = stubApi()
    .on(POLICY, policy())
    .on(EXCEPTIONS, json({ items: [exception()] }))
    .on('POST /api/v1/exceptions/:exceptionId/reject', json(exception({ status: 'rejected' })));
  const { user } = renderView(<ExceptionsPage />, { path: '/patch-monitoring/exceptions' });
  const row = within(await screen.findByRole('table', { name: /Pending review/ })).getByRole('row', { name: /CVE-2024-6387/ });

  await user.click(within(row).getByRole('button', { name: /^Reject the exception/ }));
  const form = screen.getByRole('form', { name: /^Reject the exception for CVE-2024-6387/ });
  await user.type(within(form).getByRole('textbox', { name: 'Reason for rejecting' }), 'sshd is exposed to the internet');
  await user.click(within(form).getByRole('button', { name: 'Reject exception' }));

  await screen.findByRole('table', { name: /Pending review/ });
  expect(api.requests('POST /api/v1/exceptions/:exceptionId/reject')).toHaveLength(1);
});

test("a site officer's exceptions show no review buttons, and a reader without rights sees no action", async () => {
  stubApi()
    .on(POLICY, policy(['EGI-High']))
    .on(EXCEPTIONS, json({ items: [exception({ abilities: [] })] }));

  renderView(<ExceptionsPage />, { path: '/patch-monitoring/exceptions', session: SESSIONS.readOnly });

  const row = within(await screen.findByRole('table', { name: /Pending review/ })).getByRole('row', { name: /CVE-2024-6387/ });
  expect(within(row).queryByRole('button')).toBeNull();
  const rules = screen.getByRole('region', { name: 'Review policy' });
  expect(await within(rules).findByText(/tagged EGI-Critical takes effect only once the CSIRT accepts it/)).toBeTruthy();
  expect(within(rules).getByText(/tagged EGI-High takes effect at once/)).toBeTruthy();
  expect(within(rules).queryByRole('form')).toBeNull();
});

test('the host page marks an excepted finding and one whose exception waits for review', async () => {
  stubApi()
    .on(
      'GET /api/v1/hosts/:hostId',
      json(
        hostDetail({
          abilities: ['exception:manage'],
          findings: [
            finding({ cve: 'CVE-2024-6387', tag: 'EGI-Critical', exception: { justification: 'mitigated', expiresAt: '2026-09-01T00:00:00.000Z' } }),
            finding({ cve: 'CVE-2024-2961', package: 'glibc', tag: 'EGI-High', pendingException: { justification: 'not used' } }),
          ],
        }),
      ),
    )
    .on(EXCEPTIONS, json({ items: [exception({ status: 'accepted', inEffect: true, abilities: ['exception:manage'] })] }));

  renderView(<HostPage hostId="h-wn01" />, { path: '/patch-monitoring/hosts/h-wn01' });

  const excepted = (await screen.findByRole('rowheader', { name: /CVE-2024-6387/ })).closest('tr') as HTMLElement;
  const pendingRow = screen.getByRole('rowheader', { name: /CVE-2024-2961/ }).closest('tr') as HTMLElement;
  expect(within(excepted).getByText('excepted')).toBeTruthy();
  expect(within(pendingRow).getByText('exception pending review')).toBeTruthy();
  const list = await screen.findByRole('table', { name: /Exceptions for wn01/ });
  expect(within(list).getByText('in effect')).toBeTruthy();
  expect(within(list).getByRole('button', { name: /^Revoke the exception for CVE-2024-6387/ })).toBeTruthy();
  expect(screen.getByRole('form', { name: /Record an exception on wn01/ })).toBeTruthy();
});

test('the CSIRT sets which tag levels skip review', async () => {
  let sent: unknown;
  stubApi()
    .on(POLICY, policy())
    .on(EXCEPTIONS, json({ items: [] }))
    .on('PUT /api/v1/exception-policy', (_url, init) => ((sent = JSON.parse(String(init?.body))), policy(['EGI-High'])));
  const { user } = renderView(<ExceptionsPage />, { path: '/patch-monitoring/exceptions' });

  const form = await screen.findByRole('form', { name: 'Tags whose exceptions take effect without review' });
  await user.click(within(form).getByRole('checkbox', { name: 'EGI-High' }));
  await user.click(within(form).getByRole('button', { name: 'Save policy' }));

  expect((await within(form).findByText('Saved.')).textContent).toBe('Saved.');
  expect(sent).toEqual({ autoAcceptTags: ['EGI-High'] });
});
