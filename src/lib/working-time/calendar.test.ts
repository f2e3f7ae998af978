import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { InvalidError } from '../../core/errors.js';
import {
  DEFAULT_CALENDAR,
  dueAt,
  elapsedFraction,
  formatDuration,
  parseCalendar,
  workingMinutesBetween,
  type Duration,
  type WorkCalendar,
} from './calendar.js';

const at = (iso: string) => new Date(iso);
const wh = (amount: number): Duration => ({ amount, unit: 'working-hours' });
const due = (start: string, d: Duration, cal: WorkCalendar = DEFAULT_CALENDAR) => dueAt(at(start), d, cal).toISOString();
const weekdays = (hours: ReadonlyArray<readonly [number, number]>) => ({ 1: hours, 2: hours, 3: hours, 4: hours, 5: hours });

const amsterdam = parseCalendar({ timeZone: 'Europe/Amsterdam', week: weekdays([[540, 1020]]), holidays: ['2024-12-25', '2024-12-26', '2025-04-21'] });
/** Night hours every day, with ends inside the hour the DST switches skip or repeat. */
const nightShift = parseCalendar({
  timeZone: 'Europe/Amsterdam',
  week: Object.fromEntries(
    [1, 2, 3, 4, 5, 6, 7].map((d) => [
      d,
      [
        [90, 150],
        [160, 200],
      ],
    ]),
  ),
});
const allDay = (timeZone: string) => parseCalendar({ timeZone, week: Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [d, [[0, 1440]]])) });

test('Friday 14:00 UTC plus 4 working hours is Monday 10:00', () => {
  assert.equal(due('2025-03-07T14:00:00Z', wh(4)), '2025-03-10T10:00:00.000Z');
});

test('working time starting on a Saturday counts from Monday 07:00', () => {
  assert.equal(due('2025-03-08T10:00:00Z', wh(1)), '2025-03-10T08:00:00.000Z');
  assert.equal(workingMinutesBetween(at('2025-03-08T10:00:00Z'), at('2025-03-10T07:00:00Z'), DEFAULT_CALENDAR), 0);
});

test('a holiday is skipped as a whole local day', () => {
  const cal = parseCalendar({ week: DEFAULT_CALENDAR.week, holidays: ['2025-03-10'] });

  assert.equal(due('2025-03-07T14:00:00Z', wh(4), cal), '2025-03-11T10:00:00.000Z');
});

test('5 working days from Monday 09:00 is the next Monday 09:00', () => {
  assert.equal(due('2025-03-03T09:00:00Z', { amount: 5, unit: 'working-days' }), '2025-03-10T09:00:00.000Z');
});

test('a deadline landing on the end of an interval stays there, not the next morning', () => {
  assert.equal(due('2025-03-10T07:00:00Z', wh(8)), '2025-03-10T15:00:00.000Z');
  assert.equal(due('2025-03-07T14:00:00Z', wh(1)), '2025-03-07T15:00:00.000Z');
});

test('zero working time is due at the start, even outside working hours', () => {
  assert.equal(due('2025-03-08T10:00:00Z', wh(0)), '2025-03-08T10:00:00.000Z');
});

test('a working day is the average working time of the weekdays that have any', () => {
  // Mon–Thu 08:00–16:00 and Fri 08:00–12:00: 36 h over 5 days, so a working day is 7 h 12 min.
  const cal = parseCalendar({ week: { ...weekdays([[480, 960]]), 5: [[480, 720]] } });

  assert.equal(due('2025-03-03T08:00:00Z', { amount: 1, unit: 'working-days' }, cal), '2025-03-03T15:12:00.000Z');
});

const calendarCases = [
  ['2025-03-08T10:00:00Z', { amount: 1, unit: 'days' }, '2025-03-09T10:00:00.000Z'],
  ['2025-03-08T10:00:00Z', { amount: 7, unit: 'days' }, '2025-03-15T10:00:00.000Z'],
  ['2025-03-08T10:00:00Z', { amount: 90, unit: 'minutes' }, '2025-03-08T11:30:00.000Z'],
  ['2025-03-08T10:00:00Z', { amount: 24, unit: 'hours' }, '2025-03-09T10:00:00.000Z'],
  ['2024-01-31T12:00:00Z', { amount: 1, unit: 'months' }, '2024-02-29T12:00:00.000Z'], // leap year
  ['2023-01-31T12:00:00Z', { amount: 1, unit: 'months' }, '2023-02-28T12:00:00.000Z'],
  ['2025-03-31T08:00:00Z', { amount: 1, unit: 'months' }, '2025-04-30T08:00:00.000Z'],
  ['2024-11-30T08:00:00Z', { amount: 3, unit: 'months' }, '2025-02-28T08:00:00.000Z'], // across the year
  ['2024-02-29T08:00:00Z', { amount: 12, unit: 'months' }, '2025-02-28T08:00:00.000Z'],
] as const;
for (const [start, d, want] of calendarCases) {
  test(`${start} plus ${formatDuration(d)} is ${want}`, () => assert.equal(due(start, d), want));
}

test('an Amsterdam calendar keeps its local hours across both DST switches', () => {
  // 2024-03-31 clocks go 02:00 → 03:00; Monday 10:00 CEST is 08:00 UTC, not 09:00.
  assert.equal(due('2024-03-29T15:00:00Z', wh(2), amsterdam), '2024-04-01T08:00:00.000Z');
  // 2024-10-27 clocks go 03:00 → 02:00; Friday 16:00 CEST is 14:00 UTC, Monday 10:00 CET 09:00 UTC.
  assert.equal(due('2024-10-25T14:00:00Z', wh(2), amsterdam), '2024-10-28T09:00:00.000Z');
});

test('hours spanning the DST switch lose the skipped hour and gain the repeated one', () => {
  const cal = parseCalendar({ timeZone: 'Europe/Amsterdam', week: { 7: [[60, 240]] } }); // Sundays 01:00–04:00
  const sunday = (from: string, to: string) => workingMinutesBetween(at(from), at(to), cal);

  assert.equal(sunday('2024-03-23T12:00:00Z', '2024-03-25T00:00:00Z'), 180);
  assert.equal(sunday('2024-03-30T12:00:00Z', '2024-04-01T00:00:00Z'), 120);
  assert.equal(sunday('2024-10-26T12:00:00Z', '2024-10-28T00:00:00Z'), 240);
});

test('an interval ending inside the repeated hour ends at its first pass', () => {
  const cal = parseCalendar({ timeZone: 'Europe/Amsterdam', week: { 7: [[60, 150]] } }); // Sundays 01:00–02:30

  assert.equal(workingMinutesBetween(at('2024-10-26T12:00:00Z'), at('2024-10-28T00:00:00Z'), cal), 90);
});

test('an interval wholly inside the skipped hour has no working time that day', () => {
  const cal = parseCalendar({ timeZone: 'Europe/Amsterdam', week: { 1: [[540, 600]], 7: [[130, 170]] } });

  assert.equal(workingMinutesBetween(at('2024-03-30T12:00:00Z'), at('2024-04-01T00:00:00Z'), cal), 0);
  assert.equal(workingMinutesBetween(at('2024-04-06T12:00:00Z'), at('2024-04-08T00:00:00Z'), cal), 40);
});

test('working minutes between a later and an earlier instant are 0', () => {
  assert.equal(workingMinutesBetween(at('2025-03-10T12:00:00Z'), at('2025-03-10T08:00:00Z'), DEFAULT_CALENDAR), 0);
});

test('elapsedFraction counts working time for working units and wall time for calendar units', () => {
  const [start, end] = [at('2025-03-07T14:00:00Z'), at('2025-03-10T10:00:00Z')];
  const fraction = (now: string, d: Duration = wh(4), until = end) => elapsedFraction(start, until, at(now), d, DEFAULT_CALENDAR);

  assert.equal(fraction('2025-03-10T09:00:00Z'), 0.75);
  assert.equal(fraction('2025-03-08T12:00:00Z'), 0.25); // the weekend does not count
  assert.equal(fraction('2025-03-07T10:00:00Z'), 0); // before the start
  assert.equal(fraction('2025-03-10T12:00:00Z'), 1.5); // overdue
  assert.equal(fraction('2025-03-07T20:00:00Z', { amount: 1, unit: 'days' }, at('2025-03-08T14:00:00Z')), 0.25);
});

const formats = [
  [{ amount: 4, unit: 'working-hours' }, '4 working hours'],
  [{ amount: 1, unit: 'working-hours' }, '1 working hour'],
  [{ amount: 1, unit: 'days' }, '1 day'],
  [{ amount: 7, unit: 'days' }, '7 days'],
  [{ amount: 1, unit: 'months' }, '1 month'],
  [{ amount: 5, unit: 'working-days' }, '5 working days'],
  [{ amount: 30, unit: 'minutes' }, '30 minutes'],
  [{ amount: 1.5, unit: 'hours' }, '1.5 hours'],
] as const;
for (const [d, want] of formats) {
  test(`formatDuration(${JSON.stringify(d)}) is "${want}"`, () => assert.equal(formatDuration(d), want));
}

const badDurations = [
  [{ amount: -1, unit: 'hours' }, 'a negative amount'],
  [{ amount: NaN, unit: 'working-hours' }, 'NaN'],
  [{ amount: Infinity, unit: 'days' }, 'an infinite amount'],
  [{ amount: 1.5, unit: 'months' }, 'a fractional month'],
  [{ amount: 1, unit: 'weeks' }, 'an unknown unit'],
  [{ amount: 25 * 365, unit: 'days' }, 'more than 20 years of days'],
  [{ amount: 300, unit: 'months' }, 'more than 20 years of months'],
  [{ amount: 1e9, unit: 'working-hours' }, 'more than 20 years of working hours'],
  [{ amount: 50_000, unit: 'working-hours' }, 'working hours that take more than 20 years'],
] as const;
for (const [d, what] of badDurations) {
  test(`dueAt refuses ${what}`, () => assert.throws(() => dueAt(at('2025-03-07T14:00:00Z'), d as Duration, DEFAULT_CALENDAR), InvalidError));
}

test('dueAt refuses an invalid start date', () => {
  assert.throws(() => dueAt(new Date('nope'), wh(1), DEFAULT_CALENDAR), InvalidError);
});

test('a span of more than 20 years is refused rather than walked', () => {
  assert.throws(() => workingMinutesBetween(at('2000-01-01T00:00:00Z'), at('2030-01-01T00:00:00Z'), amsterdam), InvalidError);
});

test('a calendar without working time that bypassed parseCalendar is refused, not looped over', () => {
  const empty: WorkCalendar = { timeZone: 'UTC', week: {}, holidays: [] };

  assert.throws(() => dueAt(at('2025-03-07T14:00:00Z'), wh(1), empty), InvalidError);
});

test('10,000 working hours on a DST calendar with holidays are computed by whole weeks, not minutes', () => {
  const cal = parseCalendar({ ...amsterdam, holidays: Array.from({ length: 8 }, (_, y) => `${2025 + y}-12-25`) });
  const start = at('2025-03-07T14:23:00Z');

  const began = performance.now();
  const end = dueAt(start, wh(10_000), cal);
  const elapsed = performance.now() - began;

  assert.equal(workingMinutesBetween(start, end, cal), 600_000);
  assert.ok(elapsed < 500, `took ${elapsed} ms`);
});

test('parseCalendar fills missing weekdays, sorts intervals and holidays, and defaults to UTC', () => {
  const cal = parseCalendar({
    week: {
      2: [
        [780, 900],
        [420, 720],
      ],
    },
    holidays: ['2025-12-26', '2025-12-25', '2025-12-26'],
  });

  assert.deepEqual(cal, {
    timeZone: 'UTC',
    week: {
      1: [],
      2: [
        [420, 720],
        [780, 900],
      ],
      3: [],
      4: [],
      5: [],
      6: [],
      7: [],
    },
    holidays: ['2025-12-25', '2025-12-26'],
  });
});

test('DEFAULT_CALENDAR is a valid calendar', () => {
  assert.deepEqual(parseCalendar(DEFAULT_CALENDAR), { ...DEFAULT_CALENDAR, week: { ...DEFAULT_CALENDAR.week } });
});

const monday = { 1: [[420, 900]] };
const badCalendars = [
  [null, 'a non-object'],
  [[], 'an array'],
  [{ week: monday, tz: 'UTC' }, 'an unknown field'],
  [{ timeZone: 'Mars/Olympus_Mons', week: monday }, 'an unknown time zone'],
  [{ timeZone: 42, week: monday }, 'a time zone that is not a string'],
  [{}, 'a missing week'],
  [{ week: { 8: [[420, 900]] } }, 'a weekday 8'],
  [{ week: { 1: [[-1, 900]] } }, 'a minute below 0'],
  [{ week: { 1: [[420, 1441]] } }, 'a minute above 1440'],
  [{ week: { 1: [[420.5, 900]] } }, 'a fractional minute'],
  [{ week: { 1: [[900, 420]] } }, 'a start after its end'],
  [{ week: { 1: [[420, 420]] } }, 'an empty interval'],
  [{ week: { 1: [[420, 900, 1000]] } }, 'an interval of three numbers'],
  [
    {
      week: {
        1: [
          [420, 720],
          [700, 900],
        ],
      },
    },
    'overlapping intervals',
  ],
  [{ week: { 1: Array.from({ length: 49 }, (_, i) => [i * 20, i * 20 + 10]) } }, 'too many intervals in a day'],
  [{ week: { 1: [], 6: [] } }, 'a week without working time'],
  [{ week: monday, holidays: Array.from({ length: 501 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)).toISOString().slice(0, 10)) }, 'more than 500 holidays'],
  [{ week: monday, holidays: ['2025-02-30'] }, 'a date that does not exist'],
  [{ week: monday, holidays: ['2025-2-3'] }, 'a date not written YYYY-MM-DD'],
  [{ week: monday, holidays: '2025-12-25' }, 'holidays that are not a list'],
] as const;
for (const [input, what] of badCalendars) {
  test(`parseCalendar refuses ${what}`, () => assert.throws(() => parseCalendar(input), InvalidError));
}

// ---- properties ----

const calendars = [
  ['the default calendar', DEFAULT_CALENDAR],
  ['Amsterdam office hours with holidays', amsterdam],
  ['Amsterdam night hours across the DST switch', nightShift],
  ['São Paulo around the clock, DST at midnight', allDay('America/Sao_Paulo')],
  ['Lord Howe around the clock, 30-minute DST', allDay('Australia/Lord_Howe')],
] as const;
const instants = fc.date({ min: at('2015-01-01T00:00:00Z'), max: at('2026-01-01T00:00:00Z'), noInvalidDate: true });

for (const [name, cal] of calendars) {
  test(`on ${name}, the working time up to dueAt(start, n working hours) is n hours, and no earlier instant reaches it`, () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 3000 }), (start, n) => {
        const end = dueAt(start, wh(n), cal);

        assert.equal(workingMinutesBetween(start, end, cal), n * 60);
        if (n > 0) assert.ok(workingMinutesBetween(start, new Date(end.getTime() - 1), cal) < n * 60);
      }),
    );
  });

  test(`on ${name}, dueAt is monotone in the amount`, () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), (start, a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];

        assert.ok(dueAt(start, wh(low), cal).getTime() <= dueAt(start, wh(high), cal).getTime());
      }),
    );
  });
}

test('a calendar around the clock counts exactly the wall time, DST or not', () => {
  const zones = fc.constantFrom('UTC', 'Europe/Amsterdam', 'America/Sao_Paulo', 'Australia/Lord_Howe');
  fc.assert(
    fc.property(zones, instants, fc.integer({ min: 0, max: 400 * 24 * 60 }), (zone, a, minutes) => {
      const b = new Date(a.getTime() + minutes * 60_000);

      assert.equal(workingMinutesBetween(a, b, allDay(zone)), minutes);
    }),
  );
});

test('elapsedFraction at the deadline is 1', () => {
  const units = fc.constantFrom<Duration['unit']>('minutes', 'hours', 'days', 'months', 'working-hours', 'working-days');
  fc.assert(
    fc.property(fc.constantFrom(...calendars.map(([, cal]) => cal)), instants, units, fc.integer({ min: 1, max: 200 }), (cal, start, unit, amount) => {
      const d = { amount, unit };
      const end = dueAt(start, d, cal);

      assert.ok(Math.abs(elapsedFraction(start, end, end, d, cal) - 1) < 1e-9);
    }),
  );
});
