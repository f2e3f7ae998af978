// Parsing uploads without stalling the server: a body up to `inlineMaxBytes` is parsed on the
// event loop (a few milliseconds at most), a larger one on the worker pool. Dev (tsx) runs the
// worker's .ts source, the build its .js, both found next to this module.
import { availableParallelism } from 'node:os';
import type { ReportedPackage, ReportLimits } from '../lib/pakiti-report/index.js';
import type { GocdbLimits, ParsedGocdb } from '../lib/gocdb/index.js';
import { createWorkerPool, type WorkerPool } from './worker-pool.js';
import { parseGocdb } from '../lib/gocdb/index.js';
import {
  joinGocdbParts,
  joinReportParts,
  parseJsonReportBody,
  parseProtocol4Body,
  parseProtocol5Body,
  type GocdbPart,
  type ParsedReport,
  type ReportInput,
} from './parse-tasks.js';

export interface ParserOptions {
  /** Largest body parsed on the event loop; 128 KiB parses in a few ms (a real host report: 50-150 KB). */
  inlineMaxBytes?: number;
  workers?: number;
  /** Uploads waiting for a worker before new ones are refused with 503. */
  maxQueue?: number;
  reportTimeoutMs?: number;
  gocdbTimeoutMs?: number;
}

export interface Parsers {
  readonly inlineMaxBytes: number;
  jsonReport(body: Buffer, limits: Partial<ReportLimits>): Promise<ParsedReport>;
  protocol5(body: Buffer, limits: Partial<ReportLimits>): Promise<ParsedReport>;
  protocol4(body: Buffer, contentType: string | undefined, limits: Partial<ReportLimits>): Promise<ParsedReport>;
  gocdb(body: Buffer, limits: Partial<GocdbLimits>): Promise<ParsedGocdb>;
  load: WorkerPool['load'];
  close(): Promise<void>;
}

const ext = new URL(import.meta.url).pathname.endsWith('.ts') ? 'ts' : 'js';
export const PARSE_WORKER_FILE = new URL(`./parse-worker.${ext}`, import.meta.url);

/** The body's bytes as a message transfers them: its own memory when it owns all of it, else a copy. */
function movable(body: Buffer): { bytes: Uint8Array; transfer: ArrayBuffer[] } {
  const owns = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer;
  const bytes = owns ? body : new Uint8Array(body);
  return { bytes, transfer: [bytes.buffer as ArrayBuffer] };
}

export function createParsers(options: ParserOptions = {}): Parsers {
  const inlineMaxBytes = options.inlineMaxBytes ?? 128 * 1024;
  const reportTimeoutMs = options.reportTimeoutMs ?? 20_000;
  const gocdbTimeoutMs = options.gocdbTimeoutMs ?? 120_000;
  const pool = createWorkerPool({
    file: PARSE_WORKER_FILE,
    size: options.workers ?? Math.min(2, availableParallelism()),
    maxQueue: options.maxQueue ?? 8,
    // A hostile body may be as costly as its limit allows, never more than this heap.
    resourceLimits: { maxOldGenerationSizeMb: 768 },
  });

  async function report(task: string, parse: (input: ReportInput) => ParsedReport, body: Buffer, limits: Partial<ReportLimits>, contentType?: string) {
    if (body.length <= inlineMaxBytes) return parse({ body, limits, contentType });
    const { bytes, transfer } = movable(body);
    const { result, parts } = await pool.run<ParsedReport>(task, { body: bytes, limits, contentType }, { timeoutMs: reportTimeoutMs, transfer });
    return joinReportParts(result, parts as ReportedPackage[][]);
  }

  return {
    inlineMaxBytes,
    jsonReport: (body, limits) => report('report:json', parseJsonReportBody, body, limits),
    protocol5: (body, limits) => report('report:protocol5', parseProtocol5Body, body, limits),
    protocol4: (body, contentType, limits) => report('report:protocol4', parseProtocol4Body, body, limits, contentType),
    async gocdb(body, limits) {
      if (body.length <= inlineMaxBytes) return parseGocdb(body, limits);
      const { bytes, transfer } = movable(body);
      const { result, parts } = await pool.run<ParsedGocdb>('gocdb', { body: bytes, limits }, { timeoutMs: gocdbTimeoutMs, transfer });
      return joinGocdbParts(result, parts as GocdbPart[]);
    },
    load: () => pool.load(),
    close: () => pool.close(),
  };
}
