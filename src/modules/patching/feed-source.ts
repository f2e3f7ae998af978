// Reading a feed's bytes from a file, a directory or a URL, decompressing gzip (zlib), bzip2 and
// xz (Debian's bzip2/xz commands, streaming), and parsing them with the matching core.
//
// OVAL files (Ubuntu's are ~500 MB unpacked) are read in memory that does not grow with their
// size: the reader makes two passes over the file (a URL is downloaded to a temporary file
// first, so both passes see the same bytes), keeps the tables between them in a temporary
// SQLite file, and spools each definition to that file as it is read; the caller then stores
// them a page at a time. OSV and CSAF documents are JSON, parsed whole (64 MB each at most).
// A debian-index (Sources or Packages) is streamed into a binary → source map.
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
export interface SourceMap { release: string; pairs: Array<[binary: string, source: string]> }

/** A JSON document in an OSV or CSAF feed may not exceed this (the largest real ones are a few MB). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10 * 60_000;
const isUrl = (location: string) => /^https?:\/\//.test(location);

/** Decompresses by file-name suffix: gzip in process, bzip2 and xz through Debian's commands. */
function decompressor(name: string): Duplex | undefined {
  if (name.endsWith('.gz')) return createGunzip();
  const tool = name.endsWith('.bz2') ? 'bzip2' : name.endsWith('.xz') ? 'xz' : undefined;
  if (!tool) return undefined;
  const child = spawn(tool, ['-dc'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const duplex = Duplex.from({ writable: child.stdin, readable: child.stdout });
  child.on('exit', (code) => { if (code) duplex.destroy(new InvalidError(`${name}: ${tool} failed (exit ${code}): not a ${tool} file?`)); });
  // A reader that stops early (the OVAL second pass) leaves the command nothing to do.
  duplex.on('close', () => child.kill());
  return duplex;
}

/**
 * The feed's bytes as a stream, decompressed, and a hash of the raw bytes as they are read.
 * Stopping reading (or an error anywhere) closes every stage, the file and any child command.
 */
async function open(location: string): Promise<{ stream: Readable; hash: Hash }> {
  const hash = createHash('sha256');
  let raw: Readable;
  if (isUrl(location)) {
    const res = await fetch(location, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok || !res.body) throw new InvalidError(`${location}: HTTP ${res.status}`);
    raw = Readable.fromWeb(res.body as NodeWebStream<Uint8Array>);
  } else {
    raw = createReadStream(location);
  }
  // Hash the raw bytes in the pipeline (a 'data' listener would start the flow before the parser reads).
  const hashed = new Transform({ transform(chunk: Buffer, _enc, done) { hash.update(chunk); done(null, chunk); } });
  const unpack = decompressor(isUrl(location) ? new URL(location).pathname : location);
  // Errors reach the reader through the last stage; an early stop is no error.
  const stream: Readable = unpack ? pipeline(raw, hashed, unpack, () => {}) : pipeline(raw, hashed, () => {});
  return { stream, hash };
}

/** Copies a URL's raw bytes to `path` (at most the OVAL size limit; compressed files are smaller). */
async function download(url: string, path: string): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  if (!res.ok || !res.body) throw new InvalidError(`${url}: HTTP ${res.status}`);
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      done(size > OVAL_LIMITS.maxBytes ? new TooLargeError(`${url}: over ${OVAL_LIMITS.maxBytes} bytes`) : null, chunk);
    },
  });
  await pipelineAsync(Readable.fromWeb(res.body as NodeWebStream<Uint8Array>), limit, createWriteStream(path));
}

/** Reads an OVAL file in two passes through a disk store, then hands it to `use`. */
async function readOval<T>(source: string, release: string, use: (read: ReadFeed) => Promise<T>): Promise<T> {
  const store = createOvalDiskStore();
  let downloads: string | undefined;
  try {
    let local = source;
    if (isUrl(source)) {
      downloads = mkdtempSync(join(tmpdir(), 'vigil-feed-'));
      // Keep the compression suffix: it decides how the copy is unpacked.
      local = join(downloads, `feed${/\.(?:gz|bz2|xz)$/.exec(new URL(source).pathname)?.[0] ?? ''}`);
      await download(source, local);
    }
    const hashes: Hash[] = [];
    const reopen = async () => {
      const { stream, hash } = await open(local);
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

async function readJson(location: string): Promise<{ value: unknown; hash: string }> {
  const { stream, hash } = await open(location);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > MAX_JSON_BYTES) throw new TooLargeError(`${location}: JSON document over ${MAX_JSON_BYTES} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  try {
    return { value: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, hash: hash.digest('hex') };
  } catch (err) {
    throw new InvalidError(`${location}: not JSON (${(err as Error).message})`);
  }
}

/** The JSON documents of an OSV or CSAF source: one file or URL, or every .json(.gz) of a directory. */
async function jsonDocuments(source: string): Promise<{ docs: unknown[]; hash: string }> {
  const files = !isUrl(source) && (await stat(source)).isDirectory()
    ? (await readdir(source)).filter((f) => /\.json(\.gz|\.bz2|\.xz)?$/.test(f)).sort().map((f) => join(source, f))
    : [source];
  const hash = createHash('sha256');
  const docs: unknown[] = [];
  for (const f of files) {
    const { value, hash: h } = await readJson(f);
    hash.update(h);
    // An OSV "all" export may be an array of records.
    if (Array.isArray(value)) docs.push(...value); else docs.push(value);
  }
  return { docs, hash: hash.digest('hex') };
}

/** The index files of a debian-index source: one file or URL, or each Sources/Packages file of a directory. */
async function indexFiles(source: string): Promise<string[]> {
  if (isUrl(source) || !(await stat(source)).isDirectory()) return [source];
  return (await readdir(source)).filter((f) => /(^|[_.-])(Sources|Packages)(\.gz|\.bz2|\.xz)?$/.test(f)).sort().map((f) => join(source, f));
}

/**
 * Streams a Sources or Packages index (or a directory of them) into a binary → source map. A
 * binary that two paragraphs give different sources keeps the first and is counted.
 */
async function readSourceIndex(source: string, release: string): Promise<ReadFeed> {
  const map = new Map<string, string>();
  const stats = createFeedStats();
  for (const file of await indexFiles(source)) {
    const { stream } = await open(file);
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
 * Reads a feed and passes it to `use` (which stores it); temporary files are deleted when `use`
 * settles, whether it succeeds or throws.
 */
export async function readFeed<T>(spec: FeedSpec, use: (read: ReadFeed) => Promise<T>): Promise<T> {
  if (!isUrl(spec.source)) await stat(spec.source).catch(() => { throw new InvalidError(`${spec.source}: no such file or directory`); });
  switch (spec.format) {
    case 'oval': {
      if (!spec.release) throw new InvalidError('an OVAL feed needs the release it covers, e.g. rhel:9 or debian:12');
      return readOval(spec.source, spec.release, use);
    }
    case 'osv': {
      const { docs, hash } = await jsonDocuments(spec.source);
      const parsed = parseOsvRecords(docs);
      return use(inMemory(parsed.definitions, parsed.stats, hash));
    }
    case 'debian-index': {
      if (!spec.release) throw new InvalidError('a debian-index feed needs the release it covers, e.g. debian:12 or ubuntu:22.04');
      return use(await readSourceIndex(spec.source, spec.release));
    }
    case 'csaf': {
      const { docs, hash } = await jsonDocuments(spec.source);
      const definitions: Definition[] = [];
      let stats: FeedStats | undefined;
      for (const doc of docs) {
        const parsed = parseCsafVex(doc);
        definitions.push(...parsed.definitions);
        stats = stats ? mergeStats(stats, parsed.stats) : parsed.stats;
      }
      if (!stats) throw new InvalidError(`${spec.source}: no CSAF documents`);
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
