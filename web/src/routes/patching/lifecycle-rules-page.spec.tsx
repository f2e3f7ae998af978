import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, problem, stubApi } from '../../test-support/api-stub';
import { findError, renderView, SESSIONS } from '../../test-support/render';
import { EARLIER, NOW, page } from '../../test-support/fixtures';
import { LifecycleRulesPage } from './lifecycle-rules-page';
import { LifecycleRuleHostsPage } from './lifecycle-rule-hosts-page';
import type { LifecycleRule, LifecycleRuleHost } from './types';

const RULES = 'GET /api/v1/lifecycle-rules';
const HOSTS = 'GET /api/v1/lifecycle-rules/:ruleId/hosts';
const path = '/patch-monitoring/lifecycle-rules';

const rule = (o: Partial<LifecycleRule> = {}): LifecycleRule => ({
  ruleId: 'r-ca',
  name: 'Trust anchors 1.128',
  kind: 'minimum-version',
  packagePattern: 'ca-policy-egi-core',
  version: '1.128-1',
  effectiveFrom: EARLIER,
  message: 'Update the IGTF trust anchors.',
  isEnabled: true,
  createdBy: 'Carla CSIRT',
  createdAt: EARLIER,
  hosts: 3,
  ...o,
});
const globus = rule({
  ruleId: 'r-globus',
  name: 'Globus end of life',
  kind: 'end-of-life',
  packagePattern: 'globus-*',
  version: null,
  hosts: 0,
  isEnabled: false,
});

const flagged = (o: Partial<LifecycleRuleHost> = {}): LifecycleRuleHost => ({
  hostId: 'h-wn01',
  hostname: 'wn01.tromso.example.org',
  siteId: 's-tromso',
  siteName: 'NOR-TROMSO-GRID',
  lastReportAt: NOW,
  package: 'ca-policy-egi-core 1.127-1',
  ...o,
});

const body = (url: URL, init: RequestInit | undefined) => ({ url, json: JSON.parse(String(init?.body)) as Record<string, unknown> });

test('a failed load of the rules shows the error, and Retry loads them', async () => {
  const api = stubApi().on(RULES, problem(500));
  const { user } = renderView(<LifecycleRulesPage />, { path });
  const { retry } = await findError('lifecycle rules');

  api.on(RULES, json({ items: [rule()] }));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Lifecycle rules (1)' })).toBeTruthy();
});

test('each rule shows its kind in words, pattern, version, start, message, hosts flagged and status', async () => {
  stubApi().on(RULES, json({ items: [globus, rule()] }));

  renderView(<LifecycleRulesPage />, { path });

  const table = await screen.findByRole('table', { name: 'Lifecycle rules (2)' });
  const ca = within(table).getByRole('row', { name: /^Trust anchors 1.128/ });
  const cells = within(ca)
    .getAllByRole('cell')
    .map((c) => c.textContent);
  expect(cells).toEqual(
    expect.arrayContaining(['ca-policy-egi-coreMinimum version: below 1.128-1', 'Update the IGTF trust anchors.', '3', 'enabledfrom 2026-01-05']),
  );
  expect(within(ca).getByRole('link', { name: 'Hosts flagged by Trust anchors 1.128: 3' }).getAttribute('href')).toBe(`${path}/r-ca`);
  const eol = within(table).getByRole('row', { name: /^Globus end of life/ });
  expect(
    within(eol)
      .getAllByRole('cell')
      .map((c) => c.textContent),
  ).toEqual(expect.arrayContaining(['globus-*End of life, any version', 'disabledfrom 2026-01-05']));
  expect(screen.getByRole('link', { name: 'Lifecycle rules' }).getAttribute('aria-current')).toBe('page');
});

test('a reader without lifecycle:manage sees the rules but no button and no form', async () => {
  stubApi().on(RULES, json({ items: [rule()] }));

  renderView(<LifecycleRulesPage />, { path, session: SESSIONS.readOnly });

  const table = await screen.findByRole('table', { name: 'Lifecycle rules (1)' });
  expect(within(table).queryByRole('button')).toBeNull();
  expect(screen.queryByRole('form')).toBeNull();
});

test('adding a minimum-version rule asks for the version first, then sends the rule', async () => {
  const sent: Array<Record<string, unknown>> = [];
  const api = stubApi()
    .on(RULES, json({ items: [] }))
    .on('POST /api/v1/lifecycle-rules', (url, init) => (sent.push(body(url, init).json), json(rule(), 201)));
  const { user } = renderView(<LifecycleRulesPage />, { path });
  const form = await screen.findByRole('form', { name: 'Add a lifecycle rule' });
  expect(screen.getByText(/No lifecycle rule yet/)).toBeTruthy();

  await user.type(within(form).getByRole('textbox', { name: /^Name/ }), 'Trust anchors 1.128');
  await user.selectOptions(within(form).getByRole('combobox', { name: 'Kind' }), 'Minimum version');
  await user.type(within(form).getByRole('textbox', { name: /^Package pattern/ }), 'ca-policy-egi-core');
  await user.type(within(form).getByRole('textbox', { name: 'Message' }), 'Update the IGTF trust anchors.');
  await user.click(within(form).getByRole('button', { name: 'Add rule' }));
  expect(within(form).getByText('A minimum-version rule needs the version.')).toBeTruthy();
  expect(api.requests('POST /api/v1/lifecycle-rules')).toHaveLength(0);
  await user.type(within(form).getByRole('textbox', { name: /^Minimum version/ }), '1.128-1');
  await user.click(within(form).getByRole('button', { name: 'Add rule' }));

  expect(await within(form).findByText('Added Trust anchors 1.128.')).toBeTruthy();
  expect(sent).toEqual([
    {
      name: 'Trust anchors 1.128',
      kind: 'minimum-version',
      packagePattern: 'ca-policy-egi-core',
      version: '1.128-1',
      message: 'Update the IGTF trust anchors.',
    },
  ]);
});

test('Edit fills the form with the rule and sends only what changed', async () => {
  const sent: Array<{ url: URL; json: Record<string, unknown> }> = [];
  stubApi()
    .on(RULES, json({ items: [rule()] }))
    .on('PATCH /api/v1/lifecycle-rules/:ruleId', (url, init) => (sent.push(body(url, init)), json(rule({ version: '1.130-1' }))));
  const { user } = renderView(<LifecycleRulesPage />, { path });
  await user.click(await screen.findByRole('button', { name: 'Edit rule Trust anchors 1.128' }));
  const form = screen.getByRole('form', { name: 'Edit rule Trust anchors 1.128' });
  const version = within(form).getByRole('textbox', { name: /^Minimum version/ });
  expect(version).toHaveProperty('value', '1.128-1');
  expect(within(form).getByRole('textbox', { name: /^Package pattern/ })).toHaveProperty('value', 'ca-policy-egi-core');

  await user.clear(version);
  await user.type(version, '1.130-1');
  await user.click(within(form).getByRole('button', { name: 'Save changes' }));

  expect(await screen.findByRole('form', { name: 'Add a lifecycle rule' })).toBeTruthy();
  expect(sent.map((s) => [s.url.pathname, s.json])).toEqual([['/api/v1/lifecycle-rules/r-ca', { version: '1.130-1' }]]);
});

test("a refused edit shows the server's reason and keeps the form", async () => {
  stubApi()
    .on(RULES, json({ items: [rule(), globus] }))
    .on('PATCH /api/v1/lifecycle-rules/:ruleId', json({ title: 'Conflict', status: 409, detail: 'rule Globus end of life already exists' }, 409));
  const { user } = renderView(<LifecycleRulesPage />, { path });
  await user.click(await screen.findByRole('button', { name: 'Edit rule Trust anchors 1.128' }));
  const form = screen.getByRole('form', { name: 'Edit rule Trust anchors 1.128' });
  const name = within(form).getByRole('textbox', { name: /^Name/ });

  await user.clear(name);
  await user.type(name, 'Globus end of life');
  await user.click(within(form).getByRole('button', { name: 'Save changes' }));

  expect((await within(form).findByRole('alert')).textContent).toContain('rule Globus end of life already exists');
});

test('Disable and Enable switch a rule', async () => {
  const sent: Array<{ url: URL; json: Record<string, unknown> }> = [];
  stubApi()
    .on(RULES, json({ items: [rule(), globus] }))
    .on('PUT /api/v1/lifecycle-rules/:ruleId/enabled', (url, init) => (sent.push(body(url, init)), { status: 204 }));
  const { user } = renderView(<LifecycleRulesPage />, { path });

  await user.click(await screen.findByRole('button', { name: 'Disable rule Trust anchors 1.128' }));
  await user.click(screen.getByRole('button', { name: 'Enable rule Globus end of life' }));

  await screen.findByRole('table', { name: 'Lifecycle rules (2)' });
  expect(sent.map((s) => [s.url.pathname, s.json])).toEqual([
    ['/api/v1/lifecycle-rules/r-ca/enabled', { enabled: false }],
    ['/api/v1/lifecycle-rules/r-globus/enabled', { enabled: true }],
  ]);
});

test("a rule's page lists the hosts it flags, linked to the host and its site, and pages on", async () => {
  const api = stubApi()
    .on(RULES, json({ items: [rule()] }))
    .on(HOSTS, json(page([flagged()], { total: 60 })));
  const { user } = renderView(<LifecycleRuleHostsPage ruleId="r-ca" />, { path: `${path}/r-ca` });

  const table = await screen.findByRole('table', { name: 'Flagged hosts (60)' });
  const row = within(table).getByRole('row', { name: /^wn01/ });
  expect(within(row).getByRole('link', { name: 'wn01.tromso.example.org' }).getAttribute('href')).toBe('/patch-monitoring/hosts/h-wn01');
  expect(within(row).getByRole('link', { name: 'NOR-TROMSO-GRID' }).getAttribute('href')).toBe('/registry/sites/s-tromso');
  expect(row.textContent).toContain('ca-policy-egi-core 1.127-1');
  expect(await screen.findByRole('heading', { name: 'Hosts flagged by Trust anchors 1.128' })).toBeTruthy();
  await user.click(screen.getByRole('button', { name: 'Next page' }));

  await screen.findByRole('table', { name: 'Flagged hosts (60)' });
  const asked = api.requests(HOSTS).map((u) => [u.pathname, u.searchParams.get('offset'), u.searchParams.get('sort')]);
  expect(asked[0]).toEqual(['/api/v1/lifecycle-rules/r-ca/hosts', '0', 'hostname']);
  expect(asked.at(-1)).toEqual(['/api/v1/lifecycle-rules/r-ca/hosts', '50', 'hostname']);
  expect(window.location.search).toBe('?offset=50');
});

test("a disabled rule's page says the overview does not count its hosts", async () => {
  stubApi()
    .on(RULES, json({ items: [globus] }))
    .on(HOSTS, json(page([])));

  renderView(<LifecycleRuleHostsPage ruleId="r-globus" />, { path: `${path}/r-globus` });

  expect(await screen.findByText('The rule flags no host within your reach.')).toBeTruthy();
  expect(await screen.findByText(/This rule is disabled/)).toBeTruthy();
});

test('an unknown rule reads as not found', async () => {
  stubApi()
    .on(RULES, json({ items: [] }))
    .on(HOSTS, problem(404, 'lifecycle rule r-gone not found'));

  renderView(<LifecycleRuleHostsPage ruleId="r-gone" />, { path: `${path}/r-gone` });

  expect(await screen.findByRole('heading', { name: 'Not found' })).toBeTruthy();
});
