import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { json, pending, problem, stubApi } from '../../test-support/api-stub';
import { findError, findLoading, renderView, SESSIONS } from '../../test-support/render';
import { EARLIER } from '../../test-support/fixtures';
import type { Session } from '../../lib/types';
import { DeadlinesPage, type DeadlineRule, type WorkCalendarView } from './deadlines-page';

const RULES = 'GET /api/v1/deadline-rules';
const CALENDAR = 'GET /api/v1/work-calendar';
const path = '/tasks/deadlines';

/** The CSIRT as the server has it: deadline:manage held federation-wide. */
const manager: Session = {
  ...SESSIONS.csirt,
  permissions: [...SESSIONS.csirt.permissions, 'deadline:manage', 'task:read'],
  federationPermissions: [...SESSIONS.csirt.federationPermissions, 'deadline:manage', 'task:read'],
};
/** deadline:manage in a scope only (never so in the roles, but the page must not offer it then). */
const scoped: Session = { ...SESSIONS.siteAdmin, permissions: [...SESSIONS.siteAdmin.permissions, 'deadline:manage', 'task:read'] };

const rule = (o: Partial<DeadlineRule> = {}): DeadlineRule => ({
  ruleId: 'dr-ir',
  taskType: 'incident-response',
  priority: 'top priority',
  amount: 4,
  unit: 'working-hours',
  measures: 'acknowledge',
  warnFraction: 0.75,
  csirtFraction: 1.5,
  source: 'EGI CSIRT incident response procedure',
  validFrom: EARLIER,
  validTo: null,
  changedBy: 'Carla CSIRT',
  allowed: '4 working hours',
  ...o,
});
const vuln = rule({
  ruleId: 'dr-vf',
  taskType: 'vulnerability-fix',
  priority: '*',
  amount: 7,
  unit: 'days',
  measures: 'resolve',
  warnFraction: 0.5,
  csirtFraction: 1,
  source: 'SEC03',
  allowed: '7 days',
});
const office: Array<[number, number]> = [[420, 900]];
const calendar = (o: Partial<WorkCalendarView['calendar']> = {}): WorkCalendarView => ({
  calendar: {
    timeZone: 'UTC',
    week: {
      '1': office,
      '2': office,
      '3': office,
      '4': office,
      '5': [
        [420, 720],
        [780, 1020],
      ],
      '6': [],
      '7': [],
    },
    holidays: ['2026-12-25'],
    ...o,
  },
  validFrom: EARLIER,
  changedBy: 'Carla CSIRT',
});

const body = (init: RequestInit | undefined) => JSON.parse(String(init?.body)) as Record<string, unknown>;

test('the rules say they are loading while the calendar is already shown', async () => {
  stubApi().on(RULES, pending).on(CALENDAR, json(calendar()));
  renderView(<DeadlinesPage />, { path });
  await findLoading('deadline rules');
  expect(await screen.findByRole('table', { name: 'Working hours per weekday' })).toBeTruthy();
});

test('a failed load of the rules shows the error, and Retry loads them', async () => {
  const api = stubApi().on(RULES, problem(500)).on(CALENDAR, json(calendar()));
  const { user } = renderView(<DeadlinesPage />, { path });
  const { retry } = await findError('deadline rules');

  api.on(RULES, json({ items: [rule()] }));
  await user.click(retry);

  expect(await screen.findByRole('table', { name: 'Deadline rules in force (1)' })).toBeTruthy();
});

test('each rule shows type, priority, the time allowed, what it measures, warning and CSIRT shares and its source', async () => {
  stubApi()
    .on(RULES, json({ items: [rule(), vuln] }))
    .on(CALENDAR, json(calendar()));

  renderView(<DeadlinesPage />, { path, session: SESSIONS.readOnly });

  const table = await screen.findByRole('table', { name: 'Deadline rules in force (2)' });
  const cells = (name: string) =>
    within(within(table).getByRole('row', { name: new RegExp(`^${name}`) }))
      .getAllByRole('cell')
      .map((c) => c.textContent);
  expect(cells('incident-response')).toEqual([
    'top priority',
    '4 working hours',
    'Time to acknowledge',
    '75 %',
    '150 %',
    'EGI CSIRT incident response procedure',
  ]);
  expect(cells('vulnerability-fix')).toEqual(['any priority', '7 days', 'Time to resolve', '50 %', '100 %', 'SEC03']);
});

test('without deadline:manage held federation-wide there is no Edit button and no form', async () => {
  stubApi()
    .on(RULES, json({ items: [rule()] }))
    .on(CALENDAR, json(calendar()));

  renderView(<DeadlinesPage />, { path, session: scoped });

  const table = await screen.findByRole('table', { name: 'Deadline rules in force (1)' });
  expect(within(table).queryByRole('button')).toBeNull();
  expect(await screen.findByRole('table', { name: 'Working hours per weekday' })).toBeTruthy();
  expect(screen.queryByRole('form')).toBeNull();
});

test('with deadline:manage each rule has an Edit form that sends the whole rule, and an Add form', async () => {
  const sent: Array<Record<string, unknown>> = [];
  stubApi()
    .on(RULES, json({ items: [rule(), vuln] }))
    .on(CALENDAR, json(calendar()))
    .on('PUT /api/v1/deadline-rules', (_url, init) => (sent.push(body(init)), json(rule({ amount: 2, allowed: '2 working hours' }))));
  const { user } = renderView(<DeadlinesPage />, { path, session: manager });
  expect(await screen.findByRole('form', { name: 'Add a deadline rule' })).toBeTruthy();
  expect(await screen.findByRole('form', { name: 'Change the working calendar' })).toBeTruthy();

  await user.click(await screen.findByRole('button', { name: 'Edit rule incident-response, top priority' }));
  const form = screen.getByRole('form', { name: 'Edit rule incident-response, top priority' });
  expect(within(form).getByRole('textbox', { name: /^Task type/ })).toHaveProperty('disabled', true);
  const amount = within(form).getByRole('spinbutton', { name: /^Time allowed/ });
  expect(amount).toHaveProperty('value', '4');
  await user.clear(amount);
  await user.type(amount, '2');
  await user.click(within(form).getByRole('button', { name: 'Save rule' }));

  expect(await screen.findByRole('form', { name: 'Add a deadline rule' })).toBeTruthy();
  expect(sent).toEqual([
    {
      taskType: 'incident-response',
      priority: 'top priority',
      amount: 2,
      unit: 'working-hours',
      measures: 'acknowledge',
      warnFraction: 0.75,
      csirtFraction: 1.5,
      source: 'EGI CSIRT incident response procedure',
    },
  ]);
});

test('a new rule is checked before it is sent, then added', async () => {
  const sent: Array<Record<string, unknown>> = [];
  const api = stubApi()
    .on(RULES, json({ items: [] }))
    .on(CALENDAR, json(calendar()))
    .on('PUT /api/v1/deadline-rules', (_url, init) => (sent.push(body(init)), json(vuln)));
  const { user } = renderView(<DeadlinesPage />, { path, session: manager });
  const form = await screen.findByRole('form', { name: 'Add a deadline rule' });
  expect(await screen.findByText(/No deadline rule yet/)).toBeTruthy();

  await user.type(within(form).getByRole('textbox', { name: /^Task type/ }), 'Vulnerability fix');
  await user.click(within(form).getByRole('button', { name: 'Add rule' }));
  expect(within(form).getByText(/Lower-case letters, digits and hyphens/)).toBeTruthy();
  expect(within(form).getByText('A number above 0, at most 10000.')).toBeTruthy();
  expect(within(form).getByText(/Say where the deadline comes from/)).toBeTruthy();
  expect(api.requests('PUT /api/v1/deadline-rules')).toHaveLength(0);

  const type = within(form).getByRole('textbox', { name: /^Task type/ });
  await user.clear(type);
  await user.type(type, 'vulnerability-fix');
  await user.type(within(form).getByRole('spinbutton', { name: /^Time allowed/ }), '7');
  await user.selectOptions(within(form).getByRole('combobox', { name: /^Unit/ }), 'days');
  await user.selectOptions(within(form).getByRole('combobox', { name: /^Measures/ }), 'Time to resolve');
  const warn = within(form).getByRole('spinbutton', { name: /^Warning at/ });
  await user.clear(warn);
  await user.type(warn, '50');
  await user.type(within(form).getByRole('textbox', { name: /^Source/ }), 'SEC03');
  await user.click(within(form).getByRole('button', { name: 'Add rule' }));

  expect(await within(form).findByText('Added the rule for vulnerability-fix, any priority: 7 days.')).toBeTruthy();
  expect(sent).toEqual([
    { taskType: 'vulnerability-fix', priority: '*', amount: 7, unit: 'days', measures: 'resolve', warnFraction: 0.5, csirtFraction: 1.5, source: 'SEC03' },
  ]);
});

test('Show history asks for every version and shows when each held and who set it', async () => {
  const api = stubApi()
    .on(RULES, (url) =>
      json({
        items:
          url.searchParams.get('history') === 'true'
            ? [rule({ ruleId: 'dr-old', amount: 8, allowed: '8 working hours', validTo: '2026-02-01T10:00:00.000Z', changedBy: 'Old CSIRT' }), rule()]
            : [rule()],
      }),
    )
    .on(CALENDAR, json(calendar()));
  const { user } = renderView(<DeadlinesPage />, { path, session: manager });
  await screen.findByRole('table', { name: 'Deadline rules in force (1)' });

  await user.click(screen.getByRole('checkbox', { name: 'Show history' }));

  const table = await screen.findByRole('table', { name: 'Deadline rules, every version (2)' });
  const [old, current] = within(table).getAllByRole('row').slice(1);
  expect(old!.textContent).toContain('8 working hours');
  expect(old!.textContent).toContain('2026-02-01 10:00 UTC');
  expect(old!.textContent).toContain('Old CSIRT');
  expect(within(old!).queryByRole('button')).toBeNull();
  expect(current!.textContent).toContain('in force');
  expect(within(current!).getByRole('button', { name: /^Edit rule/ })).toBeTruthy();
  expect(api.requests(RULES).at(-1)!.searchParams.get('history')).toBe('true');
  expect(window.location.search).toBe('?history=true');
});

test('the working calendar reads as hours per weekday and a list of holidays', async () => {
  stubApi()
    .on(RULES, json({ items: [] }))
    .on(CALENDAR, json(calendar({ timeZone: 'Europe/Oslo' })));

  renderView(<DeadlinesPage />, { path, session: SESSIONS.readOnly });

  const table = await screen.findByRole('table', { name: 'Working hours per weekday' });
  const hours = (day: string) => within(within(table).getByRole('row', { name: new RegExp(`^${day}`) })).getByRole('cell').textContent;
  expect(hours('Monday')).toBe('07:00–15:00');
  expect(hours('Friday')).toBe('07:00–12:00, 13:00–17:00');
  expect(hours('Sunday')).toBe('not a working day');
  expect(within(screen.getByRole('list', { name: 'Holidays' })).getByText('2026-12-25')).toBeTruthy();
  expect(screen.getByText('Europe/Oslo')).toBeTruthy();
});

test('a manager changes the hours, adds and removes holidays, and the whole calendar is sent', async () => {
  const sent: Array<Record<string, unknown>> = [];
  stubApi()
    .on(RULES, json({ items: [] }))
    .on(CALENDAR, json(calendar()))
    .on('PUT /api/v1/work-calendar', (_url, init) => (sent.push(body(init)), json(calendar())));
  const { user } = renderView(<DeadlinesPage />, { path, session: manager });
  const form = await screen.findByRole('form', { name: 'Change the working calendar' });
  expect(within(form).getByText(/Now 07:00–12:00, 13:00–17:00/)).toBeTruthy();

  const zone = within(form).getByRole('textbox', { name: /^Time zone/ });
  await user.clear(zone);
  await user.type(zone, 'Mars/Olympus');
  const mondayUntil = within(form).getByLabelText('Monday until');
  await user.clear(mondayUntil);
  await user.click(within(form).getByRole('button', { name: 'Save calendar' }));
  expect(within(form).getByText(/An IANA time zone name/)).toBeTruthy();
  expect(within(form).getByText('Monday: give both times (HH:MM), or neither for a day off.')).toBeTruthy();
  expect(sent).toHaveLength(0);

  await user.clear(zone);
  await user.type(zone, 'Europe/Amsterdam');
  await user.type(mondayUntil, '16:30');
  await user.clear(within(form).getByLabelText('Friday from'));
  await user.clear(within(form).getByLabelText('Friday until'));
  await user.click(within(form).getByRole('button', { name: 'Remove holiday 2026-12-25' }));
  await user.type(within(form).getByLabelText('Holiday'), '2026-05-01');
  await user.click(within(form).getByRole('button', { name: 'Add holiday' }));
  await user.click(within(form).getByRole('button', { name: 'Save calendar' }));

  expect(await within(form).findByText(/Saved: deadlines of tasks opened from now on follow this calendar/)).toBeTruthy();
  expect(sent).toEqual([
    {
      timeZone: 'Europe/Amsterdam',
      week: { '1': [[420, 990]], '2': office, '3': office, '4': office, '5': [], '6': [], '7': [] },
      holidays: ['2026-05-01'],
    },
  ]);
});
