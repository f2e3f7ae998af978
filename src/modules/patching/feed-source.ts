// Reading a feed's bytes from a file, a directory or a URL, decompressing gzip (zlib), bzip2 and
// xz (Debian's bzip2/xz commands, streaming), and parsing them with the matching core.
//
// OVAL files (Ubuntu's are ~500 MB unpacked) are read in memory that does not grow with their
// size: the reader makes two passes over the file (a URL is downloaded to a temporary file
// first, so both passes see the same bytes), keeps the tables between them in a temporary
// SQLite file, and spools each definition to that file as it is read; the caller then stores
// them a page at a time. OSV and CSAF documents are JSON, parsed whole (64 MB each at most).
// A debian-index (Sources or Packages) is streamed into a binary → source map.
//
// The server reads only inside the configured places (feed-places.ts): each file of a directory
// source and each redirect is checked too. Every byte count is capped (FEED_READ_LIMITS), and
// no error message quotes what was read (issue 9, hole 7).
import { spawn } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Duplex, pipeline, Readable, Transform } from 'node:stream';
import { pipeline as pipelineAsync } from 'node:stream/promises';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { OVAL_LIMITS, parseOval } from '../../lib/oval/index.js';
import { parseOsvRecords } from '../../lib/osv/index.js';
import { parseCsafVex } from '../../lib/csaf/index.js';
import { DEBIAN_INDEX_LIMITS, readDebianIndex } from '../../lib/debian-index/index.js';
import { createFeedStats, recordSkip, type Definition, type FeedStats } from '../../lib/vuln-model/index.js';
import { createOvalDiskStore, type SpooledDefinition } from './oval-disk-store.js';
import { ANYWHERE, checkFeedPath, checkFeedUrl, isFeedUrl, type FeedAccess } from './feed-places.js';

export type FeedFormat = 'oval' | 'osv' | 'csaf' | 'debian-index';

export interface FeedSpec {
  format: FeedFormat;
  /** File, directory (OSV/CSAF: one JSON document per file) or http(s) URL. */
  source: string;
  /** OVAL and debian-index: the release the file covers (`rhel:9`, `debian:12`, `ubuntu:22.04`). */
  release?: string | undefined;
}

/** A feed that has been read, ready to be stored. */
export interface ReadFeed {
  stats: FeedStats;
  contentHash: string;
  /** Definitions read, a repeated id counted each time. */
  definitionCount: number;
  /** Distinct CVE ids over every definition read. */
  cveCount: number;
  /** Releases named by the affected ranges, sorted. */
  releases: string[];
  /** The definitions to store, one per id (the last read wins), at most `size` at a time. */
  pages(size: number): Iterable<SpooledDefinition[]>;
  /** debian-index only: the names it maps, instead of definitions. */
  sourceMap?: SourceMap | undefined;
}

/** A release's binary → source names, sorted by binary, one source each. */
export interface SourceMap {
  release: string;
  pairs: Array<[binary: string, source: string]>;
}

export interface FeedReadLimits {
  /** Bytes of one JSON document (OSV, CSAF) once decompressed; the largest real ones are a few MB. */
  maxJsonBytes: number;
  /** Bytes downloaded from one URL, before decompression. */
  maxDownloadBytes: number;
  /** Redirects followed from one URL, each checked against the URL prefixes. */
  maxRedirects: number;
  /** JSON files read from one OSV or CSAF directory (Debian's OSV export has ~50,000). */
  maxJsonFiles: number;
  /** Index files read from one debian-index directory (a release's pockets and components: a dozen or two). */
  maxIndexFiles: number;
  /** Bytes, decompressed, over every document of one OSV, CSAF or debian-index source. */
  maxTotalBytes: number;
}

export const FEED_READ_LIMITS: FeedReadLimits = {
  maxJsonBytes: 64 * 1024 * 1024,
  maxDownloadBytes: OVAL_LIMITS.maxBytes,
  maxRedirects: 5,
  maxJsonFiles: 100_000,
  maxIndexFiles: 64,
  maxTotalBytes: 1024 * 1024 * 1024,
};

const FETCH_TIMEOUT_MS = 10 * 60_000;
const isUrl = isFeedUrl;

/** How one read goes: where it may read, its limits, and the decompressed bytes it has read. */
interface ReadContext {
  places: FeedAccess;
  limits: FeedReadLimits;
  total: number;
}

/** A stage that fails once more than `max` bytes have passed (`count` keeps the running total). */
const capped = (count: (n: number) => number, max: number, what: string) =>
  new Transform({
    transform(chunk: Buffer, _enc, done) {
      done(count(chunk.length) > max ? new TooLargeError(`${what} over ${max} bytes`) : null, chunk);
    },
  });

/**
 * GETs a URL, following redirects only to URLs the places allow. Answers with the response of a
 * 2xx status; the message of a failure names the URL and the status, never the body.
 */
async function fetchFeed(url: string, ctx: ReadContext): Promise<Response> {
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let target = checkFeedUrl(ctx.places, url);
  for (let hops = 0; ; hops++) {
    const res = await fetch(target, { signal, redirect: 'manual' });
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location !== null) {
      await res.body?.cancel();
      if (hops >= ctx.limits.maxRedirects) throw new InvalidError(`${url}: more than ${ctx.limits.maxRedirects} redirects`);
      try {
        target = checkFeedUrl(ctx.places, new URL(location, target));
      } catch {
        throw new InvalidError(`${url}: redirected ${ctx.places === ANYWHERE ? 'to a URL that is not http(s)' : 'outside the configured feedUrlPrefixes'}`);
      }
      continue;
    }
    if (!res.ok || !res.body) {
      await res.body?.cancel();
      throw new InvalidError(`${url}: HTTP ${res.status}`);
    }
    return res;
  }
}

/** A URL's body as a stream of at most `maxDownloadBytes`. */
async function download(url: string, ctx: ReadContext): Promise<Readable> {
  const res = await fetchFeed(url, ctx);
  let size = 0;
  return pipeline(
    Readable.fromWeb(res.body as NodeWebStream<Uint8Array>),
    capped((n) => (size += n), ctx.limits.maxDownloadBytes, `${url}:`),
    () => {},
  );
}

/** Decompresses by file-name suffix: gzip in process, bzip2 and xz through Debian's commands. */
function decompressor(name: string): Duplex | undefined {
  if (name.endsWith('.gz')) return createGunzip();
  const tool = name.endsWith('.bz2') ? 'bzip2' : name.endsWith('.xz') ? 'xz' : undefined;
  if (!tool) return undefined;
  const child = spawn(tool, ['-dc'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const duplex = Duplex.from({ writable: child.stdin, readable: child.stdout });
  child.on('exit', (code) => {
    if (code) duplex.destroy(new InvalidError(`${name}: ${tool} failed (exit ${code}): not a ${tool} file?`));
  });
  // A reader that stops early (the OVAL second pass) leaves the command nothing to do.
  duplex.on('close', () => child.kill());
  return duplex;
}

/**
 * The feed's bytes as a stream, decompressed, and a hash of the raw bytes as they are read.
 * `location` has been checked against the places (a path is the real one). With `counted`, the
 * decompressed bytes add to the read's total, which may not pass `maxTotalBytes`.
 * Stopping reading (or an error anywhere) closes every stage, the file and any child command.
 */
async function open(location: string, ctx: ReadContext, counted = false): Promise<{ stream: Readable; hash: Hash }> {
  const hash = createHash('sha256');
  const raw = isUrl(location) ? await download(location, ctx) : createReadStream(location);
  // Hash the raw bytes in the pipeline (a 'data' listener would start the flow before the parser reads).
  const hashed = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const unpack = decompressor(isUrl(location) ? new URL(location).pathname : location);
  const tally = capped((n) => (counted ? (ctx.total += n) : 0), ctx.limits.maxTotalBytes, 'the feed is');
  // Errors reach the reader through the last stage; an early stop is no error.
  const stream: Readable = unpack ? pipeline(raw, hashed, unpack, tally, () => {}) : pipeline(raw, hashed, tally, () => {});
  return { stream, hash };
}

/** Reads an OVAL file in two passes through a disk store, then hands it to `use`. */
async function readOval<T>(source: string, release: string, ctx: ReadContext, use: (read: ReadFeed) => Promise<T>): Promise<T> {
  const store = createOvalDiskStore();
  let downloads: string | undefined;
  try {
    let local = source;
    if (isUrl(source)) {
      downloads = mkdtempSync(join(tmpdir(), 'vigil-feed-'));
      // Keep the compression suffix: it decides how the copy is unpacked.
      local = join(downloads, `feed${/\.(?:gz|bz2|xz)$/.exec(new URL(source).pathname)?.[0] ?? ''}`);
      await pipelineAsync(await download(source, ctx), createWriteStream(local));
    }
    const hashes: Hash[] = [];
    const reopen = async () => {
      const { stream, hash } = await open(local, ctx);
      hashes.push(hash);
      return stream;
    };
    const { stats } = await parseOval(reopen, { release, store, onDefinition: (d) => store.addDefinition(d) });
    // Pass 1 read every byte; pass 2 stopped at </definitions>.
    const contentHash = hashes[0]!.digest('hex');
    const { definitions, cves, releases } = store.summary();
    return await use({ stats, contentHash, definitionCount: definitions, cveCount: cves, releases, pages: (size) => store.definitionPages(size) });
  } finally {
    store.close();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  }
}

/** A feed held in memory (OSV, CSAF): the same counts as the OVAL spool. */
function inMemory(definitions: Definition[], stats: FeedStats, contentHash: string): ReadFeed {
  const byId = new Map(definitions.map((d) => [d.id, d]));
  return {
    stats,
    contentHash,
    definitionCount: definitions.length,
    cveCount: new Set(definitions.flatMap((d) => d.cves)).size,
    releases: [...new Set(definitions.flatMap((d) => d.affected.map((a) => a.release)))].sort(),
    *pages(size) {
      const rows = [...byId.values()].map((d) => ({ definitionId: d.id, bodyJson: JSON.stringify(d) }));
      for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
    },
  };
}

async function readJson(location: string, ctx: ReadContext): Promise<{ value: unknown; hash: string }> {
  const { stream, hash } = await open(location, ctx, true);
  const chunks: Buffer[] = [];
  let size = 0;
  const max = ctx.limits.maxJsonBytes;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > max) throw new TooLargeError(`${location}: JSON document over ${max} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, hash: hash.digest('hex') };
  } catch (err) {
    // V8's message quotes the text around the error: give only the position.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new InvalidError(`${location}: not a JSON document${at ? ` (syntax error at character ${at})` : ''}`);
  }
}

/**
 * The files of a directory source that match `pattern`, each checked against the places (a
 * symlink out of a feed directory is refused), at most `max` of them; a file or URL alone.
 */
async function sourceFiles(source: string, pattern: RegExp, max: number, ctx: ReadContext): Promise<string[]> {
  if (isUrl(source) || !(await stat(source)).isDirectory()) return [source];
  const names = (await readdir(source)).filter((f) => pattern.test(f)).sort();
  if (names.length > max) throw new TooLargeError(`${source}: over ${max} feed files in the directory`);
  return Promise.all(names.map((f) => checkFeedPath(ctx.places, join(source, f), true)));
}

/** The JSON documents of an OSV or CSAF source: one file or URL, or every .json(.gz) of a directory. */
async function jsonDocuments(source: string, ctx: ReadContext): Promise<{ docs: unknown[]; hash: string }> {
  const files = await sourceFiles(source, /\.json(\.gz|\.bz2|\.xz)?$/, ctx.limits.maxJsonFiles, ctx);
  const hash = createHash('sha256');
  const docs: unknown[] = [];
  for (const f of files) {
    const { value, hash: h } = await readJson(f, ctx);
    hash.update(h);
    // An OSV "all" export may be an array of records.
    if (Array.isArray(value)) docs.push(...value);
    else docs.push(value);
  }
  return { docs, hash: hash.digest('hex') };
}

/** The index files of a debian-index source: one file or URL, or each Sources/Packages file of a directory. */
const indexFiles = (source: string, ctx: ReadContext) => sourceFiles(source, /(^|[_.-])(Sources|Packages)(\.gz|\.bz2|\.xz)?$/, ctx.limits.maxIndexFiles, ctx);

/**
 * Streams a Sources or Packages index (or a directory of them) into a binary → source map. A
 * binary that two paragraphs give different sources keeps the first and is counted.
 */
async function readSourceIndex(source: string, release: string, ctx: ReadContext): Promise<ReadFeed> {
  const map = new Map<string, string>();
  const stats = createFeedStats();
  for (const file of await indexFiles(source, ctx)) {
    const { stream } = await open(file, ctx, true);
    for await (const pair of readDebianIndex(stream)) {
      const known = map.get(pair.binary);
      if (known === undefined) map.set(pair.binary, pair.source);
      else if (known !== pair.source) recordSkip(stats, 'binary-with-a-second-source');
    }
    if (map.size > DEBIAN_INDEX_LIMITS.maxPairs) throw new TooLargeError(`${source}: over ${DEBIAN_INDEX_LIMITS.maxPairs} binary packages`);
  }
  const pairs = [...map].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  // The hash is of the names, not of the bytes: a new index that maps the same names (new
  // versions, new checksums) is no change, so hosts are not re-evaluated for it.
  const hash = createHash('sha256').update(`${release}\n`);
  for (const [b, s] of pairs) hash.update(`${b}\t${s}\n`);
  return { stats, contentHash: hash.digest('hex'), definitionCount: 0, cveCount: 0, releases: [release], pages: () => [], sourceMap: { release, pairs } };
}

/**
 * Reads a feed from where `places` allow (ANYWHERE for the operator's CLI) and passes it to `use`
 * (which stores it); temporary files are deleted when `use` settles, whether it succeeds or throws.
 */
export async function readFeed<T>(
  spec: FeedSpec,
  places: FeedAccess,
  use: (read: ReadFeed) => Promise<T>,
  limits: FeedReadLimits = FEED_READ_LIMITS,
): Promise<T> {
  const ctx: ReadContext = { places, limits, total: 0 };
  let source = spec.source;
  if (isUrl(source)) source = checkFeedUrl(places, source).href;
  else if (places !== ANYWHERE) source = await checkFeedPath(places, source, true);
  else
    await stat(source).catch(() => {
      throw new InvalidError(`${source}: no such file or directory`);
    });
  switch (spec.format) {
    case 'oval': {
      if (!spec.release) throw new InvalidError('an OVAL feed needs the release it covers, e.g. rhel:9 or debian:12');
      return readOval(source, spec.release, ctx, use);
    }
    case 'osv': {
      const { docs, hash } = await jsonDocuments(source, ctx);
      const parsed = parseOsvRecords(docs);
      return use(inMemory(parsed.definitions, parsed.stats, hash));
    }
    case 'debian-index': {
      if (!spec.release) throw new InvalidError('a debian-index feed needs the release it covers, e.g. debian:12 or ubuntu:22.04');
      return use(await readSourceIndex(source, spec.release, ctx));
    }
    case 'csaf': {
      const { docs, hash } = await jsonDocuments(source, ctx);
      const definitions: Definition[] = [];
      let stats: FeedStats | undefined;
      for (const doc of docs) {
        const parsed = parseCsafVex(doc);
        definitions.push(...parsed.definitions);
        stats = stats ? mergeStats(stats, parsed.stats) : parsed.stats;
      }
      if (!stats) throw new InvalidError(`${source}: no CSAF documents`);
      return use(inMemory(definitions, stats, hash));
    }
  }
}

function mergeStats(a: FeedStats, b: FeedStats): FeedStats {
  const merged = structuredClone(a) as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(b as unknown as Record<string, unknown>)) {
    if (typeof v === 'number') merged[k] = ((merged[k] as number | undefined) ?? 0) + v;
    else if (v && typeof v === 'object') {
      const target = (merged[k] ?? {}) as Record<string, number>;
      for (const [kk, vv] of Object.entries(v as Record<string, number>)) target[kk] = (target[kk] ?? 0) + vv;
      merged[k] = target;
    }
  }
  return merged as unknown as FeedStats;
}
