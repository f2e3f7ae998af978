// Reading GOCDB PI documents from files, directories and URLs (following next_cursor paging).
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { nextPageUrl, parseGocdb, type ParsedGocdb } from '../../lib/gocdb/index.js';

/** The PI methods a full registry import reads when given a base URL. */
export const IMPORT_METHODS = ['get_ngi', 'get_site', 'get_service_endpoint', 'get_site_contacts'] as const;
const MAX_PAGES = 10_000;
const FETCH_TIMEOUT_MS = 60_000;

export async function readGocdbSource(source: string, maxBytes: number): Promise<ParsedGocdb[]> {
  if (/^https?:\/\//.test(source)) return fetchGocdb(source, maxBytes);
  const info = await stat(source).catch(() => {
    throw new InvalidError(`${source}: no such file, directory or URL`);
  });
  if (info.isDirectory()) {
    const files = (await readdir(source)).filter((f) => f.endsWith('.xml')).sort();
    if (files.length === 0) throw new InvalidError(`${source}: no .xml files`);
    const docs: ParsedGocdb[] = [];
    for (const f of files) docs.push(await parseFile(join(source, f), maxBytes));
    return docs;
  }
  return [await parseFile(source, maxBytes)];
}

async function parseFile(path: string, maxBytes: number): Promise<ParsedGocdb> {
  try {
    return await parseGocdb(createReadStream(path), { maxBytes });
  } catch (err) {
    if (err instanceof Error) err.message = `${path}: ${err.message}`;
    throw err;
  }
}

/** A URL naming a method is read with its pages; a bare PI base URL reads every import method. */
export async function fetchGocdb(url: string, maxBytes: number): Promise<ParsedGocdb[]> {
  const urls = new URL(url).searchParams.has('method')
    ? [url]
    : IMPORT_METHODS.map((m) => {
        const u = new URL(url);
        u.searchParams.set('method', m);
        return u.toString();
      });
  const docs: ParsedGocdb[] = [];
  for (const first of urls) {
    let next: string | undefined = first;
    for (let page = 0; next; page++) {
      if (page >= MAX_PAGES) throw new TooLargeError(`${first}: more than ${MAX_PAGES} pages`);
      const doc = await fetchOne(next, maxBytes);
      docs.push(doc);
      next = nextPageUrl(next, doc);
    }
  }
  return docs;
}

async function fetchOne(url: string, maxBytes: number): Promise<ParsedGocdb> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'application/xml' } });
  if (!res.ok || !res.body) throw new InvalidError(`${url}: HTTP ${res.status}`);
  // fetch's body is a web stream; the parser reads Node's async-iterable streams.
  return parseGocdb(Readable.fromWeb(res.body as NodeWebStream<Uint8Array>), { maxBytes });
}
