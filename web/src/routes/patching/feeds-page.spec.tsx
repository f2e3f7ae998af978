import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, stubApi } from '../../test-support/api-stub';
import { renderView, SESSIONS } from '../../test-support/render';
import { feed } from '../../test-support/fixtures';
import { FeedsPage } from './feeds-page';

const FEEDS = 'GET /api/v1/feeds';
const path = '/patch-monitoring/feeds';

// Issue 11, item 5: what each warning means, in plain words; the stored text stays beneath.
test('warnings read as plain words: alarms at the top, normal skips only in the feed row', async () => {
  stubApi().on(
    FEEDS,
    json({
      reevaluation: null,
      items: [
        feed({
          warnings: ['this feed produced no CVEs: its format may have changed', '12 skipped: source-rpm'],
          warningMeanings: [
            { warning: 'this feed produced no CVEs: its format may have changed', kind: 'alarm', meaning: 'The feed has definitions but none names a CVE.' },
            { warning: '12 skipped: source-rpm', kind: 'note', meaning: '12 skipped: source packages, which are never installed on hosts. Normal.' },
          ],
        }),
      ],
    }),
  );

  const { user } = renderView(<FeedsPage />, { path });

  const alerts = await screen.findByRole('alert', { name: 'Feed warnings' });
  expect(alerts.textContent).toContain('Rocky Linux 9 OVAL: The feed has definitions but none names a CVE.');
  expect(alerts.textContent).not.toContain('source packages');
  const row = screen.getByRole('rowheader', { name: /Rocky Linux 9 OVAL/ }).closest('tr') as HTMLElement;
  await user.click(within(row).getByRole('button', { name: 'Warnings of Rocky Linux 9 OVAL: 2' }));
  const list = screen.getByRole('list', { name: 'Warnings of Rocky Linux 9 OVAL' });
  expect(within(list).getByText(/source packages, which are never installed/)).toBeTruthy();
  expect(within(list).getByText('12 skipped: source-rpm')).toBeTruthy();
});

test('a refresh under way shows how far it is, and the re-evaluation of hosts says so', async () => {
  stubApi().on(
    FEEDS,
    json({
      reevaluation: { status: 'running', progress: 0.4, message: '800 of 2000 evaluations' },
      items: [feed({ refresh: { status: 'running', progress: 0.7, message: 'storing 1200 definitions' } })],
    }),
  );

  renderView(<FeedsPage />, { path });

  const row = (await screen.findByRole('rowheader', { name: /Rocky Linux 9 OVAL/ })).closest('tr') as HTMLElement;
  expect(within(row).getByRole('progressbar', { name: '70% done' })).toBeTruthy();
  expect(row.textContent).toContain('70%: storing 1200 definitions');
  expect(screen.getByRole('status', { name: 'Re-evaluation of hosts' }).textContent).toMatch(
    /re-evaluated against the new data:\s+40%: 800 of 2000 evaluations/,
  );
});

test('a feed added from an uploaded file: the file goes up, the feed is registered from it, its first refresh is queued', async () => {
  const calls: string[] = [];
  let registered: Record<string, unknown> = {};
  let uploaded: unknown;
  stubApi()
    .on(FEEDS, json({ reevaluation: null, items: [] }))
    .on('PUT /api/v1/feed-files/:fileName', (url, init) => {
      calls.push(`PUT ${url.pathname}`);
      uploaded = init?.body;
      return json({ source: '/srv/vigil/feeds/uploads/rhel-9.oval.xml.bz2', bytes: 5, sha256: 'x' }, 201);
    })
    .on('POST /api/v1/feeds', (url, init) => {
      calls.push(`POST ${url.pathname}`);
      registered = JSON.parse(String(init?.body)) as Record<string, unknown>;
      return json(feed({ feedId: 'f-new', name: 'rhel-9' }), 201);
    })
    .on('POST /api/v1/feeds/:feedId/refresh', (url) => (calls.push(`POST ${url.pathname}`), json({ jobId: 'j-1' }, 202)));

  const { user } = renderView(<FeedsPage />, { path });
  const form = await screen.findByRole('form', { name: 'Add a feed' });
  await user.type(within(form).getByLabelText(/^Name/), 'rhel-9');
  await user.selectOptions(within(form).getByLabelText('Read from'), 'upload');
  const file = new File(['<oval/>'], 'rhel-9.oval.xml.bz2');
  await user.upload(within(form).getByLabelText('File'), file);
  await user.type(within(form).getByLabelText(/^Release/), 'rhel:9');
  await user.click(within(form).getByRole('button', { name: 'Add feed' }));

  expect((await within(form).findByRole('status')).textContent).toBe('Added rhel-9; its first refresh is queued.');
  expect(calls).toEqual(['PUT /api/v1/feed-files/rhel-9.oval.xml.bz2', 'POST /api/v1/feeds', 'POST /api/v1/feeds/f-new/refresh']);
  expect(uploaded).toBe(file);
  expect(registered).toEqual({ name: 'rhel-9', format: 'oval', source: '/srv/vigil/feeds/uploads/rhel-9.oval.xml.bz2', refreshHours: 24, release: 'rhel:9' });
});

test('an OVAL feed without its release is not sent; a reader without feed:manage sees no form', async () => {
  const api = stubApi().on(FEEDS, json({ reevaluation: null, items: [] }));
  const { user } = renderView(<FeedsPage />, { path });
  const form = await screen.findByRole('form', { name: 'Add a feed' });
  await user.type(within(form).getByLabelText(/^Name/), 'x');
  await user.type(within(form).getByLabelText(/^Path or URL/), '/srv/feeds/x.xml');
  await user.click(within(form).getByRole('button', { name: 'Add feed' }));

  expect(within(form).getByText(/Say which release the feed covers/)).toBeTruthy();
  expect(api.requests('POST /api/v1/feeds')).toHaveLength(0);
});

test('a read-only reader sees the feeds but no form to add one', async () => {
  stubApi().on(FEEDS, json({ reevaluation: null, items: [feed()] }));
  renderView(<FeedsPage />, { path, session: SESSIONS.readOnly });

  expect(await screen.findByRole('rowheader', { name: /Rocky Linux 9 OVAL/ })).toBeTruthy();
  expect(screen.queryByRole('form', { name: 'Add a feed' })).toBeNull();
});
