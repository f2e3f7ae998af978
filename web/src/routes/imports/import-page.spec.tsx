import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, stubApi } from '../../test-support/api-stub';
import { renderView } from '../../test-support/render';
import type { ImportSummary } from '../../lib/types';
import { ImportPage } from './import-page';

const IMPORT = 'POST /api/v1/imports/gocdb';
const none = { ngis: 0, sites: 0, endpoints: 0, people: 0, roles: 0 };
const summary = (dryRun: boolean, removals: ImportSummary['removals']): ImportSummary => ({
  dryRun,
  added: none,
  changed: none,
  removed: {
    ...none,
    sites: removals.filter((r) => r.kind === 'sites').length,
    endpoints: removals.filter((r) => r.kind === 'endpoints').length,
    roles: removals.filter((r) => r.kind === 'roles').length,
  },
  unchanged: none,
  removals,
  skipped: [],
  warnings: [],
});
const REMOVALS: ImportSummary['removals'] = [
  { kind: 'sites', name: 'ALP-LUGANO-OLD' },
  { kind: 'endpoints', name: 'ce01.lugano.example.org (ARC-CE)', scope: 'ALP-LUGANO-OLD' },
  { kind: 'roles', name: 'Erik Haugen: site-admin', scope: 'site NOR-TROMSO-GRID' },
];
const xml = new File(['<results/>'], 'gocdb.xml', { type: 'application/xml' });

test('an import that removes records names them and writes nothing until confirmed', async () => {
  const api = stubApi().on(IMPORT, (url) => json(summary(url.searchParams.get('dryRun') === 'true', REMOVALS)));
  const { user } = renderView(<ImportPage />, { path: '/admin/import' });

  await user.upload(screen.getByLabelText('GOCDB XML file'), xml);
  await user.click(screen.getByRole('button', { name: 'Import' }));

  const dialog = await screen.findByRole('alertdialog', { name: 'This import removes records' });
  expect(dialog.textContent).toContain('removes 1 sites, 1 service endpoints and 1 roles');
  expect(api.requests(IMPORT).map((u) => u.searchParams.get('dryRun'))).toEqual(['true']);
  const listed = screen.getByRole('table', { name: 'Records the import would remove' });
  expect(
    within(listed)
      .getAllByRole('row')
      .map((r) => r.textContent),
  ).toEqual([
    'KindNameWhere',
    'SiteALP-LUGANO-OLD',
    'Service endpointce01.lugano.example.org (ARC-CE)ALP-LUGANO-OLD',
    'RoleErik Haugen: site-adminsite NOR-TROMSO-GRID',
  ]);

  await user.click(within(dialog).getByRole('button', { name: 'Import and remove' }));

  expect(await screen.findByRole('heading', { name: 'Import complete' })).toBeTruthy();
  expect(api.requests(IMPORT).map((u) => u.searchParams.get('dryRun'))).toEqual(['true', 'false']);
});

test('an import that removes nothing goes ahead after its preview without asking', async () => {
  const api = stubApi().on(IMPORT, (url) => json(summary(url.searchParams.get('dryRun') === 'true', [])));
  const { user } = renderView(<ImportPage />, { path: '/admin/import' });

  await user.upload(screen.getByLabelText('GOCDB XML file'), xml);
  await user.click(screen.getByRole('button', { name: 'Import' }));

  expect(await screen.findByRole('heading', { name: 'Import complete' })).toBeTruthy();
  expect(screen.queryByRole('alertdialog')).toBeNull();
  expect(api.requests(IMPORT).map((u) => u.searchParams.get('dryRun'))).toEqual(['true', 'false']);
});

test('cancelling keeps the preview and writes nothing', async () => {
  const api = stubApi().on(IMPORT, (url) => json(summary(url.searchParams.get('dryRun') === 'true', REMOVALS)));
  const { user } = renderView(<ImportPage />, { path: '/admin/import' });
  await user.upload(screen.getByLabelText('GOCDB XML file'), xml);
  await user.click(screen.getByRole('button', { name: 'Import' }));

  await user.click(await screen.findByRole('button', { name: 'Cancel' }));

  expect(screen.queryByRole('alertdialog')).toBeNull();
  expect(screen.getByRole('heading', { name: 'Preview: nothing was written' })).toBeTruthy();
  expect(api.requests(IMPORT)).toHaveLength(1);
});
