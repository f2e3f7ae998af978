import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { auditEvent, page } from '../../test-support/fixtures';
import { AuditLogPage } from './audit-page';

const AUDIT = 'GET /api/v1/audit';

test('the audit log says it is loading', async () => {
  stubApi().on(AUDIT, pending);

  renderView(<AuditLogPage />, { path: '/admin/audit' });

  await findLoading('audit events');
});

test('a failed load of the audit log shows the error, and Retry loads it', async () => {
  const api = stubApi().on(AUDIT, problem(500));
  const { user } = renderView(<AuditLogPage />, { path: '/admin/audit' });
  const { retry } = await findError('audit events');

  api.on(AUDIT, json(page([auditEvent()])));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Audit events, newest first (1)' })).toBeTruthy();
});

test('a filter that matches nothing says so', async () => {
  const api = stubApi().on(AUDIT, json(page([])));

  renderView(<AuditLogPage />, { path: '/admin/audit?objectType=vo' });

  expect(await screen.findByText('No audit events match.')).toBeTruthy();
  expect(api.requests(AUDIT)[0]!.searchParams.get('objectType')).toBe('vo');
});

test('each event shows who did what to which object, with the fields it changed', async () => {
  stubApi().on(
    AUDIT,
    json(
      page(
        [
          auditEvent({ seq: 42, actorLabel: 'Ola Nordmann', action: 'site.update', objectType: 'site', objectId: 's-tromso-0000000000' }),
          auditEvent({
            seq: 41,
            actorLabel: 'admin',
            action: 'api_token.create',
            objectType: 'api_token',
            objectId: 't-1',
            before: null,
            after: { name: 'ci-bot' },
          }),
        ],
        { total: 230 },
      ),
    ),
  );

  renderView(<AuditLogPage />, { path: '/admin/audit' });

  const table = await screen.findByRole('table', { name: 'Audit events, newest first (230)' });
  const update = within(table).getByRole('row', { name: /site\.update/ });
  expect(within(update).getByRole('link', { name: 's-tromso-0000…' }).getAttribute('href')).toBe('/registry/sites/s-tromso-0000000000');
  expect(within(update).getByRole('deletion').textContent).toBe('old@tromso.example.org');
  expect(within(update).getByRole('insertion').textContent).toBe('security@tromso.example.org');
  expect(within(table).getByRole('row', { name: /api_token\.create/ }).textContent).toContain('created name=ci-bot');
  expect(screen.getByRole('navigation', { name: 'Audit events pages' }).textContent).toContain('1–50 of 230');
});

test('a refusal (403) shows at once, without asking again', async () => {
  const api = stubApi().on(AUDIT, problem(403, 'audit:read is needed'));

  renderView(<AuditLogPage />, { path: '/admin/audit' });

  const { alert } = await findError('audit events');
  expect(alert.textContent).toContain('audit:read is needed');
  expect(api.requests(AUDIT)).toHaveLength(1);
});
