import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi, type ApiStub } from '../../test-support/api-stub';
import { findError, findLoading, renderView, SESSIONS } from '../../test-support/render';
import { auditEvent, endpoint, hostRow, ngiDetail, page, role, siteDetail } from '../../test-support/fixtures';
import { SiteDetailPage } from './site-detail';

const SITE = 'GET /api/v1/sites/:siteId';
const path = '/registry/sites/s-tromso';
// A site administrator of the site sees every part of the page: patch monitoring, enrolment tokens, history.
const session = SESSIONS.siteAdmin;
const abilities = ['audit:read', 'endpoint:write', 'enrolment:manage', 'patching:read', 'registry:read', 'site:write'];

/** The parts around the site itself, answered empty. */
function emptyParts(api: ApiStub): ApiStub {
  return api
    .on('GET /api/v1/ngis/:ngiId', json(ngiDetail()))
    .on('GET /api/v1/hosts', json(page([])))
    .on('GET /api/v1/sites/:siteId/enrolment-tokens', json({ items: [] }))
    .on('GET /api/v1/exceptions', json({ items: [] }))
    .on('GET /api/v1/audit', json(page([])));
}

test('the site page says it is loading', async () => {
  stubApi().on(SITE, pending);

  renderView(<SiteDetailPage siteId="s-tromso" />, { path, session });

  await findLoading('site');
});

test('a failed load of the site shows the error, and Retry loads it', async () => {
  const api = emptyParts(stubApi().on(SITE, problem(500)));
  const { user } = renderView(<SiteDetailPage siteId="s-tromso" />, { path, session });
  const { retry } = await findError('site');

  api.on(SITE, json(siteDetail({ abilities })));
  await user.click(retry);

  expect(await screen.findByRole('heading', { level: 1, name: 'NOR-TROMSO-GRID' })).toBeTruthy();
});

test('a site outside your scopes is not found, with no Retry', async () => {
  stubApi().on(SITE, problem(404, 'site s-x not found'));

  renderView(<SiteDetailPage siteId="s-x" />, { path: '/registry/sites/s-x', session });

  expect(await screen.findByRole('heading', { name: 'Not found' })).toBeTruthy();
  expect(screen.getByText('site s-x not found')).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
});

test('a new site with nothing recorded says so in each part', async () => {
  emptyParts(stubApi().on(SITE, json(siteDetail({ securityEmail: null, abilities }))));

  renderView(<SiteDetailPage siteId="s-tromso" />, { path, session });

  expect(await screen.findByText('No service endpoints.')).toBeTruthy();
  expect(screen.getByText('No site security officer recorded.')).toBeTruthy();
  expect(screen.getByText('No contacts recorded for NOR-TROMSO-GRID.')).toBeTruthy();
  expect(await screen.findByRole('link', { name: '0 hosts of NOR-TROMSO-GRID report' })).toBeTruthy();
  expect(await screen.findByText('No enrolment token yet.')).toBeTruthy();
  expect(await screen.findByText('No recorded changes to this site.')).toBeTruthy();
});

test('a part that fails to load has its own Retry; the rest of the page stays', async () => {
  const api = emptyParts(stubApi().on(SITE, json(siteDetail({ abilities })))).on('GET /api/v1/audit', problem(500));
  const { user } = renderView(<SiteDetailPage siteId="s-tromso" />, { path, session });
  const { retry } = await findError('history');
  expect(screen.getByRole('heading', { name: 'Security contacts' })).toBeTruthy();

  api.on('GET /api/v1/audit', json(page([auditEvent()])));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Audit history of NOR-TROMSO-GRID' })).toBeTruthy();
});

test('the security contacts come first, then endpoints, hosts, tokens, contacts and history', async () => {
  const officer = role();
  const admin = role({ roleAssignmentId: 'r-2', personId: 'p-kari', personName: 'Kari Nordmann', personEmail: null, role: 'site-admin' });
  const api = stubApi()
    .on(SITE, json(siteDetail({ endpoints: [endpoint()], contacts: [officer, admin], abilities })))
    .on('GET /api/v1/ngis/:ngiId', json(ngiDetail()))
    .on('GET /api/v1/hosts', (url) => json(page([hostRow()], { total: url.searchParams.get('tag') ? 1 : 3, limit: 1 })))
    .on(
      'GET /api/v1/sites/:siteId/enrolment-tokens',
      json({ items: [{ tokenId: 'et-1', name: 'worker-nodes', prefix: 'ab12', createdAt: '2026-01-05T09:30:00.000Z', revokedAt: null, lastUsedAt: null }] }),
    )
    .on('GET /api/v1/exceptions', json({ items: [] }))
    .on('GET /api/v1/audit', json(page([auditEvent()])));

  renderView(<SiteDetailPage siteId="s-tromso" />, { path, session });

  const security = await screen.findByRole('region', { name: 'Security contacts' });
  expect(screen.getByRole('link', { name: 'Edit site' }).getAttribute('href')).toBe('/registry/sites/s-tromso/edit');
  expect(within(security).getByRole('link', { name: 'security@tromso.example.org' })).toBeTruthy();
  expect(within(security).getByRole('link', { name: 'Ola Nordmann' }).getAttribute('href')).toBe('/registry/people/p-ola');
  expect(await within(security).findByRole('link', { name: 'cert@ngi.example.no' })).toBeTruthy();
  const endpoints = screen.getByRole('table', { name: 'Service endpoints of NOR-TROMSO-GRID' });
  expect(within(endpoints).getByRole('button', { name: 'Remove endpoint ce01.tromso.example.org (ARC-CE)' })).toBeTruthy();
  expect(await screen.findByRole('link', { name: '3 hosts of NOR-TROMSO-GRID report' })).toBeTruthy();
  expect(await screen.findByRole('link', { name: '1 with EGI-Critical CVEs' })).toBeTruthy();
  expect(await screen.findByRole('button', { name: 'Revoke enrolment token worker-nodes' })).toBeTruthy();
  const contacts = screen.getByRole('table', { name: 'Contacts of NOR-TROMSO-GRID, by role' });
  expect(within(contacts).getByRole('rowgroup', { name: /Site security officer/ }).textContent).toContain('Ola Nordmann');
  expect(within(contacts).getByRole('rowgroup', { name: /Site admin/ }).textContent).toContain('Kari Nordmann');
  expect(await screen.findByRole('table', { name: 'Audit history of NOR-TROMSO-GRID' })).toBeTruthy();
  expect(api.requests('GET /api/v1/audit')[0]!.searchParams.get('objectId')).toBe('s-tromso');
});

test('on a neighbouring site the same reader may only read: no edit, no patch panel, as the server decided', async () => {
  stubApi()
    .on(SITE, json(siteDetail({ siteId: 's-bergen', name: 'NOR-BERGEN', abilities: ['registry:read'] })))
    .on('GET /api/v1/ngis/:ngiId', json(ngiDetail()))
    .on('GET /api/v1/audit', json(page([])));

  renderView(<SiteDetailPage siteId="s-bergen" />, { path: '/registry/sites/s-bergen', session });

  expect(await screen.findByRole('heading', { level: 1, name: 'NOR-BERGEN' })).toBeTruthy();
  expect(screen.queryByRole('link', { name: 'Edit site' })).toBeNull();
  expect(screen.queryByRole('heading', { name: 'Patch monitoring' })).toBeNull();
});
