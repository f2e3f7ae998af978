// Reading a feed's bytes from a file, a directory or a URL, decompressing gzip (zlib), bzip2 and
// xz (Debian's bzip2/xz commands, streaming), and parsing them with the matching core.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import type { ReadableStream as NodeWebStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { parseOval } from '../../lib/oval/index.js';
import { parseOsvRecords } from '../../lib/osv/index.js';
import { parseCsafVex } from '../../lib/csaf/index.js';
import type { Definition, FeedStats } from '../../lib/vuln-model/index.js';

export type FeedFormat = 'oval' | 'osv' | 'csaf';

export interface FeedSpec {
  format: FeedFormat;
  /** File, directory (OSV/CSAF: one JSON document per file) or http(s) URL. */
  source: string;
  /** OVAL only: the release the file covers (`rhel:9`, `debian:12`, `ubuntu:22.04`). */
  release?: string | undefined;
}

export interface ReadFeed { definitions: Definition[]; stats: FeedStats; contentHash: string }

/** A JSON document in an OSV or CSAF feed may not exceed this (the largest real ones are a few MB). */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10 * 60_000;

/** Decompresses by file-name suffix: gzip in process, bzip2 and xz through Debian's commands. */
function decompress(raw: NodeJS.ReadableStream & Readable, name: string): AsyncIterable<Buffer> {
  if (name.endsWith('.gz')) return raw.pipe(createGunzip());
  const tool = name.endsWith('.bz2') ? 'bzip2' : name.endsWith('.xz') ? 'xz' : undefined;
  if (!tool) return raw;
  const child = spawn(tool, ['-dc'], { stdio: ['pipe', 'pipe', 'ignore'] });
  raw.pipe(child.stdin);
  child.on('exit', (code) => { if (code) child.stdout.destroy(new InvalidError(`${name}: ${tool} failed (exit ${code}): not a ${tool} file?`)); });
  return child.stdout;
}

/** The feed's bytes as a stream, decompressed, and a hash of the raw bytes as they are read. */
async function open(location: string): Promise<{ stream: AsyncIterable<Buffer>; hash: ReturnType<typeof createHash> }> {
  const hash = createHash('sha256');
  let raw: Readable;
  if (/^https?:\/\//.test(location)) {
    const res = await fetch(location, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!res.ok || !res.body) throw new InvalidError(`${location}: HTTP ${res.status}`);
    raw = Readable.fromWeb(res.body as NodeWebStream<Uint8Array>);
  } else {
    raw = createReadStream(location);
  }
  // Hash the raw bytes in the pipeline (a 'data' listener would start the flow before the parser reads).
  const hashed = raw.pipe(new Transform({ transform(chunk: Buffer, _enc, done) { hash.update(chunk); done(null, chunk); } }));
  return { stream: decompress(hashed, new URL(location, 'file:///').pathname), hash };
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
  const isUrl = /^https?:\/\//.test(source);
  const files = !isUrl && (await stat(source)).isDirectory()
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

export async function readFeed(spec: FeedSpec): Promise<ReadFeed> {
  if (!/^https?:\/\//.test(spec.source)) await stat(spec.source).catch(() => { throw new InvalidError(`${spec.source}: no such file or directory`); });
  switch (spec.format) {
    case 'oval': {
      if (!spec.release) throw new InvalidError('an OVAL feed needs the release it covers, e.g. rhel:9 or debian:12');
      const { stream, hash } = await open(spec.source);
      const parsed = await parseOval(stream, { release: spec.release });
      return { ...parsed, contentHash: hash.digest('hex') };
    }
    case 'osv': {
      const { docs, hash } = await jsonDocuments(spec.source);
      return { ...parseOsvRecords(docs), contentHash: hash };
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
      return { definitions, stats, contentHash: hash };
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
