import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { page, quarantined, site } from '../../test-support/fixtures';
import { QuarantinePage } from './quarantine-page';

const QUARANTINE = 'GET /api/v1/report-quarantine';
const path = '/patch-monitoring/quarantine';

test('the quarantine says it is loading', async () => {
  stubApi().on(QUARANTINE, pending);

  renderView(<QuarantinePage />, { path });

  await findLoading('quarantined reports');
});

test('a failed load of the quarantine shows the error, and Retry loads it', async () => {
  const api = stubApi().on(QUARANTINE, problem(500));
  const { user } = renderView(<QuarantinePage />, { path });
  const { retry } = await findError('quarantined reports');

  api.on(QUARANTINE, json(page([quarantined()])));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Pending reports (1)' })).toBeTruthy();
});

test('no report waiting is said in words', async () => {
  stubApi().on(QUARANTINE, json(page([])));

  renderView(<QuarantinePage />, { path });

  expect(await screen.findByText('No report is waiting for review.')).toBeTruthy();
  expect(screen.queryByRole('table')).toBeNull();
});

test('an empty filtered view names the status and the filter', async () => {
  const api = stubApi().on(QUARANTINE, json(page([])));

  renderView(<QuarantinePage />, { path: `${path}?status=rejected&q=ce01` });

  expect(await screen.findByText('No rejected report matches “ce01”.')).toBeTruthy();
  const asked = api.requests(QUARANTINE)[0]!.searchParams;
  expect([asked.get('status'), asked.get('q')]).toEqual(['rejected', 'ce01']);
});

test('each pending report says why it is held, with Release and Reject named for its host', async () => {
  stubApi()
    .on(
      QUARANTINE,
      json(page([quarantined(), quarantined({ quarantineId: 'q-2', hostname: 'wn07.example.org', claimedSite: '', reason: 'The report names no site.' })])),
    )
    .on('GET /api/v1/sites', json(page([site()])));
  const { user } = renderView(<QuarantinePage />, { path });

  const table = await screen.findByRole('table', { name: 'Pending reports (2)' });
  const row = within(table).getByRole('row', { name: /ce01\.example\.org/ });
  expect(row.textContent).toContain('The report names a site that does not exist.');
  expect(within(table).getByRole('row', { name: /wn07\.example\.org/ }).textContent).toContain('none');

  await user.click(within(row).getByRole('button', { name: 'Reject report from ce01.example.org' }));
  const reject = screen.getByRole('form', { name: 'Reject the report from ce01.example.org' });
  await user.click(within(reject).getByRole('button', { name: 'Reject report' }));
  expect(within(reject).getByRole('textbox', { name: 'Reason' }).getAttribute('aria-invalid')).toBe('true');

  await user.click(within(row).getByRole('button', { name: 'Release report from ce01.example.org' }));
  expect(screen.getByRole('form', { name: 'Release the report from ce01.example.org' })).toBeTruthy();
  expect(screen.queryByRole('form', { name: /^Reject/ })).toBeNull();
});
