// Public uploads are bounded before their bodies are read: slow senders holding half-sent
// reports cannot make the server buffer more, and a slot comes back when a sender goes away.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { testApp, type TestApp } from '../../test/support/app.js';

let t: TestApp;
let port: number;

before(async () => {
  t = await testApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as AddressInfo).port;
});
after(() => t.close());

/** Starts a report upload announcing 8 MB (the body limit) and sends only its first bytes. */
function halfSent(): Promise<Socket> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('POST /feed/ HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 8388608\r\n\r\nsite: X\n');
      resolve(socket);
    });
  });
}

const post = () => fetch(`http://127.0.0.1:${port}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

test('one address holding its share of half-sent uploads is told to come back, until it lets go', async () => {
  // 64 MiB per address: eight half-sent 8 MiB reports fill it.
  const held = await Promise.all(Array.from({ length: 8 }, halfSent));
  await new Promise((r) => setTimeout(r, 200));

  const refused = await post();
  for (const socket of held) socket.destroy();
  await new Promise((r) => setTimeout(r, 200));
  const accepted = await post();

  assert.equal(refused.status, 503);
  assert.equal(refused.headers.get('retry-after'), '5');
  assert.notEqual(accepted.status, 503);
});

test('many small reports from one address at once are all read', async () => {
  const answers = await Promise.all(Array.from({ length: 40 }, () => post()));

  assert.deepEqual(
    answers.filter((a) => a.status === 503),
    [],
  );
});
