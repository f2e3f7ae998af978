// Errors raised by Node's HTTP parser, before any route runs, answer problem+json too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { testApp, type TestApp } from '../../test/support/app.js';

let t: TestApp;
let base: string;

before(async () => {
  t = await testApp();
  base = await t.app.listen({ host: '127.0.0.1', port: 0 });
});
after(() => t.close());

test('an over-long query string answers 431 problem+json', async () => {
  const res = await fetch(`${base}/api/v1/sites?q=${'a'.repeat(20_000)}`);

  assert.equal(res.status, 431);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
  const problem = (await res.json()) as { status: number; title: string; detail: string };
  assert.equal(problem.status, 431);
  assert.equal(problem.title, 'Request header fields too large');
  assert.match(problem.detail, /query string or the headers/);
});

test('an over-long header answers 431 problem+json', async () => {
  const res = await fetch(`${base}/healthz`, { headers: { 'x-padding': 'b'.repeat(20_000) } });

  assert.equal(res.status, 431);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
});

test('a request that is not HTTP answers 400 problem+json', async () => {
  const url = new URL(base);
  const raw = await new Promise<string>((resolve, reject) => {
    let text = '';
    const socket = connect(Number(url.port), url.hostname, () => socket.write('GARBAGE\r\n\r\n'));
    socket.on('data', (d) => {
      text += d;
    });
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });

  assert.match(raw, /^HTTP\/1\.1 400 Bad request\r\n/);
  assert.match(raw, /content-type: application\/problem\+json/i);
  assert.equal(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)).status, 400);
});
