import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextPageUrl, parseGocdb } from './parse.js';

const BASE = 'https://goc.example.org/gocdbpi/public/?method=get_service_endpoint&scope=EGI';

const page = (cursor: string, count: number, maxPageSize = 100) => `<?xml version="1.0" encoding="UTF-8"?>
<results>
  <meta>
    <link rel="self" href="https://goc.example.org/gocdbpi/public/?method=get_service_endpoint&amp;next_cursor=0"/>
    <link rel="next" href="https://goc.example.org/gocdbpi/public/?method=get_service_endpoint&amp;next_cursor=${cursor}"/>
    <link rel="start" href="https://goc.example.org/gocdbpi/public/?method=get_service_endpoint&amp;next_cursor=0"/>
    <count>${count}</count>
    <max_page_size>${maxPageSize}</max_page_size>
  </meta>
</results>`;

test('the meta element gives the next cursor, the count and the page size', async () => {
  const parsed = await parseGocdb(page('2201', 100));

  assert.equal(parsed.nextCursor, '2201');
  assert.equal(parsed.count, 100);
  assert.equal(parsed.maxPageSize, 100);
  assert.equal(parsed.ignoredElements, 0);
});

test('a full page leads to the next page on the base URL, whatever host the document names', async () => {
  const parsed = await parseGocdb(page('2201', 100).replaceAll('goc.example.org', 'evil.example.net'));

  const url = nextPageUrl(`${BASE}&next_cursor=0`, parsed);

  assert.equal(url, 'https://goc.example.org/gocdbpi/public/?method=get_service_endpoint&scope=EGI&next_cursor=2201');
});

test('a short page ends paging', async () => {
  assert.equal(nextPageUrl(BASE, await parseGocdb(page('2201', 37))), undefined);
});

test('an empty page ends paging', async () => {
  assert.equal(nextPageUrl(BASE, await parseGocdb(page('2201', 0))), undefined);
});

test('an answer without meta is not paged', async () => {
  assert.equal(nextPageUrl(BASE, await parseGocdb('<results/>')), undefined);
});

test('a cursor that does not move ends paging instead of looping', async () => {
  assert.equal(nextPageUrl(`${BASE}&next_cursor=2201`, await parseGocdb(page('2201', 100))), undefined);
});

test('a bad base URL is an InvalidError', async () => {
  assert.throws(
    () =>
      nextPageUrl('not a url', { ngis: [], sites: [], endpoints: [], contacts: [], skipped: [], ignoredElements: 0, warnings: [], nextCursor: '5', count: 1 }),
    { name: 'InvalidError' },
  );
});

test('following the pages of a simulated PI visits each page once', async () => {
  const pages = new Map([
    ['0', page('100', 2, 2)],
    ['100', page('200', 2, 2)],
    ['200', page('300', 1, 2)],
  ]);
  const visited: string[] = [];

  let url: string | undefined = `${BASE}&next_cursor=0`;
  while (url) {
    const cursor = new URL(url).searchParams.get('next_cursor')!;
    visited.push(cursor);
    url = nextPageUrl(url, await parseGocdb(pages.get(cursor)!));
  }

  assert.deepEqual(visited, ['0', '100', '200']);
});
