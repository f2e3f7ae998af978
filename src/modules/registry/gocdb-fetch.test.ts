import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fetchGocdb, readGocdbSource } from './gocdb-fetch.js';

// A stand-in GOCDB PI on loopback serving the fixtures, with the endpoint list in two pages.
const fixture = (name: string) => readFileSync(new URL(`../../../test/fixtures/gocdb/${name}`, import.meta.url));
let server: Server;
let base: string;
const requested: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    requested.push(`${url.searchParams.get('method')}@${url.searchParams.get('next_cursor') ?? '-'}`);
    const method = url.searchParams.get('method');
    const body =
      method === 'get_service_endpoint'
        ? fixture(url.searchParams.get('next_cursor') === '4405' ? 'get_service_endpoint_page2.xml' : 'get_service_endpoint_page1.xml')
        : method === 'get_ngi'
          ? fixture('get_ngi.xml')
          : method === 'get_site'
            ? fixture('get_site.xml')
            : method === 'get_site_contacts'
              ? fixture('get_site_contacts.xml')
              : undefined;
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xml' }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/gocdbpi/private/`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

test('a base URL reads every import method and follows next_cursor until a short page', async () => {
  requested.length = 0;

  const docs = await fetchGocdb(base, 10_000_000);

  assert.deepEqual(requested, ['get_ngi@-', 'get_site@-', 'get_service_endpoint@-', 'get_service_endpoint@4405', 'get_site_contacts@-']);
  assert.equal(docs.length, 5);
  assert.equal(docs[2]!.endpoints.length + docs[3]!.endpoints.length, 8);
});

test('a URL naming one method reads only that method', async () => {
  requested.length = 0;

  await fetchGocdb(`${base}?method=get_ngi`, 10_000_000);

  assert.deepEqual(requested, ['get_ngi@-']);
});

test('an HTTP error is reported with the URL', async () => {
  await assert.rejects(fetchGocdb(`${base}?method=get_downtime`, 10_000_000), /HTTP 404/);
});

test('a directory reads each .xml file in it', async () => {
  const dir = new URL('../../../test/fixtures/gocdb/', import.meta.url).pathname;

  const docs = await readGocdbSource(dir, 10_000_000);

  assert.ok(docs.length >= 8);
});
