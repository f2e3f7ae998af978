import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { apiToken } from '../../test-support/fixtures';
import { TokensPage } from './tokens-page';

const TOKENS = 'GET /api/v1/tokens';

test('the token list says it is loading, while the form to create one is already there', async () => {
  stubApi().on(TOKENS, pending);

  renderView(<TokensPage />, { path: '/admin/tokens' });

  await findLoading('tokens');
  expect(screen.getByRole('textbox', { name: /Token name/ })).toBeTruthy();
});

test('a failed load of the tokens shows the error, and Retry loads them', async () => {
  const api = stubApi().on(TOKENS, problem(503, 'The database is not reachable.'));
  const { user } = renderView(<TokensPage />, { path: '/admin/tokens' });
  const { alert, retry } = await findError('tokens');
  expect(alert.textContent).toContain('The database is not reachable.');

  api.on(TOKENS, json({ items: [apiToken()] }));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'API tokens' })).toBeTruthy();
});

test('no token yet is said in words', async () => {
  stubApi().on(TOKENS, json({ items: [] }));

  renderView(<TokensPage />, { path: '/admin/tokens' });

  expect(await screen.findByText('No API tokens yet.')).toBeTruthy();
  expect(screen.queryByRole('table')).toBeNull();
});

test('each token shows its state, and only an active one can be revoked, by a button named for it', async () => {
  stubApi().on(
    TOKENS,
    json({
      items: [
        apiToken({ tokenId: 't-1', name: 'ci-bot', permissions: ['registry:read', 'patching:read'] }),
        apiToken({ tokenId: 't-2', name: 'old-bridge', revokedAt: '2026-02-01T00:00:00.000Z' }),
        apiToken({ tokenId: 't-3', name: 'pakiti-bridge', expiresAt: '2026-01-01T00:00:00.000Z' }),
      ],
    }),
  );

  renderView(<TokensPage />, { path: '/admin/tokens' });

  const table = await screen.findByRole('table', { name: 'API tokens' });
  const row = (name: string) => within(table).getByRole('row', { name: new RegExp(`^${name}`) });
  expect(row('ci-bot').textContent).toContain('active');
  expect(row('ci-bot').textContent).toContain('registry:read patching:read');
  expect(row('old-bridge').textContent).toContain('revoked');
  expect(row('pakiti-bridge').textContent).toContain('expired');
  expect(screen.getByRole('button', { name: 'Revoke token ci-bot' })).toBeTruthy();
  expect(screen.queryByRole('button', { name: 'Revoke token old-bridge' })).toBeNull();
  expect(screen.queryByRole('button', { name: 'Revoke token pakiti-bridge' })).toBeNull();
});

test('a refusal (403) shows at once, without asking again', async () => {
  const api = stubApi().on(TOKENS, problem(403, 'token:own is needed'));

  renderView(<TokensPage />, { path: '/admin/tokens' });

  const { alert } = await findError('tokens');
  expect(alert.textContent).toContain('token:own is needed');
  expect(api.requests(TOKENS)).toHaveLength(1);
});
