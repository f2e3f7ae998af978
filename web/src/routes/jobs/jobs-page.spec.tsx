import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { job } from '../../test-support/fixtures';
import { JobsPage } from './jobs-page';

const JOBS = 'GET /api/v1/jobs';

test('the jobs page says it is loading while the server has not answered', async () => {
  stubApi().on(JOBS, pending);

  renderView(<JobsPage />, { path: '/admin/jobs' });

  await findLoading('jobs');
  expect(screen.queryByRole('table')).toBeNull();
});

test('a failed load shows the error, and Retry loads the jobs', async () => {
  const api = stubApi().on(JOBS, problem(500));
  const { user } = renderView(<JobsPage />, { path: '/admin/jobs' });
  const { alert, retry } = await findError('jobs');
  expect(alert.textContent).toContain('quote request id');

  api.on(JOBS, json({ items: [job()] }));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Recent jobs (1)' })).toBeTruthy();
  expect(screen.queryByRole('alert')).toBeNull();
});

test('no job yet is said in words, not an empty table', async () => {
  stubApi().on(JOBS, json({ items: [] }));

  renderView(<JobsPage />, { path: '/admin/jobs' });

  expect(await screen.findByText('No jobs have run yet.')).toBeTruthy();
  expect(screen.queryByRole('table')).toBeNull();
});

test('each job shows its kind, status, progress and last error', async () => {
  const api = stubApi().on(
    JOBS,
    json({
      items: [
        job({ jobId: 'j-00000import', kind: 'gocdb-import', status: 'running', progress: 0.42, progressMessage: 'sites 42 of 100', finishedAt: null }),
        job({ jobId: 'j-000000purge', kind: 'audit-purge', status: 'failed', attempts: 3, lastError: 'database is locked' }),
      ],
    }),
  );

  renderView(<JobsPage />, { path: '/admin/jobs' });

  const table = await screen.findByRole('table', { name: 'Recent jobs (2)' });
  const running = within(table).getByRole('row', { name: /gocdb-import/ });
  expect(within(running).getByRole('progressbar', { name: 'Progress of gocdb-import import' }).getAttribute('value')).toBe('42');
  expect(running.textContent).toContain('sites 42 of 100');
  const failed = within(table).getByRole('row', { name: /audit-purge/ });
  expect(failed.textContent).toContain('database is locked');
  expect(failed.textContent).toContain('3/3');
  expect(api.requests(JOBS)[0]!.searchParams.get('limit')).toBe('200');
});

test('a server error is asked once more before the error shows', async () => {
  const api = stubApi().on(JOBS, problem(500));

  renderView(<JobsPage />, { path: '/admin/jobs' });

  await findError('jobs');
  expect(api.requests(JOBS)).toHaveLength(2);
});

test('a refusal (403) shows at once, without asking again', async () => {
  const api = stubApi().on(JOBS, problem(403, 'job:read is needed'));

  renderView(<JobsPage />, { path: '/admin/jobs' });

  const { alert } = await findError('jobs');
  expect(alert.textContent).toContain('job:read is needed');
  expect(api.requests(JOBS)).toHaveLength(1);
});
