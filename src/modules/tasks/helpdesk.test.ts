// A task mirrored as a helpdesk ticket and its answers read back at the ticket's own times. The
// helpdesk (Zammad) cannot run here: a server in this process answers with the documented
// shapes (GET/POST /api/v1/tickets, `?expand=true` giving the state's name).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { fixedClock } from '../../core/clock.js';
import { createServices, type Services } from '../../server/services.js';
import { testDatabase, type TestDb } from '../../../test/support/db.js';
import { admin, smallFederation, type SmallFederation } from '../../../test/support/seed.js';
import { createZammadClient } from '../../lib/zammad/zammad-client.js';
import { createHelpdeskMirror } from './helpdesk.js';

const STATE_NAMES: Record<number, string> = { 2: 'assigned', 8: 'in progress', 4: 'solved' };

describe('helpdesk mirroring', () => {
  let db: TestDb;
  let s: Services;
  let fed: SmallFederation;
  let server: Server;
  let base = '';
  const tickets = new Map<number, Record<string, unknown>>();
  const created: Array<Record<string, unknown>> = [];
  const clock = fixedClock(new Date('2026-12-03T09:00:00Z'));

  before(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.headers.authorization !== 'Token token=secret-token') return res.writeHead(401).end('{}');
        const reply = (t: Record<string, unknown>) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ...t, state: STATE_NAMES[t.state_id as number] }));
        };
        if (req.method === 'POST' && req.url?.startsWith('/api/v1/tickets')) {
          const input = JSON.parse(body) as Record<string, unknown>;
          created.push(input);
          const id = 100 + tickets.size;
          const t = {
            id,
            number: String(1000000 + id),
            state_id: 2,
            priority_id: input.priority_id,
            created_at: '2026-12-03T09:00:01Z',
            updated_at: '2026-12-03T09:00:01Z',
            first_response_at: null,
            close_at: null,
          };
          tickets.set(id, t);
          return reply(t);
        }
        const show = /^\/api\/v1\/tickets\/(\d+)/.exec(req.url ?? '');
        if (req.method === 'GET' && show && tickets.has(Number(show[1]))) return reply(tickets.get(Number(show[1]))!);
        res.writeHead(404).end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    db = await testDatabase();
    s = createServices(db, { sessionTtlHours: 1, loginMaxFailures: 5, loginWindowMinutes: 15 }, clock);
    fed = await smallFederation(s);
  });
  after(async () => {
    await db.close();
    await new Promise<void>((r) => server.close(() => r()));
  });

  test('the ticket opens for the site’s NGI group; its first response and its closing become the task’s answers', async () => {
    const mirror = createHelpdeskMirror({
      db: db.db,
      clock,
      audit: s.audit,
      tasks: s.tasks,
      client: createZammadClient({ baseUrl: base, token: 'secret-token' }),
      customer: 'vigil@example.org',
    });
    const [task] = (
      await s.tasks.create(admin, {
        targets: [{ type: 'site', id: fed.siteA1 }],
        taskType: 'helpdesk',
        priority: 'urgent',
        title: 'Your CE fails the ARGO probe',
        description: 'See the probe history.',
        tlp: 'GREEN',
      })
    ).items;
    await mirror.mirror(task!.taskId);
    assert.equal(created.length, 1);
    assert.equal(created[0]!.group, 'NGIs::NGI_ALPHA');
    assert.equal(created[0]!.wlcg_sites, 'ALPHA-UNI-1');
    assert.equal(created[0]!.priority_id, 2);
    await mirror.mirror(task!.taskId);
    assert.equal(created.length, 1, 'a task is mirrored once');

    assert.equal(await mirror.sync(), 0, 'assigned: not answered yet');
    Object.assign(tickets.get(100)!, { state_id: 8, first_response_at: '2026-12-03T11:30:00Z' });
    assert.equal(await mirror.sync(), 1);
    let page = await s.tasks.get(admin, task!.taskId);
    assert.equal(page.status, 'acknowledged');
    assert.equal(page.acknowledgedAt, '2026-12-03T11:30:00.000Z', 'at the ticket’s own time');
    Object.assign(tickets.get(100)!, { state_id: 4, close_at: '2026-12-04T08:00:00Z' });
    assert.equal(await mirror.sync(), 1);
    page = await s.tasks.get(admin, task!.taskId);
    assert.equal(page.status, 'resolved');
    assert.equal(page.helpdesk?.state, 'solved');
    const board = await s.responseTimes.dashboard(admin, { from: '2026-12', to: '2026-12', taskType: 'helpdesk' });
    assert.equal(board.acknowledge.medianMinutes, 150, 'the support unit answered in 2.5 hours');
  });
});
