import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView, SESSIONS } from '../../test-support/render';
import { EARLIER } from '../../test-support/fixtures';
import { AppShell } from '../../shell/app-shell';
import { NotificationSettingsPage } from './settings-page';

const SETTINGS = 'GET /api/v1/me/notification-settings';
const SAVE = 'PUT /api/v1/me/notification-settings';
const path = '/settings/notifications';

const body = (init: RequestInit | undefined) => JSON.parse(String(init?.body)) as Record<string, unknown>;

test('the settings say they are loading', async () => {
  stubApi().on(SETTINGS, pending);

  renderView(<NotificationSettingsPage />, { path, session: SESSIONS.siteAdmin });

  await findLoading('your notification settings');
});

test('a failed load shows the error, and Retry loads the settings', async () => {
  const api = stubApi().on(SETTINGS, problem(500));
  const { user } = renderView(<NotificationSettingsPage />, { path, session: SESSIONS.siteAdmin });
  const { retry } = await findError('your notification settings');

  api.on(SETTINGS, json({ email: null, digest: false, updatedAt: null }));
  await user.click(retry);

  expect(await screen.findByRole('radio', { name: 'As my site’s registry setting says' })).toHaveProperty('checked', true);
});

test('no choice made yet reads as the registry default; choosing e-mail with a digest sends both', async () => {
  const sent: Array<Record<string, unknown>> = [];
  stubApi()
    .on(SETTINGS, json({ email: null, digest: false, updatedAt: null }))
    .on(SAVE, (_url, init) => (sent.push(body(init)), json(body(init))));
  const { user } = renderView(<NotificationSettingsPage />, { path, session: SESSIONS.siteAdmin });
  const form = await screen.findByRole('form', { name: 'E-mail' });
  expect(within(form).getByRole('radio', { name: 'As my site’s registry setting says' })).toHaveProperty('checked', true);

  await user.click(within(form).getByRole('radio', { name: 'Send me e-mail' }));
  await user.click(within(form).getByRole('checkbox', { name: 'Daily digest' }));
  await user.click(within(form).getByRole('button', { name: 'Save settings' }));

  expect(await within(form).findByText('Saved.')).toBeTruthy();
  expect(sent).toEqual([{ email: true, digest: true }]);
});

test('no e-mail at all leaves no digest to take', async () => {
  const sent: Array<Record<string, unknown>> = [];
  stubApi()
    .on(SETTINGS, json({ email: true, digest: true, updatedAt: EARLIER }))
    .on(SAVE, (_url, init) => (sent.push(body(init)), json(body(init))));
  const { user } = renderView(<NotificationSettingsPage />, { path, session: SESSIONS.siteAdmin });
  const form = await screen.findByRole('form', { name: 'E-mail' });
  expect(within(form).getByRole('checkbox', { name: 'Daily digest' })).toHaveProperty('checked', true);
  expect(within(form).getByText('last changed 2026-01-05 09:30 UTC')).toBeTruthy();

  await user.click(within(form).getByRole('radio', { name: 'No e-mail' }));
  expect(within(form).getByRole('checkbox', { name: 'Daily digest' })).toHaveProperty('disabled', true);
  await user.click(within(form).getByRole('button', { name: 'Save settings' }));

  expect(await within(form).findByText('Saved.')).toBeTruthy();
  expect(sent).toEqual([{ email: false, digest: false }]);
});

test("a refused save shows the server's reason", async () => {
  stubApi()
    .on(SETTINGS, json({ email: null, digest: false, updatedAt: null }))
    .on(SAVE, json({ title: 'Bad request', status: 400, detail: 'only a person has notification settings' }, 400));
  const { user } = renderView(<NotificationSettingsPage />, { path, session: SESSIONS.siteAdmin });
  const form = await screen.findByRole('form', { name: 'E-mail' });

  await user.click(within(form).getByRole('button', { name: 'Save settings' }));

  expect((await within(form).findByRole('alert')).textContent).toContain('only a person has notification settings');
});

test('the header links every signed-in person to their notification settings; the admin pages only to holders of notification:manage', async () => {
  renderView(
    <AppShell>
      <p>content</p>
    </AppShell>,
    { session: SESSIONS.siteAdmin },
  );

  expect(screen.getByRole('link', { name: 'Notification settings' }).getAttribute('href')).toBe(path);
  const nav = screen.getByRole('navigation', { name: 'Main' });
  expect(within(nav).queryByRole('link', { name: 'Notifications' })).toBeNull();
});

test('holders of notification:manage find the notifications pages under Administration', async () => {
  const csirt = { ...SESSIONS.csirt, federationPermissions: [...SESSIONS.csirt.federationPermissions, 'notification:manage'] };
  renderView(
    <AppShell>
      <p>content</p>
    </AppShell>,
    { session: csirt },
  );

  const admin = screen.getByRole('list', { name: 'Administration' });
  expect(within(admin).getByRole('link', { name: 'Notifications' }).getAttribute('href')).toBe('/notifications');
});
