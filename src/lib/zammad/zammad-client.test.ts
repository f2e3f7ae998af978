// Zammad itself (a Rails app with PostgreSQL and Elasticsearch) cannot run in this test suite.
// The node:http server below stands in for it and follows the documented shapes only:
// docs.zammad.org api/intro (the `Authorization: Token token=…` header, `?expand=true` adding
// relation names), api/ticket (create answers 201, show answers 200, both with numeric ids and
// the *_at times) and api/ticket/articles (create answers 201); GGUS's fields and ids (type
// "Incident", area "Operations", group "NGIs::<NGI>", wlcg_sites, priority ids 1–3, state ids)
// are those the EGI Operations Portal sends. Failure cases are played by the same server.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { createZammadClient, ticketStatus, ZammadRequestError } from './zammad-client.js';
import type { HelpdeskTicket, NewHelpdeskTicket } from './zammad-client.js';

const TOKEN = 'zmd_9f3c1e7a0b2d4c6e8f1a3b5c7d9e0f21';
const STATES: Record<number, string> = {
  1: 'new',
  2: 'assigned',
  4: 'solved',
  8: 'in progress',
  9: "waiting for submitter's reply",
  10: 'unsolved',
  13: 'pending customer reply',
};
const PRIORITIES: Record<number, string> = { 1: 'less urgent', 2: 'urgent', 3: 'very urgent' };

type Json = Record<string, unknown>;
type Override = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** The tickets and articles the stand-in holds, every request it saw, and a hook to misbehave. */
const zammad = {
  tickets: new Map<number, Json>(),
  articles: [] as Json[],
  requests: [] as { method: string; url: string; authorization: string | undefined; body: string }[],
  override: undefined as Override | undefined,
  responses: [] as ServerResponse[],
  nextId: 41,
};

function ticketJson(ticket: Json, expand: boolean): Json {
  if (!expand) return ticket;
  return {
    ...ticket,
    state: STATES[ticket.state_id as number],
    priority: PRIORITIES[ticket.priority_id as number],
    group: ticket.group_name,
    customer: 'vigil@example.org',
  };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
  const url = new URL(req.url!, 'http://zammad.test');
  const expand = url.searchParams.get('expand') === 'true';
  if (req.headers.authorization !== `Token token=${TOKEN}`) return send(res, 401, { error: 'authentication failed', error_human: 'Authentication failed' });
  if (req.method === 'POST' && !/^application\/json/.test(req.headers['content-type'] ?? '')) return send(res, 415, { error: 'JSON expected' });

  if (req.method === 'POST' && url.pathname === '/api/v1/tickets') {
    const b = JSON.parse(raw) as Json;
    const article = b.article as Json | undefined;
    const missing = ['title', 'group', 'customer', 'type', 'area', 'wlcg_sites', 'priority_id', 'article'].find((k) => b[k] === undefined);
    if (missing) return send(res, 422, { error: `Missing ${missing}` });
    if (!PRIORITIES[b.priority_id as number]) return send(res, 422, { error: `No lookup value found for 'priority_id': ${String(b.priority_id)}` });
    if (typeof article?.subject !== 'string' || typeof article.body !== 'string') return send(res, 422, { error: 'article needs subject and body' });
    const id = zammad.nextId++;
    const now = new Date().toISOString();
    const ticket: Json = {
      id,
      group_id: 12,
      group_name: b.group,
      priority_id: b.priority_id,
      state_id: 2, // GGUS's system sets "assigned" on create
      organization_id: null,
      number: String(1_000_000 + id),
      title: b.title,
      owner_id: 1,
      customer_id: 77,
      note: null,
      first_response_at: null,
      first_response_escalation_at: null,
      close_at: null,
      close_escalation_at: null,
      last_contact_at: null,
      create_article_type_id: 10,
      create_article_sender_id: 1,
      article_count: 1,
      escalation_at: null,
      pending_time: null,
      type: b.type,
      area: b.area,
      wlcg_sites: b.wlcg_sites,
      time_unit: null,
      preferences: {},
      updated_by_id: 77,
      created_by_id: 77,
      created_at: now,
      updated_at: now,
      article_ids: [id * 10],
      ticket_time_accounting_ids: [],
    };
    zammad.tickets.set(id, ticket);
    zammad.articles.push({ id: id * 10, ticket_id: id, ...article });
    return send(res, 201, ticketJson(ticket, expand));
  }

  const show = /^\/api\/v1\/tickets\/(\d+)$/.exec(url.pathname);
  if (req.method === 'GET' && show) {
    const ticket = zammad.tickets.get(Number(show[1]));
    if (!ticket) return send(res, 404, { error: `Couldn't find Ticket with 'id'=${show[1]}` });
    return send(res, 200, ticketJson(ticket, expand));
  }

  if (req.method === 'POST' && url.pathname === '/api/v1/ticket_articles') {
    const b = JSON.parse(raw) as Json;
    if (!zammad.tickets.has(b.ticket_id as number)) return send(res, 422, { error: 'ticket_id unknown' });
    const article = {
      id: 900 + zammad.articles.length,
      from: 'Vigil',
      to: '',
      cc: '',
      subject: null,
      time_unit: null,
      ...b,
      created_at: new Date().toISOString(),
    };
    zammad.articles.push(article);
    return send(res, 201, article);
  }
  send(res, 404, { error: 'No route matches' });
}

const server = createServer((req, res) => {
  zammad.responses.push(res);
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    zammad.requests.push({ method: req.method!, url: req.url!, authorization: req.headers.authorization, body });
    (zammad.override ?? handle)(req, res, body);
  });
});
let baseUrl = '';

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  zammad.override = undefined;
  zammad.requests.length = 0;
  // Answers a failure test left hanging are cut here; idle sockets stay, for undici may reuse them.
  for (const res of zammad.responses.splice(0)) if (!res.writableEnded) res.destroy();
});
after(() => server.close());

const client = (timeoutMs?: number, token = TOKEN) => createZammadClient({ baseUrl, token, timeoutMs });

const NEW_TICKET: NewHelpdeskTicket = {
  title: 'Critical vulnerability CVE-2024-3094 on 3 hosts',
  body: 'xz-utils 5.6.0 is installed on ce01, ce02 and se01.\nUpgrade to 5.6.1+really5.4.5.',
  priority: 'urgent',
  siteName: 'INFN-T1',
  ngiName: 'NGI_IT',
  customer: 'vigil@example.org',
  vigilTaskId: 'task-0193',
};

/** Asserts an error is `type`, one line, and holds the token nowhere (message, fields, stack). */
function failsWith(type: new (...a: never[]) => Error, pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof type, `${(err as Error).name}: ${(err as Error).message}`);
    assert.match(err.message, pattern);
    assert.doesNotMatch(err.message, /\n/);
    assert.ok(!JSON.stringify({ ...err, message: err.message, stack: err.stack }).includes(TOKEN), 'the token leaked into the error');
    return true;
  };
}

/** Answers every request with `body` as JSON with the given status. */
const answerWith = (status: number, body: unknown, contentType = 'application/json') => {
  zammad.override = (_req, res) => {
    res.writeHead(status, { 'content-type': contentType });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };
};

const storedTicket = (): Json => ({
  id: 7,
  number: '1000007',
  state_id: 2,
  state: 'assigned',
  priority_id: 2,
  priority: 'urgent',
  created_at: '2025-03-03T09:00:00.000Z',
  updated_at: '2025-03-03T09:05:00.000Z',
  first_response_at: null,
  close_at: null,
});

test('createTicket sends the GGUS create body with the token header and reads the expanded ticket', async () => {
  const ticket = await client().createTicket(NEW_TICKET);

  const [req] = zammad.requests;
  assert.equal(zammad.requests.length, 1);
  assert.equal(req!.method, 'POST');
  assert.equal(req!.url, '/api/v1/tickets?expand=true');
  assert.equal(req!.authorization, `Token token=${TOKEN}`);
  const sent = JSON.parse(req!.body) as Json;
  assert.deepEqual(
    { ...sent, article: undefined },
    {
      title: NEW_TICKET.title,
      group: 'NGIs::NGI_IT',
      customer: 'vigil@example.org',
      type: 'Incident',
      area: 'Operations',
      wlcg_sites: 'INFN-T1',
      priority_id: 2,
      article: undefined,
    },
  );
  const article = sent.article as Json;
  assert.equal(article.subject, NEW_TICKET.title);
  assert.equal(article.type, 'note');
  assert.equal(article.internal, false);
  assert.equal(article.content_type, 'text/plain');
  assert.match(article.body as string, /^xz-utils 5\.6\.0[\s\S]*Vigil task task-0193$/);
  assert.equal(ticket.state, 'assigned');
  assert.equal(ticket.stateId, 2);
  assert.equal(ticket.priorityId, 2);
  assert.equal(ticket.number, String(1_000_000 + ticket.id));
  assert.equal(ticket.firstResponseAt, null);
  assert.equal(ticket.closeAt, null);
  assert.equal(ticketStatus(ticket), 'open');
});

const priorityCases = [
  ['less urgent', 1],
  ['urgent', 2],
  ['very urgent', 3],
  ['top priority', 3], // no GGUS id for it on an Incident: the highest known, said in the article
] as const;
for (const [priority, id] of priorityCases) {
  test(`priority ${priority} is sent as priority_id ${id}`, async () => {
    await client().createTicket({ ...NEW_TICKET, priority });

    const sent = JSON.parse(zammad.requests[0]!.body) as { priority_id: number; article: { body: string } };
    assert.equal(sent.priority_id, id);
    assert.equal(/top priority/.test(sent.article.body), priority === 'top priority');
  });
}

test('a configured group function names the group', async () => {
  const helpdesk = createZammadClient({ baseUrl, token: TOKEN, group: (ngi) => `NGIs::${ngi}::Security` });

  await helpdesk.createTicket(NEW_TICKET);

  assert.equal((JSON.parse(zammad.requests[0]!.body) as Json).group, 'NGIs::NGI_IT::Security');
});

test('getTicket reads the state back once the support unit has moved the ticket on', async () => {
  const created = await client().createTicket(NEW_TICKET);
  Object.assign(zammad.tickets.get(created.id)!, { state_id: 8, first_response_at: '2025-03-03T10:15:00.123Z', updated_at: '2025-03-03T10:15:00.123Z' });

  const ticket = await client().getTicket(created.id);

  assert.equal(zammad.requests.at(-1)!.url, `/api/v1/tickets/${created.id}?expand=true`);
  assert.deepEqual(
    { ...ticket, createdAt: undefined },
    {
      id: created.id,
      number: created.number,
      state: 'in progress',
      stateId: 8,
      priorityId: 2,
      createdAt: undefined,
      updatedAt: '2025-03-03T10:15:00.123Z',
      firstResponseAt: '2025-03-03T10:15:00.123Z',
      closeAt: null,
    },
  );
  assert.equal(ticketStatus(ticket), 'acknowledged');
});

test('a solved ticket is resolved and carries its close time', async () => {
  const created = await client().createTicket(NEW_TICKET);
  Object.assign(zammad.tickets.get(created.id)!, { state_id: 4, close_at: '2025-03-04T08:00:00+01:00' });

  const ticket = await client().getTicket(created.id);

  assert.equal(ticket.closeAt, '2025-03-04T07:00:00.000Z');
  assert.equal(ticketStatus(ticket), 'resolved');
});

test('addNote posts a note article on the ticket', async () => {
  const created = await client().createTicket(NEW_TICKET);

  await client().addNote(created.id, 'ce01 and ce02 upgraded; se01 in a downtime until Friday.');

  const req = zammad.requests.at(-1)!;
  assert.equal(req.url, '/api/v1/ticket_articles');
  assert.deepEqual(JSON.parse(req.body), {
    ticket_id: created.id,
    body: 'ce01 and ce02 upgraded; se01 in a downtime until Friday.',
    content_type: 'text/plain',
    type: 'note',
    internal: false,
  });
});

test('a wrong token is a 401 error with status and body, and no token in it', async () => {
  const attempt = client(undefined, 'zmd_wrong_token_0000').getTicket(7);

  await assert.rejects(attempt, (err: ZammadRequestError) => {
    failsWith(ZammadRequestError, /^Zammad GET \/api\/v1\/tickets\/7\?expand=true answered 401: .*authentication failed/)(err);
    assert.equal(err.status, 401);
    assert.match(err.body, /^\{"error":"authentication failed"/);
    assert.ok(!err.message.includes('zmd_wrong_token_0000'));
    return true;
  });
});

test('a server echoing the Authorization header gets the token blanked out and the body cut short', async () => {
  zammad.override = (req, res) => send(res, 500, { error: 'internal', headers: req.headers, padding: 'x'.repeat(10_000) });

  const attempt = client().getTicket(7);

  await assert.rejects(attempt, (err: ZammadRequestError) => {
    failsWith(ZammadRequestError, /answered 500: .*Token token=\[token\]/)(err);
    assert.ok(err.body.length <= 301, `body of ${err.body.length} characters`);
    return true;
  });
});

test('an unknown ticket is a 404 error', async () => {
  await assert.rejects(client().getTicket(999_999), (err: ZammadRequestError) => err instanceof ZammadRequestError && err.status === 404);
});

test('malformed JSON is invalid', async () => {
  answerWith(200, '{"id": 7, "number": "1000007",');

  await assert.rejects(client().getTicket(7), failsWith(InvalidError, /malformed JSON/));
});

test('an HTML page answered with 200 (a login portal) is invalid', async () => {
  answerWith(200, '<html><body>Sign in with EGI Check-in</body></html>', 'text/html; charset=utf-8');

  await assert.rejects(client().getTicket(7), failsWith(InvalidError, /"text\/html; charset=utf-8", not application\/json/));
});

const fieldCases: [string, (t: Json) => void][] = [
  ['state', (t) => delete t.state], // an answer without ?expand=true names no state
  ['id', (t) => delete t.id],
  ['number', (t) => (t.number = 1000007)],
  ['state_id', (t) => (t.state_id = '2')],
  ['priority_id', (t) => (t.priority_id = null)],
  ['created_at', (t) => (t.created_at = '3 March 2025')],
  ['updated_at', (t) => delete t.updated_at],
  ['first_response_at', (t) => delete t.first_response_at],
  ['close_at', (t) => (t.close_at = 0)],
];
for (const [field, spoil] of fieldCases) {
  test(`an answer with a missing or mistyped ${field} is invalid, naming ${field}`, async () => {
    const ticket = storedTicket();
    spoil(ticket);
    answerWith(200, ticket);

    const attempt = client().getTicket(7);

    await assert.rejects(attempt, (err: InvalidError) => {
      failsWith(InvalidError, new RegExp(`field "${field}"`))(err);
      assert.deepEqual(err.details, { field });
      return true;
    });
  });
}

test('an answer about another ticket is invalid', async () => {
  answerWith(200, { ...storedTicket(), id: 8 });

  await assert.rejects(client().getTicket(7), failsWith(InvalidError, /field "id" is 8/));
});

test('a note answer for another ticket is invalid', async () => {
  answerWith(201, { id: 950, ticket_id: 8, body: 'x', type: 'note' });

  await assert.rejects(client().addNote(7, 'x'), failsWith(InvalidError, /field "ticket_id" is not 7/));
});

test('a server that does not answer in time is a timeout', { timeout: 5000 }, async () => {
  zammad.override = () => {}; // never answers

  const started = Date.now();
  await assert.rejects(client(150).getTicket(7), failsWith(ZammadRequestError, /no complete answer within 150 ms/));

  assert.ok(Date.now() - started < 2000);
});

test('a body that stalls half-way is a timeout too', { timeout: 5000 }, async () => {
  zammad.override = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"id": 7, "number": "1000007", ');
  };

  await assert.rejects(client(150).getTicket(7), failsWith(ZammadRequestError, /no complete answer within 150 ms/));
});

test('a stalled body still times out across garbage collections (nodejs/node#55428)', { timeout: 5000 }, async () => {
  // Node 20's fetch follows the caller's signal through a weak reference that a collection drops.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  zammad.override = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"id": 7, ');
  };
  const collecting = setInterval(gc, 20);

  const attempt = client(300).getTicket(7);

  await assert.rejects(attempt, failsWith(ZammadRequestError, /no complete answer within 300 ms/)).finally(() => clearInterval(collecting));
});

test('an answer of several MiB is cut off at 1 MiB without reading it to the end', { timeout: 5000 }, async () => {
  let written = 0;
  zammad.override = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no length to refuse up front
    const chunk = Buffer.from(`"${'x'.repeat(64 * 1024 - 3)}",`);
    const pump = () => {
      while (written < 8 * 1024 * 1024 && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.write('[');
    pump();
  };

  await assert.rejects(client().getTicket(7), failsWith(TooLargeError, /answer over 1048576 bytes/));

  assert.ok(written < 8 * 1024 * 1024, 'the client read to the end');
});

test('an answer declaring a length over 1 MiB is refused before it is read', { timeout: 5000 }, async () => {
  zammad.override = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(2 * 1024 * 1024) });
    res.write('{');
  };

  await assert.rejects(client().getTicket(7), failsWith(TooLargeError, /answer over 1048576 bytes/));
});

test('a redirect is not followed, so the token goes nowhere else', async () => {
  zammad.override = (_req, res) => {
    res.writeHead(302, { location: `${baseUrl}/elsewhere` });
    res.end();
  };

  await assert.rejects(client().getTicket(7), failsWith(ZammadRequestError, /^Zammad GET .* failed: /));

  assert.deepEqual(
    zammad.requests.map((r) => r.url),
    ['/api/v1/tickets/7?expand=true'],
  );
});

const badInputs: [string, Partial<NewHelpdeskTicket>][] = [
  ['title', { title: '   ' }],
  ['title', { title: 'x'.repeat(251) }],
  ['title', { title: 'two\nlines' }],
  ['body', { body: 'x'.repeat(64 * 1024 + 1) }],
  ['siteName', { siteName: 'INFN-T1\nX-Injected: 1' }],
  ['ngiName', { ngiName: '' }],
  ['customer', { customer: '' }],
  ['vigilTaskId', { vigilTaskId: 'task\r\n' }],
  ['priority', { priority: 'critical' as NewHelpdeskTicket['priority'] }],
];
for (const [field, change] of badInputs) {
  test(`createTicket refuses a bad ${field} (${JSON.stringify(Object.values(change)[0]).slice(0, 24)}) before sending`, async () => {
    const attempt = client().createTicket({ ...NEW_TICKET, ...change });

    await assert.rejects(attempt, (err: InvalidError) => err instanceof InvalidError && err.details?.field === field);
    assert.equal(zammad.requests.length, 0);
  });
}

for (const id of [0, -3, 1.5, Number.NaN, 2 ** 53]) {
  test(`getTicket and addNote refuse ticket id ${id}`, async () => {
    await assert.rejects(client().getTicket(id), InvalidError);
    await assert.rejects(client().addNote(id, 'x'), InvalidError);
    assert.equal(zammad.requests.length, 0);
  });
}

const badConfigs: [string, Parameters<typeof createZammadClient>[0]][] = [
  ['baseUrl', { baseUrl: 'http://helpdesk.ggus.eu', token: TOKEN }],
  ['baseUrl', { baseUrl: 'https://user:pw@helpdesk.ggus.eu', token: TOKEN }],
  ['baseUrl', { baseUrl: 'helpdesk.ggus.eu', token: TOKEN }],
  ['token', { baseUrl: 'https://helpdesk.ggus.eu', token: '' }],
  ['token', { baseUrl: 'https://helpdesk.ggus.eu', token: 'abc\r\nX-Evil: 1' }],
  ['timeoutMs', { baseUrl: 'https://helpdesk.ggus.eu', token: TOKEN, timeoutMs: 0 }],
];
for (const [field, cfg] of badConfigs) {
  test(`a bad ${field} in the configuration is refused without echoing the token`, () => {
    assert.throws(
      () => createZammadClient(cfg),
      (err: InvalidError) => {
        failsWith(InvalidError, new RegExp(field))(err);
        assert.ok(!err.message.includes(cfg.token || '\u0000'));
        return true;
      },
    );
  });
}

test('a base URL with a path prefix keeps it', async () => {
  const helpdesk = createZammadClient({ baseUrl: `${baseUrl}/zammad/`, token: TOKEN });
  answerWith(200, storedTicket());

  await helpdesk.getTicket(7);

  assert.equal(zammad.requests[0]!.url, '/zammad/api/v1/tickets/7?expand=true');
});

const at = '2025-03-03T09:00:00.000Z';
const withState = (state: string): HelpdeskTicket => ({
  id: 1,
  number: '1',
  state,
  stateId: 99,
  priorityId: 1,
  createdAt: at,
  updatedAt: at,
  firstResponseAt: null,
  closeAt: null,
});
const statusCases = [
  ['new', 'open'],
  ['assigned', 'open'],
  ['Assigned', 'open'],
  ['in progress', 'acknowledged'],
  ["waiting for submitter's reply", 'acknowledged'],
  ['pending customer reply', 'acknowledged'],
  ['on hold', 'acknowledged'],
  ['reopened', 'acknowledged'],
  ['solved', 'resolved'],
  ['unsolved', 'resolved'],
  ['closed', 'resolved'],
  ['verified', 'resolved'],
  ['merged', 'resolved'],
] as const;
for (const [state, want] of statusCases) {
  test(`a ticket in state "${state}" is ${want}`, () => assert.equal(ticketStatus(withState(state)), want));
}

test('any state other than the named ones counts as a response', () => {
  const named = new Set(statusCases.map(([s]) => s.toLowerCase()));
  fc.assert(
    fc.property(
      fc.string({ minLength: 1 }).filter((s) => !named.has(s.trim().toLowerCase())),
      (state) => ticketStatus(withState(state)) === 'acknowledged',
    ),
  );
});
