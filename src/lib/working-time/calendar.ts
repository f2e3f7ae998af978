// Deadlines in calendar or working time on an editable working calendar, as the EGI helpdesk
// QoS levels count them ("response within 4 working hours", office hours Mon–Fri 07:00–15:00 UTC).
// Working hours are local wall time in the calendar's IANA zone, read through Intl alone.
//
// How an interval [start, end) of local minutes becomes real time: each end is the first instant
// whose local clock reads at least that minute. Across a spring-forward gap an interval loses the
// skipped hour (or vanishes when it lies inside the gap); across a fall-back the repeated hour
// counts when the interval spans it, but an interval ending inside it ends at its first pass.
import { InvalidError } from '../../core/errors.js';

export interface WorkCalendar {
  /** IANA time zone the hours are in; 'UTC' by default. */
  timeZone: string;
  /** Working hours per ISO weekday 1=Mon..7=Sun: [startMinute, endMinute) within the local day. */
  week: Record<number, ReadonlyArray<readonly [number, number]>>;
  /** Holidays as 'YYYY-MM-DD' local dates in timeZone: no working time on them. */
  holidays: readonly string[];
}

export type DurationUnit = 'minutes' | 'hours' | 'days' | 'months' | 'working-hours' | 'working-days';
export type Duration = { amount: number; unit: DurationUnit };

const MINUTE = 60_000;
const DAY = 86_400_000;
const MAX_OFFSET = 14 * 3_600_000; // no zone is further than 14 h from UTC
/** Deadlines and spans beyond this are refused: they are typos, and the walk stays bounded. */
const MAX_SPAN_DAYS = 20 * 366;
const MAX_HOLIDAYS = 500;
const MAX_INTERVALS_PER_DAY = 48;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

const officeHours = [[420, 900]] as const;
/** EGI helpdesk office hours: Mon–Fri 07:00–15:00 UTC, no holidays. */
export const DEFAULT_CALENDAR: WorkCalendar = Object.freeze({
  timeZone: 'UTC',
  week: Object.freeze({ 1: officeHours, 2: officeHours, 3: officeHours, 4: officeHours, 5: officeHours, 6: [], 7: [] }),
  holidays: Object.freeze([]),
});

// ---- validation -----------------------------------------------------------------------------

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A working calendar from untrusted input (a settings form, an API body), normalised: every
 * weekday present, intervals sorted, holidays sorted and unique. Throws `InvalidError` naming the field.
 *
 * @example
 * parseCalendar({ timeZone: 'Europe/Amsterdam', week: { 1: [[540, 1020]] }, holidays: ['2025-12-25'] })
 */
export function parseCalendar(input: unknown): WorkCalendar {
  if (!isRecord(input)) throw new InvalidError('a working calendar must be an object');
  for (const key of Object.keys(input)) {
    if (key !== 'timeZone' && key !== 'week' && key !== 'holidays')
      throw new InvalidError(`unknown calendar field "${key.slice(0, 40)}"`, { field: key.slice(0, 40) });
  }
  return { timeZone: parseTimeZone(input.timeZone ?? 'UTC'), week: parseWeek(input.week), holidays: parseHolidays(input.holidays ?? []) };
}

function parseTimeZone(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64)
    throw new InvalidError('timeZone must be an IANA time zone name', { field: 'timeZone' });
  try {
    zoneFor(value);
  } catch {
    throw new InvalidError(`unknown time zone "${value}"`, { field: 'timeZone' });
  }
  return value;
}

function parseWeek(value: unknown): WorkCalendar['week'] {
  if (!isRecord(value)) throw new InvalidError('week must map ISO weekdays 1-7 to working intervals', { field: 'week' });
  for (const key of Object.keys(value)) {
    if (!/^[1-7]$/.test(key)) throw new InvalidError(`week has no weekday "${key.slice(0, 40)}" (1=Monday..7=Sunday)`, { field: 'week' });
  }
  const week: Record<number, Array<readonly [number, number]>> = {};
  let total = 0;
  for (const day of WEEKDAYS) {
    const list = value[day] ?? [];
    const field = `week.${day}`;
    if (!Array.isArray(list) || list.length > MAX_INTERVALS_PER_DAY)
      throw new InvalidError(`${field} must be a list of at most ${MAX_INTERVALS_PER_DAY} intervals`, { field });
    const intervals = list.map((item: unknown, i): readonly [number, number] => {
      const at = `${field}[${i}]`;
      if (!Array.isArray(item) || item.length !== 2) throw new InvalidError(`${at} must be [startMinute, endMinute]`, { field: at });
      const [start, end] = item as unknown[];
      for (const m of [start, end]) {
        if (!Number.isInteger(m) || (m as number) < 0 || (m as number) > 1440)
          throw new InvalidError(`${at}: minutes must be whole numbers in 0..1440`, { field: at });
      }
      if ((start as number) >= (end as number)) throw new InvalidError(`${at}: the start must come before the end`, { field: at });
      return [start as number, end as number];
    });
    intervals.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < intervals.length; i++) {
      if (intervals[i]![0] < intervals[i - 1]![1]) throw new InvalidError(`${field}: working intervals overlap`, { field });
    }
    week[day] = intervals;
    total += intervals.reduce((sum, [s, e]) => sum + e - s, 0);
  }
  if (total === 0) throw new InvalidError('the week has no working time', { field: 'week' });
  return week;
}

function parseHolidays(value: unknown): string[] {
  if (!Array.isArray(value)) throw new InvalidError('holidays must be a list of YYYY-MM-DD dates', { field: 'holidays' });
  if (value.length > MAX_HOLIDAYS) throw new InvalidError(`at most ${MAX_HOLIDAYS} holidays`, { field: 'holidays' });
  for (const [i, date] of value.entries()) {
    if (typeof date !== 'string' || dayNumber(date) === undefined)
      throw new InvalidError(`holidays[${i}] is not a YYYY-MM-DD date`, { field: `holidays[${i}]` });
  }
  return [...new Set(value as string[])].sort();
}

/** Days since 1970-01-01 of a valid 'YYYY-MM-DD' date (years 1000-9999), else undefined. */
function dayNumber(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m || m[1]! < '1000') return undefined;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === date ? t / DAY : undefined;
}

function checkInstant(d: Date, name: string): number {
  const t = d instanceof Date ? d.getTime() : NaN;
  const year = Number.isNaN(t) ? NaN : d.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) throw new InvalidError(`${name} must be a valid date`, { field: name });
  return t;
}

const UNIT_NAMES: Record<DurationUnit, readonly [string, string]> = {
  minutes: ['minute', 'minutes'],
  hours: ['hour', 'hours'],
  days: ['day', 'days'],
  months: ['month', 'months'],
  'working-hours': ['working hour', 'working hours'],
  'working-days': ['working day', 'working days'],
};

function checkDuration(d: Duration): void {
  if (!isRecord(d) || !Object.hasOwn(UNIT_NAMES, d.unit as string)) throw new InvalidError(`unknown duration unit`, { field: 'unit' });
  if (typeof d.amount !== 'number' || !Number.isFinite(d.amount) || d.amount < 0)
    throw new InvalidError('a duration amount must be a number >= 0', { field: 'amount' });
  if (d.unit === 'months' && !Number.isInteger(d.amount)) throw new InvalidError('months must be a whole number', { field: 'amount' });
}

const isWorking = (d: Duration) => d.unit === 'working-hours' || d.unit === 'working-days';
const tooFar = () => new InvalidError('a deadline or span may not exceed 20 years');

// ---- time zones through Intl ----------------------------------------------------------------

interface Zone {
  /** Local wall time minus UTC, in ms, at instant t. */
  offsetAt(t: number): number;
  /** The offset when the zone never changes it. */
  fixed: number | undefined;
}

const zones = new Map<string, Zone>();
/** The zone named `timeZone`; Intl throws a RangeError for a name it does not know. */
function zoneFor(timeZone: string): Zone {
  const known = zones.get(timeZone);
  if (known) return known;
  const fields = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' } as const;
  const f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', ...fields });
  const offsetAt = (t: number): number => {
    const p: Record<string, number> = {};
    for (const { type, value } of f.formatToParts(t)) if (type !== 'literal') p[type] = Number(value);
    const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!, p.second!);
    return wall - (t - (((t % 1000) + 1000) % 1000));
  };
  const fixed = /^(UTC|GMT|Etc\/(UTC|UCT|GMT|Universal|Zulu|GMT[+-]\d{1,2}))$/.test(f.resolvedOptions().timeZone) ? offsetAt(0) : undefined;
  if (zones.size >= 1000) zones.clear(); // spellings of zone names are user input
  zones.set(timeZone, { offsetAt, fixed });
  return zones.get(timeZone)!;
}

/** The zone's offset throughout local wall times [from, to], or undefined when it changes there. */
function steadyOffset(zone: Zone, from: number, to: number): number | undefined {
  if (zone.fixed !== undefined) return zone.fixed;
  // Assumes at most one change within a couple of days, as in every zone's rules.
  const before = zone.offsetAt(from - MAX_OFFSET);
  return zone.offsetAt(to + MAX_OFFSET) === before ? before : undefined;
}

/** The first instant whose local wall time reads `wall` or later. */
function firstInstantAt(zone: Zone, wall: number): number {
  const before = zone.offsetAt(wall - DAY);
  const after = zone.offsetAt(wall + DAY);
  let first = Infinity;
  for (const o of before === after ? [before] : [before, after]) {
    if (zone.offsetAt(wall - o) === o) first = Math.min(first, wall - o); // in a fall-back, the earlier pass
  }
  if (first !== Infinity) return first;
  // Inside a spring-forward gap: the instant the clocks jump, by bisection on whole seconds.
  let lo = wall - Math.max(before, after);
  let hi = wall - Math.min(before, after);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (mid + zone.offsetAt(mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}

// ---- the walk over working spans ------------------------------------------------------------

interface Compiled {
  zone: Zone;
  week: WorkCalendar['week'];
  holidays: number[]; // local day numbers, ascending
  /** Working ms of a week without holidays or offset changes. */
  weekMs: number;
  /**
   * One working day: the average working time of the weekdays that have any. This keeps
   * working-days a fixed multiple of working-hours (8 h on the EGI calendar, as its QoS reads
   * them) and well defined on calendars whose days differ in length, e.g. a short Friday.
   */
  dayMs: number;
}

const compiled = new Map<string, Compiled>();

/** The calendar checked and prepared for walking, memoised by content: list views ask for many deadlines on one calendar. */
function compile(cal: WorkCalendar): Compiled {
  let key: string | undefined;
  try {
    key = isRecord(cal) ? JSON.stringify([cal.timeZone, cal.week, cal.holidays]) : undefined;
  } catch {
    key = undefined; // not JSON-shaped: parseCalendar says why
  }
  const known = key === undefined ? undefined : compiled.get(key);
  if (known) return known;
  const { timeZone, week, holidays } = parseCalendar(cal);
  const lengths = WEEKDAYS.map((d) => week[d]!.reduce((sum, [s, e]) => sum + (e - s) * MINUTE, 0));
  const weekMs = lengths.reduce((a, b) => a + b, 0);
  const c = { zone: zoneFor(timeZone), week, holidays: holidays.map((h) => dayNumber(h)!), weekMs, dayMs: weekMs / lengths.filter((l) => l > 0).length };
  if (key !== undefined) {
    if (compiled.size >= 32) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, c);
  }
  return c;
}

const isoWeekday = (day: number) => ((((day + 3) % 7) + 7) % 7) + 1; // day 0, 1970-01-01, was a Thursday
const localDay = (zone: Zone, t: number) => Math.floor((t + zone.offsetAt(t)) / DAY);

/** The first holiday on or after `day`, or Infinity. */
function nextHoliday(c: Compiled, day: number): number {
  let lo = 0;
  let hi = c.holidays.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c.holidays[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  return c.holidays[lo] ?? Infinity;
}

/** The working spans of one local day as [from, to) instants, in order and disjoint. */
function daySpans(c: Compiled, day: number): Array<[number, number]> {
  const hours = c.week[isoWeekday(day)] ?? [];
  if (hours.length === 0 || nextHoliday(c, day) === day) return [];
  const midnight = day * DAY;
  const offset = steadyOffset(c.zone, midnight, midnight + DAY);
  const at = (m: number) => (offset === undefined ? firstInstantAt(c.zone, midnight + m * MINUTE) : midnight + m * MINUTE - offset);
  return hours.map(([s, e]) => [at(s), at(e)]);
}

/**
 * How many whole weeks from `monday` (at most `most`) hold exactly `weekMs` of working time and
 * so may be skipped by arithmetic: no holiday in them and, outside fixed-offset zones, no
 * offset change (checked one week at a time).
 */
function plainWeeks(c: Compiled, monday: number, most: number): number {
  if (most <= 0) return 0;
  const holidayFree = Math.floor((nextHoliday(c, monday) - monday) / 7);
  if (c.zone.fixed !== undefined) return Math.min(most, holidayFree);
  return holidayFree > 0 && steadyOffset(c.zone, monday * DAY, (monday + 7) * DAY) !== undefined ? 1 : 0;
}

/** The earliest instant at which `amount` ms of working time have passed since `start`. */
function addWorkingTime(c: Compiled, start: number, amount: number): number {
  if (amount === 0) return start;
  if (amount > MAX_SPAN_DAYS * DAY) throw tooFar();
  const first = localDay(c.zone, start);
  let remaining = amount;
  let floor = start; // spans never count twice, whatever the clocks did
  for (let day = first; day <= first + MAX_SPAN_DAYS; day++) {
    if (day > first && isoWeekday(day) === 1) {
      const weeks = plainWeeks(c, day, Math.ceil(remaining / c.weekMs) - 1); // leaves some for the last week
      if (weeks > 0) {
        remaining -= weeks * c.weekMs;
        day += 7 * weeks - 1;
        continue;
      }
    }
    for (const [s, e] of daySpans(c, day)) {
      const from = Math.max(s, floor);
      if (e <= from) continue;
      if (e - from >= remaining) return from + remaining; // landing on a span's end stays there
      remaining -= e - from;
      floor = e;
    }
  }
  throw tooFar();
}

function workingTimeBetween(c: Compiled, a: number, b: number): number {
  if (b <= a) return 0;
  if (b - a > MAX_SPAN_DAYS * DAY) throw tooFar();
  const first = localDay(c.zone, a);
  const last = localDay(c.zone, b);
  let total = 0;
  let floor = a;
  for (let day = first; day <= last; day++) {
    if (day > first && isoWeekday(day) === 1) {
      const weeks = plainWeeks(c, day, Math.floor((last - day) / 7));
      if (weeks > 0) {
        total += weeks * c.weekMs;
        day += 7 * weeks - 1;
        continue;
      }
    }
    for (const [s, e] of daySpans(c, day)) {
      const from = Math.max(s, floor);
      const to = Math.min(e, b);
      if (to > from) total += to - from;
      floor = Math.max(floor, e);
    }
  }
  return total;
}

// ---- the API --------------------------------------------------------------------------------

/**
 * The deadline `d` after `start`. Calendar units are wall-clock: a day is 24 h, a month the same
 * day of the next month in UTC, clamped to its last day. Working units count only working time,
 * starting at the next working interval when `start` is outside one; the deadline is the earliest
 * instant the time is used up, so one landing on an interval's end stays there.
 *
 * @example
 * dueAt(new Date('2025-03-07T14:00Z'), { amount: 4, unit: 'working-hours' }, DEFAULT_CALENDAR) // 2025-03-10T10:00Z (Monday)
 * dueAt(new Date('2024-01-31T12:00Z'), { amount: 1, unit: 'months' }, DEFAULT_CALENDAR) // 2024-02-29T12:00Z
 */
export function dueAt(start: Date, d: Duration, cal: WorkCalendar): Date {
  const t = checkInstant(start, 'start');
  checkDuration(d);
  if (isWorking(d)) {
    const c = compile(cal);
    const ms = d.amount * (d.unit === 'working-hours' ? 60 * MINUTE : c.dayMs);
    return new Date(addWorkingTime(c, t, Math.round(ms)));
  }
  let due: number;
  if (d.unit === 'months') {
    const s = new Date(t);
    const month = s.getUTCMonth() + d.amount;
    const lastDay = new Date(Date.UTC(s.getUTCFullYear(), month + 1, 0)).getUTCDate();
    due = Date.UTC(s.getUTCFullYear(), month, Math.min(s.getUTCDate(), lastDay), s.getUTCHours(), s.getUTCMinutes(), s.getUTCSeconds(), s.getUTCMilliseconds());
  } else {
    due = t + Math.round(d.amount * (d.unit === 'minutes' ? MINUTE : d.unit === 'hours' ? 60 * MINUTE : DAY));
  }
  if (!(due - t <= MAX_SPAN_DAYS * DAY)) throw tooFar();
  return new Date(due);
}

/**
 * Working minutes from `a` to `b` on the calendar; 0 when b is not after a.
 *
 * @example
 * workingMinutesBetween(new Date('2025-03-07T14:00Z'), new Date('2025-03-10T10:00Z'), DEFAULT_CALENDAR) // 240
 */
export function workingMinutesBetween(a: Date, b: Date, cal: WorkCalendar): number {
  return workingTimeBetween(compile(cal), checkInstant(a, 'a'), checkInstant(b, 'b')) / MINUTE;
}

/**
 * The fraction of the allowed time, start to due, used at `now`: working time for working
 * units, wall time for calendar units. 0 before the start; above 1 once overdue. Measuring
 * against `due` rather than `d` keeps it right when a deadline was moved.
 *
 * @example
 * const [start, due, now] = [new Date('2025-03-07T14:00Z'), new Date('2025-03-10T10:00Z'), new Date('2025-03-10T09:00Z')];
 * elapsedFraction(start, due, now, { amount: 4, unit: 'working-hours' }, DEFAULT_CALENDAR) // 0.75
 */
export function elapsedFraction(start: Date, due: Date, now: Date, d: Duration, cal: WorkCalendar): number {
  const [s, e, n] = [checkInstant(start, 'start'), checkInstant(due, 'due'), checkInstant(now, 'now')];
  checkDuration(d);
  let allowed: number;
  let used: number;
  if (isWorking(d)) {
    const c = compile(cal);
    allowed = workingTimeBetween(c, s, e);
    used = n <= e ? workingTimeBetween(c, s, n) : allowed + workingTimeBetween(c, e, n);
  } else {
    allowed = e - s;
    used = Math.max(0, n - s);
  }
  if (allowed <= 0) return n >= e ? 1 : 0;
  return used / allowed;
}

/**
 * A duration in words.
 *
 * @example
 * formatDuration({ amount: 4, unit: 'working-hours' }) // "4 working hours"
 * formatDuration({ amount: 1, unit: 'days' }) // "1 day"
 */
export function formatDuration(d: Duration): string {
  checkDuration(d);
  const [one, many] = UNIT_NAMES[d.unit];
  return `${d.amount} ${d.amount === 1 ? one : many}`;
}
