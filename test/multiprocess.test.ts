// Several Vigil processes behind a load balancer share everything through PostgreSQL.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPgSchema, onPostgres, pgUrl } from './support/db.js';
import { startServer, type ServerProcess } from './support/server-process.js';

const PASSWORD = 'multi-process-demo-pw';
let a: ServerProcess;
let b: ServerProcess;

before(async () => {
  if (!onPostgres) return;
  const schema = await createPgSchema();
  const env = { VIGIL_DATABASE_URL: pgUrl, VIGIL_DATABASE_SCHEMA: schema, VIGIL_DEMO_ADMIN_PASSWORD: PASSWORD, VIGIL_LOGIN_MAX_FAILURES: '4' };
  // Both start at once, as after a deployment: the demo is seeded once, migrations run once.
  [a, b] = await Promise.all([startServer(env), startServer(env)]);
});
after(async () => {
  await a?.stop();
  await b?.stop();
});

const login = (server: ServerProcess, username: string, password: string) =>
  fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });

test('a session made on one process works on the other', async (t) => {
  if (!onPostgres) return t.skip('needs PostgreSQL (set VIGIL_TEST_DB=postgres; npm test runs it when one is reachable)');

  const res = await login(a, 'csirt', PASSWORD);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const onB = await fetch(`${b.url}/api/v1/auth/session`, { headers: { cookie } });

  assert.equal(res.status, 200);
  assert.equal(onB.status, 200);
  assert.equal(((await onB.json()) as { label: string }).label, 'csirt');
});

test('login throttling counts failures made on both processes', async (t) => {
  if (!onPostgres) return t.skip('needs PostgreSQL (set VIGIL_TEST_DB=postgres; npm test runs it when one is reachable)');

  const statuses = [];
  for (const server of [a, b, a, b]) statuses.push((await login(server, 'read-only', 'wrong password')).status);
  const rightPasswordOnA = await login(a, 'read-only', PASSWORD);
  const rightPasswordOnB = await login(b, 'read-only', PASSWORD);

  assert.deepEqual(statuses, [401, 401, 401, 401]);
  assert.equal(rightPasswordOnA.status, 429);
  assert.equal(rightPasswordOnB.status, 429);
  assert.ok(rightPasswordOnA.headers.get('retry-after'));
});

test('the demo federation was seeded once although both processes started on an empty database', async (t) => {
  if (!onPostgres) return t.skip('needs PostgreSQL');
  const res = await login(a, 'admin', PASSWORD);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;

  const ngis = (await (await fetch(`${b.url}/api/v1/ngis`, { headers: { cookie } })).json()) as { total: number };

  assert.equal(ngis.total, 4);
  assert.match(a.output() + b.output(), /Demo federation created/);
  assert.equal((a.output() + b.output()).match(/Demo federation created/g)!.length, 1);
});
