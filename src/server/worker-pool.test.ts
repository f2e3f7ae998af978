import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { InvalidError, TooLargeError, UnavailableError } from '../core/errors.js';
import { createWorkerPool } from './worker-pool.js';
import { createParsers } from './parse-pool.js';
import { parseGocdb } from '../lib/gocdb/index.js';
import { generateFederationXml } from '../../test/fixtures/gocdb/generate.js';

// A plain-JS worker speaking the pool's protocol: `spin` holds its thread for `ms`.
const dir = mkdtempSync(join(tmpdir(), 'vigil-pool-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = pathToFileURL(join(dir, 'worker.mjs'));
writeFileSync(
  file,
  `
import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, task, input }) => {
  if (task === 'spin') { const end = Date.now() + input.ms; while (Date.now() < end); parentPort.postMessage({ id, result: input.ms }); }
  else if (task === 'parts') { for (let i = 0; i < 3; i++) parentPort.postMessage({ id, part: i }); parentPort.postMessage({ id, result: 'done' }); }
  else if (task === 'refuse') parentPort.postMessage({ id, error: { code: 'invalid', message: 'bad input', details: { line: 3 } } });
  else if (task === 'crash') process.exit(3);
});
`,
);

test('a task runs on a worker and its parts arrive in order', async () => {
  const pool = createWorkerPool({ file, size: 1, maxQueue: 1 });

  const outcome = await pool.run('parts', {}, { timeoutMs: 5000 });

  assert.deepEqual(outcome, { result: 'done', parts: [0, 1, 2] });
  await pool.close();
});

test('a domain error from the worker keeps its class, message and details', async () => {
  const pool = createWorkerPool({ file, size: 1, maxQueue: 1 });

  await assert.rejects(
    pool.run('refuse', {}, { timeoutMs: 5000 }),
    (err) => err instanceof InvalidError && err.message === 'bad input' && err.details?.line === 3,
  );
  await pool.close();
});

test('a task over its time is ended with its worker, and the next task still runs', async () => {
  const pool = createWorkerPool({ file, size: 1, maxQueue: 1 });

  const slow = pool.run('spin', { ms: 10_000 }, { timeoutMs: 300 });
  const next = pool.run('spin', { ms: 1 }, { timeoutMs: 5000 });

  await assert.rejects(slow, (err) => err instanceof TooLargeError && /longer than 0.3 s/.test(err.message));
  assert.equal((await next).result, 1);
  await pool.close();
});

test('a full queue refuses at once with a 503-class error', async () => {
  const pool = createWorkerPool({ file, size: 1, maxQueue: 1 });
  const running = pool.run('spin', { ms: 300 }, { timeoutMs: 5000 });
  const queued = pool.run('spin', { ms: 1 }, { timeoutMs: 5000 });

  const refused = pool.run('spin', { ms: 1 }, { timeoutMs: 5000 });

  await assert.rejects(refused, (err) => err instanceof UnavailableError && err.retryAfterSeconds > 0);
  assert.deepEqual(
    (await Promise.all([running, queued])).map((o) => o.result),
    [300, 1],
  );
  await pool.close();
});

test('a worker that dies fails its task, and a new worker takes the next', async () => {
  const pool = createWorkerPool({ file, size: 1, maxQueue: 1 });

  await assert.rejects(pool.run('crash', {}, { timeoutMs: 5000 }));
  assert.equal((await pool.run('spin', { ms: 1 }, { timeoutMs: 5000 })).result, 1);
  await pool.close();
});

test('the parse worker loads from this build (TypeScript through tsx, or dist JavaScript) and parses off the event loop', async () => {
  const parsers = createParsers({ inlineMaxBytes: 0 });
  const report = Buffer.from(
    JSON.stringify({
      schema: 'vigil.report/1',
      host: 'wn1.example.org',
      site: 'S',
      system: 'Debian GNU/Linux 12',
      kernel: '6.1.0',
      arch: 'x86_64',
      packager: 'dpkg',
      agent: { name: 'a', version: '1' },
      packages: [
        { name: 'zlib1g', version: '1:1.2.13', arch: 'amd64' },
        { name: 'bash', version: '5.2', arch: 'amd64' },
      ],
    }),
  );

  const { report: parsed, setId } = await parsers.jsonReport(report, {});
  const deep = parsers.jsonReport(Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)), {});

  assert.deepEqual(
    parsed.packages.map((p) => p.name),
    ['bash', 'zlib1g'],
    'in set order',
  );
  assert.match(setId ?? '', /^[0-9a-f]{64}$/);
  await assert.rejects(deep, (err) => err instanceof TooLargeError && /deeper than 8 levels/.test(err.message));
  assert.equal(parsers.load().workers, 1);
  await parsers.close();
});

test('a GOCDB document parsed on a worker comes back whole, part by part', async () => {
  const parsers = createParsers({ inlineMaxBytes: 0 });
  const xml = Buffer.from(generateFederationXml({ sites: 30, endpointsPerSite: 40, contactsPerSite: 5, ngis: 2, seed: 7 }));
  const inline = await parseGocdb(xml);

  const parsed = await parsers.gocdb(Buffer.from(xml), {});

  assert.ok(parsed.endpoints.length > 1000, 'more than one part');
  assert.deepEqual(parsed, inline);
  await parsers.close();
});
