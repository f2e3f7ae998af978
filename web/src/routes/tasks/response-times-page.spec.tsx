import { fireEvent, screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView } from '../../test-support/render';
import { EARLIER } from '../../test-support/fixtures';
import { defaultPeriod, formatMinutes, ResponseTimesPage, type Figures, type ResponseTimes } from './response-times-page';
import type { DeadlineRule } from './deadlines-page';

const DASHBOARD = 'GET /api/v1/response-times';
const RULES = 'GET /api/v1/deadline-rules';
const path = '/tasks/response-times';

const figures = (o: Partial<Figures> = {}): Figures => ({ n: 0, medianMinutes: null, p90Minutes: null, withinShare: null, ...o });
const ack = figures({ n: 40, medianMinutes: 42, p90Minutes: 210, withinShare: 0.875 });
const res = figures({ n: 35, medianMinutes: 3030, p90Minutes: 8640, withinShare: null });

const dashboard = (o: Partial<ResponseTimes> = {}): ResponseTimes => ({
  filter: { from: '2025-07', to: '2026-06' },
  acknowledge: ack,
  resolve: res,
  trend: [
    {
      month: '2026-04',
      acknowledge: figures({ n: 10, medianMinutes: 30, p90Minutes: 120 }),
      resolve: figures({ n: 8, medianMinutes: 1500, p90Minutes: 4000 }),
    },
    { month: '2026-05', acknowledge: figures(), resolve: figures() },
    {
      month: '2026-06',
      acknowledge: figures({ n: 30, medianMinutes: 45, p90Minutes: 220 }),
      resolve: figures({ n: 27, medianMinutes: 3100, p90Minutes: 9000 }),
    },
  ],
  byType: [{ taskType: 'vulnerability-fix', acknowledge: ack, resolve: res }],
  slowest: [
    {
      scopeId: 's-tromso',
      siteName: 'NOR-TROMSO-GRID',
      ngiName: 'NGI_NO',
      acknowledge: figures({ n: 5, medianMinutes: 300, p90Minutes: 600 }),
      resolve: figures({ n: 4, medianMinutes: 20_160, p90Minutes: 30_000, withinShare: 0.25 }),
    },
    {
      scopeId: 's-bergen',
      siteName: 'NOR-BERGEN',
      ngiName: 'NGI_NO',
      acknowledge: figures({ n: 9, medianMinutes: 20, p90Minutes: 50 }),
      resolve: figures({ n: 9, medianMinutes: 2000, p90Minutes: 2500 }),
    },
    { scopeId: 'v-atlas', siteName: 'v-atlas', ngiName: null, acknowledge: figures({ n: 1, medianMinutes: 5, p90Minutes: 5 }), resolve: figures() },
  ],
  ...o,
});

const rule = (o: Partial<DeadlineRule> = {}): DeadlineRule => ({
  ruleId: 'dr-1',
  taskType: 'vulnerability-fix',
  priority: '*',
  amount: 7,
  unit: 'days',
  measures: 'resolve',
  warnFraction: 0.75,
  csirtFraction: 1.5,
  source: 'EGI CSIRT SEC03',
  validFrom: EARLIER,
  validTo: null,
  changedBy: 'Carla CSIRT',
  allowed: '7 days',
  ...o,
});
const rules = json({ items: [rule(), rule({ ruleId: 'dr-2', taskType: 'incident-response', unit: 'working-hours', amount: 4, allowed: '4 working hours' })] });

/** A headline figure: the definition after its term, inside the measure's section. */
function figure(measure: string, term: string): string {
  const section = screen.getByRole('region', { name: measure });
  const dt = within(section)
    .getAllByRole('term')
    .find((t) => t.textContent === term);
  if (!dt) throw new Error(`no figure "${term}" under ${measure}`);
  return dt.nextElementSibling?.textContent ?? '';
}

test('durations read in minutes, hours or days', () => {
  expect([formatMinutes(42), formatMinutes(210), formatMinutes(1860), formatMinutes(3030), formatMinutes(null)]).toEqual([
    '42 min',
    '3.5 h',
    '31 h',
    '2.1 days',
    '—',
  ]);
});

test('the dashboard says it is loading', async () => {
  stubApi().on(DASHBOARD, pending).on(RULES, rules);

  renderView(<ResponseTimesPage />, { path });

  await findLoading('response times');
});

test('a failed load of the dashboard shows the error, and Retry loads it', async () => {
  const api = stubApi().on(DASHBOARD, problem(500)).on(RULES, rules);
  const { user } = renderView(<ResponseTimesPage />, { path });
  const { retry } = await findError('response times');

  api.on(DASHBOARD, json(dashboard()));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Response times by task type (1)' })).toBeTruthy();
});

test('the headline figures: median and 90th percentile to acknowledge and to resolve, and the share within the deadline', async () => {
  const api = stubApi().on(DASHBOARD, json(dashboard())).on(RULES, rules);

  renderView(<ResponseTimesPage />, { path });

  expect(await screen.findByRole('heading', { name: 'Jul 2025 – Jun 2026' })).toBeTruthy();
  expect(figure('Time to acknowledge', 'Median')).toBe('42 min');
  expect(figure('Time to acknowledge', '90th percentile')).toBe('3.5 h');
  expect(figure('Time to acknowledge', 'Within the deadline')).toBe('88 %');
  expect(figure('Time to acknowledge', 'Tasks acknowledged')).toBe('40');
  expect(figure('Time to resolve', 'Median')).toBe('2.1 days');
  expect(figure('Time to resolve', '90th percentile')).toBe('6 days');
  expect(figure('Time to resolve', 'Within the deadline')).toBe('—');
  expect(screen.getByText(/exact for a single task, within ±13 % otherwise/)).toBeTruthy();
  // The last twelve months are asked for unless the address says otherwise.
  const asked = api.requests(DASHBOARD)[0]!;
  expect([asked.searchParams.get('from'), asked.searchParams.get('to')]).toEqual([defaultPeriod().from, defaultPeriod().to]);
  expect(screen.getByLabelText('From')).toHaveProperty('value', defaultPeriod().from);
});

test('the trend is drawn per month for both answers, with the figures as a table', async () => {
  stubApi().on(DASHBOARD, json(dashboard())).on(RULES, rules);

  renderView(<ResponseTimesPage />, { path });

  expect(await screen.findByRole('img', { name: /^Time to acknowledge by month/ })).toBeTruthy();
  const resolve = screen.getByRole('img', { name: /^Time to resolve by month/ });
  expect(resolve.textContent).toContain('days');
  const table = screen.getByRole('table', { name: 'Response times per month (3)' });
  const june = within(table).getByRole('row', { name: /^2026-06/ });
  expect(
    within(june)
      .getAllByRole('cell')
      .map((c) => c.textContent),
  ).toEqual(['30', '27', '45 min', '3.7 h', '—', '2.2 days', '6.3 days', '—']);
});

test('the slowest sites are ranked with links to their pages; an NGI or VO addressee has none', async () => {
  stubApi().on(DASHBOARD, json(dashboard())).on(RULES, rules);

  renderView(<ResponseTimesPage />, { path });

  const table = await screen.findByRole('table', { name: /^Slowest sites/ });
  const rows = within(table).getAllByRole('row').slice(1);
  expect(rows.map((r) => within(r).getAllByRole('cell')[0]!.textContent)).toEqual(['1', '2', '3']);
  expect(within(rows[0]!).getByRole('link', { name: 'NOR-TROMSO-GRID' }).getAttribute('href')).toBe('/registry/sites/s-tromso');
  expect(rows[0]!.textContent).toContain('14 days');
  expect(within(rows[1]!).getByRole('link', { name: 'NOR-BERGEN' }).getAttribute('href')).toBe('/registry/sites/s-bergen');
  expect(within(rows[2]!).queryByRole('link')).toBeNull();
});

test('the type filter and the period go to the address, the request and the CSV link', async () => {
  const api = stubApi().on(DASHBOARD, json(dashboard())).on(RULES, rules);
  const { user } = renderView(<ResponseTimesPage />, { path: `${path}?from=2026-01&to=2026-06` });
  await screen.findByRole('table', { name: 'Response times by task type (1)' });

  await user.selectOptions(screen.getByRole('combobox', { name: 'Task type' }), 'incident-response');
  fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-03' } });

  await screen.findByRole('table', { name: 'Response times by task type (1)' });
  const last = api.requests(DASHBOARD).at(-1)!;
  expect(Object.fromEntries(last.searchParams)).toEqual({ from: '2026-03', to: '2026-06', taskType: 'incident-response' });
  expect(window.location.search).toBe('?from=2026-03&to=2026-06&taskType=incident-response');
  expect(screen.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe(
    '/api/v1/response-times.csv?from=2026-03&to=2026-06&taskType=incident-response',
  );
});

test('a period that ends before it starts is not asked for', async () => {
  const api = stubApi().on(DASHBOARD, json(dashboard())).on(RULES, rules);

  renderView(<ResponseTimesPage />, { path: `${path}?from=2026-06&to=2026-01` });

  expect((await screen.findByRole('alert')).textContent).toContain('The period starts after it ends');
  expect(api.requests(DASHBOARD)).toHaveLength(0);
});

test('nothing answered in the period is said in words', async () => {
  stubApi()
    .on(DASHBOARD, json(dashboard({ acknowledge: figures(), resolve: figures(), trend: [], byType: [], slowest: [] })))
    .on(RULES, rules);

  renderView(<ResponseTimesPage />, { path });

  expect(await screen.findByText(/Nothing was answered in Jul 2025 – Jun 2026/)).toBeTruthy();
  expect(screen.queryByRole('table')).toBeNull();
});
