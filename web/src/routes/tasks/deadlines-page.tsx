// Deadlines as data: per task type and priority, the time allowed, which answer it is on, when
// the warning and the CSIRT's escalation come and where the rule comes from; and the working
// calendar that working hours count on. Holders of deadline:manage (federation-wide) change both;
// every change is a new version, so open tasks keep the rule they were opened under.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, retryTransientOnce } from '../../lib/api';
import { useSearchState } from '../../lib/router';
import { useSession } from '../../lib/session';
import { formatTime } from '../../lib/format';
import { PageHeader } from '../../components/page';
import { Empty, QueryView } from '../../components/states';
import { FormFoot, SelectField, TextField, fieldErrors } from '../../components/form';
import { TaskTabs } from './parts';
import '../patching/patching.css';

// ---- wire shapes (src/modules/tasks/deadlines.ts) and hooks ---------------------------------------

export const PRIORITIES = ['less urgent', 'urgent', 'very urgent', 'top priority'] as const;
export type Priority = (typeof PRIORITIES)[number];
export type DurationUnit = 'minutes' | 'hours' | 'days' | 'months' | 'working-hours' | 'working-days';
export type Measure = 'acknowledge' | 'resolve';

export interface DeadlineRule {
  ruleId: string;
  taskType: string;
  priority: Priority | '*';
  amount: number;
  unit: DurationUnit;
  measures: Measure;
  warnFraction: number;
  csirtFraction: number;
  source: string;
  validFrom: string;
  validTo: string | null;
  changedBy: string;
  /** "4 working hours" */
  allowed: string;
}
export type DeadlineRuleInput = Pick<DeadlineRule, 'taskType' | 'priority' | 'amount' | 'unit' | 'measures' | 'warnFraction' | 'csirtFraction' | 'source'>;

export interface WorkCalendar {
  timeZone: string;
  /** ISO weekday "1" (Monday) … "7" (Sunday) → [startMinute, endMinute) intervals of local time. */
  week: Record<string, Array<[number, number]>>;
  holidays: string[];
}
export interface WorkCalendarView {
  calendar: WorkCalendar;
  validFrom: string | null;
  changedBy: string | null;
}

export const deadlineKeys = {
  all: ['tasks', 'deadlines'] as const,
  rules: (history: boolean) => ['tasks', 'deadlines', 'rules', history] as const,
  calendar: () => ['tasks', 'deadlines', 'calendar'] as const,
};

export const useDeadlineRules = (history = false) =>
  useQuery({
    queryKey: deadlineKeys.rules(history),
    queryFn: () => api<{ items: DeadlineRule[] }>('/api/v1/deadline-rules', { query: { history: history || undefined } }),
    retry: retryTransientOnce,
  });
export const useWorkCalendar = () =>
  useQuery({ queryKey: deadlineKeys.calendar(), queryFn: () => api<WorkCalendarView>('/api/v1/work-calendar'), retry: retryTransientOnce });

function useDeadlineMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: deadlineKeys.all });
      await client.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}
export const useSetDeadlineRule = () =>
  useDeadlineMutation((body: DeadlineRuleInput) => api<DeadlineRule>('/api/v1/deadline-rules', { method: 'PUT', json: body }));
export const useSetWorkCalendar = () =>
  useDeadlineMutation((body: WorkCalendar) => api<WorkCalendarView>('/api/v1/work-calendar', { method: 'PUT', json: body }));

/** Deadlines are the federation's policy: only a federation-wide deadline:manage changes them. */
function useManagesDeadlines(): boolean {
  return useSession().federationPermissions.includes('deadline:manage');
}

// ---- words ---------------------------------------------------------------------------------------

export const UNIT_LABELS: Record<DurationUnit, string> = {
  minutes: 'minutes',
  hours: 'hours',
  days: 'days',
  months: 'months',
  'working-hours': 'working hours',
  'working-days': 'working days',
};
export const MEASURE_LABELS: Record<Measure, string> = { acknowledge: 'Time to acknowledge', resolve: 'Time to resolve' };
export const priorityLabel = (p: string) => (p === '*' ? 'any priority' : p);
/** 0.75 → "75 %", 1.5 → "150 %". */
export const percent = (fraction: number) => `${Math.round(fraction * 1000) / 10} %`;

const WEEKDAYS: Array<[string, string]> = [
  ['1', 'Monday'],
  ['2', 'Tuesday'],
  ['3', 'Wednesday'],
  ['4', 'Thursday'],
  ['5', 'Friday'],
  ['6', 'Saturday'],
  ['7', 'Sunday'],
];
const pad = (n: number) => String(n).padStart(2, '0');
/** 420 → "07:00"; 1440 → "24:00" (the end of the day). */
export const clock = (minute: number) => `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
export const hoursOf = (intervals: ReadonlyArray<readonly [number, number]> | undefined) =>
  intervals && intervals.length > 0 ? intervals.map(([s, e]) => `${clock(s)}–${clock(e)}`).join(', ') : 'not a working day';

// ---- the page ------------------------------------------------------------------------------------

export function DeadlinesPage() {
  return (
    <>
      <PageHeader
        title="Deadlines"
        crumbs={[{ label: 'Tasks', to: '/tasks' }]}
        subtitle="How long each kind of task may take, per priority, and the working calendar that working hours count on. A change applies to tasks opened from then on; open tasks keep the rule they were opened under."
      />
      <TaskTabs />
      <RulesSection />
      <CalendarSection />
    </>
  );
}

function RulesSection() {
  const [search, set] = useSearchState();
  const history = search.get('history') === 'true';
  const rules = useDeadlineRules(history);
  const manages = useManagesDeadlines();
  const [editing, setEditing] = useState<string | null>(null);
  const edited = rules.data?.items.find((r) => r.ruleId === editing && r.validTo === null);
  return (
    <>
      <section className="panel" aria-labelledby="deadline-rules-title">
        <div className="panel-head">
          <h2 id="deadline-rules-title">Deadline rules</h2>
          <label className="small">
            <input type="checkbox" checked={history} onChange={(e) => set({ history: e.target.checked ? 'true' : undefined })} /> Show history
          </label>
        </div>
        <QueryView query={rules} label="deadline rules">
          {(data) =>
            data.items.length === 0 ? (
              <Empty>No deadline rule yet: tasks cannot be opened until one is set for their type.{manages ? ' Add one below.' : ''}</Empty>
            ) : (
              <RulesTable rules={data.items} history={history} manages={manages} onEdit={setEditing} />
            )
          }
        </QueryView>
      </section>
      {manages && (edited ? <DeadlineRuleForm key={edited.ruleId} rule={edited} onDone={() => setEditing(null)} /> : <DeadlineRuleForm key="new" />)}
    </>
  );
}

function RulesTable({ rules, history, manages, onEdit }: { rules: DeadlineRule[]; history: boolean; manages: boolean; onEdit: (ruleId: string) => void }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <caption>
          {history ? 'Deadline rules, every version' : 'Deadline rules in force'} ({rules.length})
        </caption>
        <thead>
          <tr>
            <th scope="col">Task type</th>
            <th scope="col">Priority</th>
            <th scope="col">Allowed</th>
            <th scope="col">Measures</th>
            <th scope="col" className="num">
              Warning at
            </th>
            <th scope="col" className="num">
              CSIRT at
            </th>
            <th scope="col">Source</th>
            {history && (
              <>
                <th scope="col">Valid from</th>
                <th scope="col">Valid until</th>
                <th scope="col">Changed by</th>
              </>
            )}
            {manages && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.ruleId}>
              <th scope="row" className="mono">
                {r.taskType}
              </th>
              <td>{priorityLabel(r.priority)}</td>
              <td>{r.allowed}</td>
              <td>{MEASURE_LABELS[r.measures] ?? r.measures}</td>
              <td className="num">{percent(r.warnFraction)}</td>
              <td className="num">{percent(r.csirtFraction)}</td>
              <td className="wrap">{r.source}</td>
              {history && (
                <>
                  <td className="mono muted nowrap">{formatTime(r.validFrom)}</td>
                  <td className="mono muted nowrap">{r.validTo ? formatTime(r.validTo) : <span className="badge badge-ok">in force</span>}</td>
                  <td>{r.changedBy}</td>
                </>
              )}
              {manages && (
                <td className="row-actions">
                  {r.validTo === null && (
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => onEdit(r.ruleId)}
                      aria-label={`Edit rule ${r.taskType}, ${priorityLabel(r.priority)}`}
                    >
                      Edit
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

// As the API checks it (src/modules/tasks/routes.ts).
const TASK_TYPE = /^[a-z][a-z0-9-]*$/;
/** The fraction as a percentage for a form field: 0.75 → "75". */
const percentText = (fraction: number) => String(Math.round(fraction * 1000) / 10);

/** A rule's form: empty to add one, filled in to change one (its type and priority stay). */
export function DeadlineRuleForm({ rule, onDone }: { rule?: DeadlineRule; onDone?: () => void }) {
  const save = useSetDeadlineRule();
  const [taskType, setTaskType] = useState(rule?.taskType ?? '');
  const [priority, setPriority] = useState<DeadlineRule['priority']>(rule?.priority ?? '*');
  const [amount, setAmount] = useState(rule ? String(rule.amount) : '');
  const [unit, setUnit] = useState<DurationUnit>(rule?.unit ?? 'working-hours');
  const [measures, setMeasures] = useState<Measure>(rule?.measures ?? 'acknowledge');
  const initialWarn = rule ? percentText(rule.warnFraction) : '75';
  const initialCsirt = rule ? percentText(rule.csirtFraction) : '150';
  const [warn, setWarn] = useState(initialWarn);
  const [csirt, setCsirt] = useState(initialCsirt);
  const [source, setSource] = useState(rule?.source ?? '');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');
  const errors = { ...fieldErrors(save.error), ...missing };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    const need: Record<string, string> = {};
    const n = Number(amount);
    const w = Number(warn);
    const c = Number(csirt);
    if (!TASK_TYPE.test(taskType.trim())) need.taskType = 'Lower-case letters, digits and hyphens, starting with a letter (incident-response).';
    if (amount.trim() === '' || !(n > 0 && n <= 10_000)) need.amount = 'A number above 0, at most 10000.';
    if (warn.trim() === '' || !(w > 0 && w < 100)) need.warnFraction = 'The warning comes before the deadline: between 0 and 100 %.';
    if (csirt.trim() === '' || !(c >= 100)) need.csirtFraction = 'The CSIRT is told at or after the deadline: 100 % or more.';
    if (!source.trim()) need.source = 'Say where the deadline comes from (a policy, an OLA).';
    setMissing(need);
    if (Object.keys(need).length > 0) return;
    const input: DeadlineRuleInput = {
      taskType: taskType.trim(),
      priority,
      amount: n,
      unit,
      measures,
      // An unchanged field keeps the stored fraction exactly (the field shows it rounded).
      warnFraction: rule && warn === initialWarn ? rule.warnFraction : w / 100,
      csirtFraction: rule && csirt === initialCsirt ? rule.csirtFraction : c / 100,
      source: source.trim(),
    };
    if (
      rule &&
      input.amount === rule.amount &&
      input.unit === rule.unit &&
      input.measures === rule.measures &&
      input.warnFraction === rule.warnFraction &&
      input.csirtFraction === rule.csirtFraction &&
      input.source === rule.source
    ) {
      setDone('Nothing changed.');
      return;
    }
    save.mutate(input, {
      onSuccess: (saved) => {
        if (rule) {
          onDone?.();
          return;
        }
        setDone(`Added the rule for ${saved.taskType}, ${priorityLabel(saved.priority)}: ${saved.allowed}.`);
        setTaskType('');
        setAmount('');
        setSource('');
      },
    });
  };

  const title = rule ? `Edit rule ${rule.taskType}, ${priorityLabel(rule.priority)}` : 'Add a deadline rule';
  return (
    <form className="panel form-grid" onSubmit={submit} noValidate aria-labelledby="deadline-form-title">
      <h2 id="deadline-form-title">{title}</h2>
      <TextField
        label="Task type"
        className="mono"
        value={taskType}
        onChange={(e) => setTaskType(e.target.value)}
        error={errors.taskType}
        placeholder="incident-response"
        maxLength={40}
        required
        disabled={!!rule}
        hint={rule ? undefined : 'Setting a rule for a type and priority that has one replaces it.'}
      />
      <SelectField
        label="Priority"
        value={priority}
        onChange={(e) => setPriority(e.target.value as DeadlineRule['priority'])}
        error={errors.priority}
        disabled={!!rule}
      >
        <option value="*">Any priority (*)</option>
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Time allowed"
        type="number"
        min={0}
        max={10_000}
        step="any"
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        error={errors.amount}
        required
        autoFocus={!!rule}
      />
      <SelectField
        label="Unit"
        value={unit}
        onChange={(e) => setUnit(e.target.value as DurationUnit)}
        error={errors.unit}
        hint="Working hours and days count on the working calendar below."
      >
        {Object.entries(UNIT_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Measures"
        value={measures}
        onChange={(e) => setMeasures(e.target.value as Measure)}
        error={errors.measures}
        hint="Which answer the deadline is on."
      >
        {Object.entries(MEASURE_LABELS).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </SelectField>
      <TextField
        label="Warning at (% of the time)"
        type="number"
        min={1}
        max={99}
        step="any"
        value={warn}
        onChange={(e) => setWarn(e.target.value)}
        error={errors.warnFraction}
        hint="The addressees are reminded when this share of the time has passed."
      />
      <TextField
        label="CSIRT told at (% of the time)"
        type="number"
        min={100}
        step="any"
        value={csirt}
        onChange={(e) => setCsirt(e.target.value)}
        error={errors.csirtFraction}
        hint="Still unanswered by then, the task goes to the CSIRT."
      />
      <TextField
        label="Source"
        className="field-wide"
        value={source}
        onChange={(e) => setSource(e.target.value)}
        error={errors.source}
        maxLength={300}
        required
        placeholder="EGI CSIRT SEC03, §4"
        hint="The policy or agreement the deadline comes from."
      />
      <FormFoot error={save.error} pending={save.isPending} submit={rule ? 'Save rule' : 'Add rule'} done={done}>
        {rule && (
          <button type="button" className="btn" onClick={onDone}>
            Cancel
          </button>
        )}
      </FormFoot>
    </form>
  );
}

// ---- the working calendar ------------------------------------------------------------------------

function CalendarSection() {
  const calendar = useWorkCalendar();
  const manages = useManagesDeadlines();
  return (
    <>
      <section className="panel" aria-labelledby="work-calendar-title">
        <div className="panel-head">
          <h2 id="work-calendar-title">Working calendar</h2>
          {calendar.data?.validFrom && (
            <span className="muted small">
              since <span className="mono">{formatTime(calendar.data.validFrom)}</span>
              {calendar.data.changedBy ? `, set by ${calendar.data.changedBy}` : ''}
            </span>
          )}
        </div>
        <QueryView query={calendar} label="the working calendar">
          {(data) => <CalendarView calendar={data.calendar} />}
        </QueryView>
      </section>
      {/* Not re-made on each save: the form keeps what was typed and says it was saved. */}
      {manages && calendar.data && <CalendarForm calendar={calendar.data.calendar} />}
    </>
  );
}

function CalendarView({ calendar }: { calendar: WorkCalendar }) {
  return (
    <>
      <p className="muted small">
        Working hours are local time in <span className="mono">{calendar.timeZone}</span>; deadlines in working hours or days count only these.
      </p>
      <div className="two-col">
        <table className="data">
          <caption>Working hours per weekday</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Hours</th>
            </tr>
          </thead>
          <tbody>
            {WEEKDAYS.map(([day, name]) => (
              <tr key={day}>
                <th scope="row">{name}</th>
                <td className={calendar.week[day]?.length ? 'mono' : 'muted'}>{hoursOf(calendar.week[day])}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div>
          <h3>Holidays ({calendar.holidays.length})</h3>
          {calendar.holidays.length === 0 ? (
            <Empty>No holidays: every week counts in full.</Empty>
          ) : (
            <ul aria-label="Holidays" className="link-list">
              {calendar.holidays.map((d) => (
                <li key={d} className="mono">
                  {d}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </>
  );
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const minuteOf = (text: string) => {
  const m = HHMM.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
};
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The calendar's form: the time zone, one interval per weekday (empty for a day off), holidays. */
function CalendarForm({ calendar }: { calendar: WorkCalendar }) {
  const save = useSetWorkCalendar();
  const [timeZone, setTimeZone] = useState(calendar.timeZone);
  const [days, setDays] = useState<Record<string, { from: string; until: string }>>(() =>
    Object.fromEntries(
      WEEKDAYS.map(([day]) => {
        const first = calendar.week[day]?.[0];
        // The field cannot say 24:00: 00:00 as the end means midnight at the end of the day.
        return [day, { from: first ? clock(first[0]) : '', until: first ? clock(first[1] % 1440) : '' }];
      }),
    ),
  );
  const [holidays, setHolidays] = useState<string[]>([...calendar.holidays]);
  const [holiday, setHoliday] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [done, setDone] = useState('');
  const errors = { ...fieldErrors(save.error), ...missing };

  const setDay = (day: string, patch: Partial<{ from: string; until: string }>) => setDays((d) => ({ ...d, [day]: { ...d[day]!, ...patch } }));
  const addHoliday = () => {
    if (!DATE.test(holiday)) {
      setMissing((m) => ({ ...m, holiday: 'Pick a date.' }));
      return;
    }
    setMissing(({ holiday: _, ...rest }) => rest);
    setHolidays((h) => [...new Set([...h, holiday])].sort());
    setHoliday('');
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone('');
    const need: Record<string, string> = {};
    if (!knownTimeZone(timeZone.trim())) need.timeZone = 'An IANA time zone name, such as UTC or Europe/Amsterdam.';
    const week: WorkCalendar['week'] = {};
    for (const [day, name] of WEEKDAYS) {
      const { from, until } = days[day]!;
      if (!from && !until) {
        week[day] = [];
        continue;
      }
      const start = minuteOf(from);
      const endRaw = minuteOf(until);
      if (start === undefined || endRaw === undefined) {
        need[`week.${day}`] = `${name}: give both times (HH:MM), or neither for a day off.`;
        continue;
      }
      const end = endRaw === 0 ? 1440 : endRaw;
      if (start >= end) {
        need[`week.${day}`] = `${name}: the start must come before the end.`;
        continue;
      }
      week[day] = [[start, end]];
    }
    if (Object.keys(need).length === 0 && Object.values(week).every((i) => i.length === 0)) need.week = 'The week needs some working time.';
    setMissing(need);
    if (Object.keys(need).length > 0) return;
    save.mutate(
      { timeZone: timeZone.trim(), week, holidays },
      { onSuccess: () => setDone('Saved: deadlines of tasks opened from now on follow this calendar.') },
    );
  };

  return (
    <form className="panel form-grid" onSubmit={submit} noValidate aria-labelledby="calendar-form-title">
      <h2 id="calendar-form-title">Change the working calendar</h2>
      <TextField
        label="Time zone"
        className="mono"
        value={timeZone}
        onChange={(e) => setTimeZone(e.target.value)}
        error={errors.timeZone}
        maxLength={64}
        required
        hint="The working hours are local time there (IANA name: UTC, Europe/Amsterdam)."
      />
      <fieldset>
        <legend>Working hours</legend>
        <table className="data">
          <caption className="sr-only">Working hours per weekday</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">From</th>
              <th scope="col">Until</th>
              <th scope="col">
                <span className="sr-only">Notes</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {WEEKDAYS.map(([day, name]) => {
              const error = errors[`week.${day}`];
              const more = (calendar.week[day]?.length ?? 0) - 1;
              return (
                <tr key={day}>
                  <th scope="row">{name}</th>
                  <td>
                    <input
                      type="time"
                      aria-label={`${name} from`}
                      value={days[day]!.from}
                      onChange={(e) => setDay(day, { from: e.target.value })}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `calendar-day-${day}-e` : undefined}
                    />
                  </td>
                  <td>
                    <input
                      type="time"
                      aria-label={`${name} until`}
                      value={days[day]!.until}
                      onChange={(e) => setDay(day, { until: e.target.value })}
                      aria-invalid={error ? true : undefined}
                      aria-describedby={error ? `calendar-day-${day}-e` : undefined}
                    />
                  </td>
                  <td className="wrap">
                    {error ? (
                      <p className="field-error" id={`calendar-day-${day}-e`}>
                        {error}
                      </p>
                    ) : more > 0 ? (
                      <span className="muted small">Now {hoursOf(calendar.week[day])}: saving keeps the one interval above.</span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <p className="field-hint">Leave both times empty for a day off; an end at 00:00 means midnight.</p>
        {errors.week && <p className="field-error">{errors.week}</p>}
      </fieldset>
      <fieldset>
        <legend>Holidays</legend>
        {holidays.length === 0 ? (
          <p className="muted small">No holidays.</p>
        ) : (
          <ul className="link-list">
            {holidays.map((d) => (
              <li key={d}>
                <span className="mono">{d}</span>{' '}
                <button type="button" className="btn btn-small" aria-label={`Remove holiday ${d}`} onClick={() => setHolidays((h) => h.filter((x) => x !== d))}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="toolbar">
          <TextField label="Holiday" type="date" value={holiday} onChange={(e) => setHoliday(e.target.value)} error={errors.holiday} />
          <button type="button" className="btn" onClick={addHoliday}>
            Add holiday
          </button>
        </div>
      </fieldset>
      <FormFoot error={save.error} pending={save.isPending} submit="Save calendar" done={done} />
    </form>
  );
}
