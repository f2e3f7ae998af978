// The tasks API as a client uses it: open, answer, attach, probe, export, and the limits.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, tokenFor, type TestApp } from '../../../test/support/app.js';
import { personWithRole, smallFederation, type SmallFederation } from '../../../test/support/seed.js';

describe('tasks API', () => {
  let t: TestApp;
  let fed: SmallFederation;
  let csirt: string;
  let officer: string;
  let neighbour: string;

  before(async () => {
    t = await testApp();
    fed = await smallFederation(t.services);
    csirt = await tokenFor(t.services, (await personWithRole(t.services, 'csirt', 'federation')).personId);
    officer = await tokenFor(t.services, (await personWithRole(t.services, 'site-security-officer', 'site', fed.siteA1)).personId);
    neighbour = await tokenFor(t.services, (await personWithRole(t.services, 'site-security-officer', 'site', fed.siteA2)).personId);
  });
  after(() => t.close());

  const call = (token: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });

  test('the CSIRT opens a task, the site answers it over the API, the probe and the CSV follow', async () => {
    const created = await call(csirt, 'POST', '/api/v1/tasks', {
      targets: [{ type: 'site', id: fed.siteA1 }],
      taskType: 'critical-advisory',
      priority: 'very urgent',
      title: 'Patch CVE-2026-0001',
      tlp: 'GREEN',
    });
    assert.equal(created.statusCode, 201, created.body);
    const taskId = created.json().items[0].taskId as string;

    const probe = await call(officer, 'GET', '/api/v1/probe/tasks/ALPHA-UNI-1');
    assert.equal(probe.headers['x-nagios-status'], '0');
    assert.match(probe.body, /^OK: ALPHA-UNI-1: 1 open tasks, 0 overdue/);
    assert.equal((await call(neighbour, 'GET', '/api/v1/probe/tasks/ALPHA-UNI-1')).statusCode, 404);

    const ack = await call(officer, 'POST', `/api/v1/tasks/${taskId}/acknowledge`, { comment: 'patching tonight' });
    assert.equal(ack.statusCode, 200, ack.body);
    assert.equal((await call(officer, 'POST', `/api/v1/tasks/${taskId}/acknowledge`, {})).statusCode, 409);
    const page = (await call(officer, 'GET', `/api/v1/tasks/${taskId}`)).json();
    assert.equal(page.events.at(-1).via, 'api');
    assert.deepEqual(page.abilities, ['task:read', 'task:answer']);

    const resolved = await call(officer, 'POST', `/api/v1/tasks/${taskId}/resolve`, {});
    assert.equal(resolved.json().status, 'resolved');
    const csv = await call(csirt, 'GET', '/api/v1/response-times.csv');
    assert.match(csv.headers['content-type'] as string, /^text\/csv/);
    assert.match(csv.body, new RegExp(`site,${fed.siteA1},${fed.ngiA},critical-advisory,resolve,1,`));

    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    assert.match(metrics.body, /vigil_task_response_minutes\{measure="resolve",quantile="0.5"\}/);
  });

  test('attachments: stored with their digest, downloaded as files, refused over the limit', async () => {
    const created = await call(csirt, 'POST', '/api/v1/tasks', {
      targets: [{ type: 'site', id: fed.siteA1 }],
      taskType: 'request',
      priority: 'urgent',
      title: 'Evidence',
    });
    const taskId = created.json().items[0].taskId as string;
    const up = await call(officer, 'POST', `/api/v1/tasks/${taskId}/attachments`, {
      fileName: '../../etc/passwd.html',
      contentType: 'text/html',
      contentBase64: Buffer.from('<script>alert(1)</script>').toString('base64'),
    });
    assert.equal(up.statusCode, 201, up.body);
    assert.equal(up.json().fileName, '.._.._etc_passwd.html');
    const down = await call(officer, 'GET', `/api/v1/tasks/${taskId}/attachments/${up.json().attachmentId}`);
    assert.equal(down.headers['content-type'], 'application/octet-stream');
    assert.match(down.headers['content-disposition'] as string, /^attachment;/);
    assert.equal(down.body, '<script>alert(1)</script>');
    const big = await call(officer, 'POST', `/api/v1/tasks/${taskId}/attachments`, {
      fileName: 'big.bin',
      contentBase64: Buffer.alloc(5 * 1024 * 1024 + 1).toString('base64'),
    });
    assert.ok([400, 413].includes(big.statusCode), `${big.statusCode}`);
    assert.equal(big.headers['content-type']?.toString().startsWith('application/problem+json'), true);
  });

  test('bad requests are problems, and nothing is written', async () => {
    const before = (await call(csirt, 'GET', '/api/v1/tasks?status=all')).json().total as number;
    const bad = [
      { targets: [], taskType: 'request', priority: 'urgent', title: 'x' },
      { targets: [{ type: 'site', id: fed.siteA1 }], taskType: 'request', priority: 'whenever', title: 'x' },
      { targets: [{ type: 'site', id: fed.siteA1 }], taskType: 'request', priority: 'urgent', title: 'x', dueAt: '2000-01-01T00:00:00Z' },
      { targets: Array.from({ length: 2001 }, () => ({ type: 'site', id: fed.siteA1 })), taskType: 'request', priority: 'urgent', title: 'x' },
    ];
    for (const body of bad) {
      const res = await call(csirt, 'POST', '/api/v1/tasks', body);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, `${res.statusCode} ${res.body}`);
      assert.match(res.headers['content-type'] as string, /problem\+json/);
    }
    assert.equal((await call(csirt, 'GET', '/api/v1/tasks?status=all')).json().total, before);
    const calendar = await call(csirt, 'PUT', '/api/v1/work-calendar', { timeZone: 'Mars/Olympus', week: { '1': [[420, 900]] }, holidays: [] });
    assert.equal(calendar.statusCode, 422);
    assert.match(calendar.json().detail, /time zone|timeZone/i);
  });
});
