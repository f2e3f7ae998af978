// A Zammad ticket as Vigil keeps it, read strictly from the expanded JSON Zammad answers
// (docs.zammad.org api/intro "Response Payloads (expand)", api/ticket "Show"), and what its state
// means for the support unit's response time.
import { InvalidError } from '../../core/errors.js';

export interface HelpdeskTicket {
  id: number;
  /** The number people quote (e.g. "1000981"), not the id the API takes. */
  number: string;
  /** The state's name, from `?expand=true` (e.g. "assigned", "in progress", "solved"). */
  state: string;
  stateId: number;
  priorityId: number;
  /** ISO 8601 UTC instants. */
  createdAt: string;
  updatedAt: string;
  firstResponseAt: string | null;
  closeAt: string | null;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * The ticket in a Zammad answer. `InvalidError` names the first field that is missing or of the
 * wrong type; fields Vigil does not keep are ignored.
 *
 * @example
 * readTicket({ id: 7, number: '1000007', state: 'assigned', state_id: 2, priority_id: 2,
 *   created_at: '2025-03-03T09:00:00.000Z', updated_at: '2025-03-03T09:00:00.000Z',
 *   first_response_at: null, close_at: null }, 'Zammad ticket 7'); // { id: 7, number: '1000007', state: 'assigned', … }
 */
export function readTicket(answer: unknown, what: string): HelpdeskTicket {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) throw new InvalidError(`${what}: answer is not a JSON object`);
  const o = answer as Record<string, unknown>;

  const field = (key: string, want: string, ok: (v: unknown) => boolean): unknown => {
    if (!Object.hasOwn(o, key)) throw new InvalidError(`${what}: field "${key}" is missing`, { field: key });
    const v = o[key];
    if (!ok(v))
      throw new InvalidError(`${what}: field "${key}" must be ${want}, got ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`, { field: key });
    return v;
  };
  const id = (key: string) => field(key, 'a positive integer', (v) => Number.isSafeInteger(v) && (v as number) > 0) as number;
  const name = (key: string) =>
    field(key, 'a non-empty string of at most 200 characters', (v) => typeof v === 'string' && v.trim() !== '' && v.length <= 200) as string;
  const instant = (key: string) => new Date(field(key, 'an ISO 8601 time', isInstant) as string).toISOString();
  const instantOrNull = (key: string) => {
    const v = field(key, 'an ISO 8601 time or null', (x) => x === null || isInstant(x));
    return v === null ? null : new Date(v as string).toISOString();
  };

  return {
    id: id('id'),
    number: name('number'),
    state: name('state'),
    stateId: id('state_id'),
    priorityId: id('priority_id'),
    createdAt: instant('created_at'),
    updatedAt: instant('updated_at'),
    firstResponseAt: instantOrNull('first_response_at'),
    closeAt: instantOrNull('close_at'),
  };
}

function isInstant(v: unknown): boolean {
  return typeof v === 'string' && ISO_INSTANT.test(v) && Number.isFinite(Date.parse(v));
}

// GGUS support staff guide: open = new or assigned (set by the system); the SU has responded once
// the status leaves assigned, which is what QoS response time measures. Terminal: solved, unsolved,
// verified (by the submitter), closed (solved/unsolved closed after 10 working days). "merged" is
// Zammad's own end state for a ticket folded into another: nothing more happens on it.
const NOT_YET_ANSWERED = new Set(['new', 'assigned']);
const ENDED = new Set(['solved', 'unsolved', 'closed', 'verified', 'merged']);

/**
 * Where a ticket stands for response-time measurement, by its state's name (ids differ between
 * Zammad instances; names are what the GGUS guides define).
 *
 * @example
 * ticketStatus({ ...ticket, state: 'assigned' });    // 'open'
 * ticketStatus({ ...ticket, state: 'in progress' }); // 'acknowledged'
 * ticketStatus({ ...ticket, state: 'unsolved' });    // 'resolved'
 */
export function ticketStatus(t: HelpdeskTicket): 'open' | 'acknowledged' | 'resolved' {
  const state = t.state.trim().toLowerCase();
  if (ENDED.has(state)) return 'resolved';
  if (NOT_YET_ANSWERED.has(state)) return 'open';
  return 'acknowledged';
}
