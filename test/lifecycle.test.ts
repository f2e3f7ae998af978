// The server process: graceful shutdown lets in-flight requests finish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './support/server-process.js';
import { generateFederationXml } from './fixtures/gocdb/generate.js';

test('SIGTERM during a large import lets it finish, then the process exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-life-'));
  const server = await startServer({ VIGIL_SQLITE_PATH: join(dir, 'v.db'), VIGIL_DEMO_ADMIN_PASSWORD: 'lifecycle-test-pw', VIGIL_LOG_LEVEL: 'info' });
  const login = await fetch(`${server.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'lifecycle-test-pw' }),
  });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const xml = generateFederationXml({ sites: 200, endpointsPerSite: 10, contactsPerSite: 10, ngis: 5, seed: 3 });

  const inFlight = fetch(`${server.url}/api/v1/imports/gocdb`, {
    method: 'POST',
    body: xml,
    headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/xml' },
  });
  await new Promise((r) => setTimeout(r, 150));
  const exited = server.stop('SIGTERM');
  const res = await inFlight;
  const code = await exited;

  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { added: { sites: number } }).added.sites, 200);
  assert.equal(code, 0);
  assert.match(server.output(), /shutting down/);
});
