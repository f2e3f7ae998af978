// Client for the federation's helpdesk (GGUS, a Zammad instance): mirrors a site task as a ticket
// and reads the ticket back, so the support unit's response time is measured in Vigil. It does
// network I/O through the `fetch` it is given, and nothing else.
//
// Where each shape comes from:
// - Documented by Zammad (docs.zammad.org: api/intro, api/ticket, api/ticket/articles):
//   the header `Authorization: Token token=…`; JSON in and out; POST /api/v1/tickets with
//   title, group, customer and article {subject, body, type, internal} answering 201 with the
//   ticket; GET /api/v1/tickets/{id} answering id, number, state_id, priority_id, created_at,
//   updated_at, first_response_at and close_at (null until they happen); `?expand=true` adding
//   the names of relations (`state`, `priority`, `group`, …); POST /api/v1/ticket_articles with
//   ticket_id, body, content_type, type and internal answering 201 with the article.
// - Zammad's source, not its docs: `?expand=true` on create answers the expanded ticket too
//   (TicketsController#create); `priority` in a body is looked up by *name*, `priority_id` by id
//   (association_name_to_id_convert).
// - GGUS's own configuration, as the EGI Operations Portal uses it (EGI-Federation/lavopsportal,
//   etc/app/views/GGUS/zammad.xml, etc/app/resources/xml/zammad_properties.xml): the fields
//   type "Incident", area "Operations", group "NGIs::<NGI>" and wlcg_sites; priority ids
//   1 less urgent, 2 urgent, 3 very urgent; states 2 assigned, 8 in progress, 13 pending customer
//   reply, 4 solved, 10 unsolved, 9 waiting for submitter's reply. We send `priority_id`, not the
//   portal's `priority`: the ids are known, GGUS's exact priority names are not.
import { InvalidError } from '../../core/errors.js';
import { readTicket } from './ticket-fields.js';
import { createZammadCall } from './zammad-http.js';
import type { HelpdeskTicket } from './ticket-fields.js';

export type { HelpdeskTicket } from './ticket-fields.js';
export { ticketStatus } from './ticket-fields.js';
export { ZammadRequestError } from './zammad-http.js';

export interface ZammadConfig {
  /** e.g. `https://helpdesk.ggus.eu`; plain http only to this machine, since the token rides in a header. */
  baseUrl: string;
  token: string;
  /** The Zammad group that serves an NGI's sites; `NGIs::<ngi>` when left out. */
  group?: (ngiName: string) => string;
  /** Per request, headers and body together; 15 s when left out. */
  timeoutMs?: number;
}

export type HelpdeskPriority = 'less urgent' | 'urgent' | 'very urgent' | 'top priority';

export interface NewHelpdeskTicket {
  title: string;
  body: string;
  priority: HelpdeskPriority;
  siteName: string;
  ngiName: string;
  /** Zammad resolves it by login or email address. */
  customer: string;
  vigilTaskId: string;
}

export interface ZammadClient {
  createTicket(t: NewHelpdeskTicket): Promise<HelpdeskTicket>;
  getTicket(id: number): Promise<HelpdeskTicket>;
  addNote(id: number, body: string): Promise<void>;
}

const defaultGroup = (ngiName: string): string => `NGIs::${ngiName}`;

// GGUS's priority ids. 'top priority' has no known id: GGUS keeps it for ALARM tickets from WLCG
// Tier-0/Tier-1 sites, a type this client never creates (it creates "Incident"), and a guessed
// id 4 could land on some other priority or be refused. So it goes as 3, the highest known, and
// the article's first line says top priority was asked for, for the support unit to weigh.
const PRIORITY_ID: Record<HelpdeskPriority, number> = { 'less urgent': 1, urgent: 2, 'very urgent': 3, 'top priority': 3 };

const DEFAULT_TIMEOUT_MS = 15_000;
const MAX_TIMEOUT_MS = 120_000;
/** Zammad's ticket title column holds 250 characters. */
const MAX_TITLE_CHARS = 250;
const MAX_BODY_CHARS = 64 * 1024;
const MAX_NAME_CHARS = 200;

/**
 * A client for one Zammad instance. Every answer is checked field by field (`InvalidError` names
 * the field); a non-2xx answer, a timeout or a refused redirect throws `ZammadRequestError`; an
 * answer over 1 MiB throws `TooLargeError`. The token appears in no error and is never logged.
 *
 * @example
 * const helpdesk = createZammadClient({ baseUrl: 'https://helpdesk.ggus.eu', token });
 * const ticket = await helpdesk.createTicket({ title: 'CVE-2024-3094 on ce01', body: '…', priority: 'urgent',
 *   siteName: 'INFN-T1', ngiName: 'NGI_IT', customer: 'vigil@example.org', vigilTaskId: 'task-42' });
 * ticketStatus(await helpdesk.getTicket(ticket.id)); // 'open' until the support unit moves it on
 */
export function createZammadClient(cfg: ZammadConfig, fetchImpl: typeof fetch = fetch): ZammadClient {
  const token = cfg.token;
  if (typeof token !== 'string' || !/^[\x21-\x7e]{1,512}$/.test(token)) {
    throw new InvalidError('Zammad token must be 1 to 512 visible ASCII characters', { field: 'token' });
  }
  const timeoutMs = cfg.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new InvalidError(`Zammad timeoutMs must be an integer from 1 to ${MAX_TIMEOUT_MS}`, { field: 'timeoutMs' });
  }
  const groupOf = cfg.group ?? defaultGroup;

  const call = createZammadCall(cfg.baseUrl, token, timeoutMs, fetchImpl);

  return {
    async createTicket(t) {
      const title = text('title', t.title, MAX_TITLE_CHARS, true);
      const body = text('body', t.body, MAX_BODY_CHARS, false);
      const siteName = name('siteName', t.siteName);
      const ngiName = name('ngiName', t.ngiName);
      const customer = text('customer', t.customer, MAX_NAME_CHARS, true);
      const vigilTaskId = text('vigilTaskId', t.vigilTaskId, MAX_NAME_CHARS, true);
      if (!Object.hasOwn(PRIORITY_ID, t.priority)) {
        throw new InvalidError(`priority must be one of ${Object.keys(PRIORITY_ID).join(', ')}`, { field: 'priority' });
      }
      const group = text('group', groupOf(ngiName), MAX_NAME_CHARS, true);
      const asked =
        t.priority === 'top priority' ? 'Priority asked for: top priority (sent as very urgent; GGUS gives top priority to ALARM tickets).\n\n' : '';
      const answer = await call('POST', '/api/v1/tickets?expand=true', {
        title,
        group,
        customer,
        type: 'Incident',
        area: 'Operations',
        wlcg_sites: siteName,
        priority_id: PRIORITY_ID[t.priority],
        article: { subject: title, body: `${asked}${body}\n\n-- \nVigil task ${vigilTaskId}`, type: 'note', internal: false, content_type: 'text/plain' },
      });
      return readTicket(answer, 'Zammad ticket create');
    },

    async getTicket(id) {
      ticketId(id);
      const ticket = readTicket(await call('GET', `/api/v1/tickets/${id}?expand=true`), `Zammad ticket ${id}`);
      if (ticket.id !== id) throw new InvalidError(`Zammad ticket ${id}: field "id" is ${ticket.id}`, { field: 'id' });
      return ticket;
    },

    async addNote(id, body) {
      ticketId(id);
      const note = text('body', body, MAX_BODY_CHARS, false);
      const answer = await call('POST', '/api/v1/ticket_articles', { ticket_id: id, body: note, content_type: 'text/plain', type: 'note', internal: false });
      const what = `Zammad note on ticket ${id}`;
      if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) throw new InvalidError(`${what}: answer is not a JSON object`);
      const article = answer as Record<string, unknown>;
      if (!Number.isSafeInteger(article.id)) throw new InvalidError(`${what}: field "id" is missing or not an integer`, { field: 'id' });
      if (article.ticket_id !== id) throw new InvalidError(`${what}: field "ticket_id" is not ${id}`, { field: 'ticket_id' });
    },
  };
}

function text(field: string, value: unknown, max: number, oneLine: boolean): string {
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidError(`${field} must be a non-empty string`, { field });
  if (value.length > max) throw new InvalidError(`${field} is longer than ${max} characters`, { field });
  if ((oneLine ? /[\x00-\x1f\x7f]/ : /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/).test(value)) {
    throw new InvalidError(`${field} holds control characters${oneLine ? ' or line breaks' : ''}`, { field });
  }
  return value;
}

/** GOCDB site and NGI names: letters, digits, `.`, `_`, `-`. */
function name(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(value)) {
    throw new InvalidError(`${field} must be 1 to 100 letters, digits, '.', '_' or '-'`, { field });
  }
  return value;
}

function ticketId(id: unknown): void {
  if (!Number.isSafeInteger(id) || (id as number) < 1) throw new InvalidError('ticket id must be a positive integer', { field: 'id' });
}
