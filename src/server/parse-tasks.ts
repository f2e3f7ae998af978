// The parsing that may run on a worker thread (src/server/parse-worker.ts) or, for small
// bodies, inline: the same functions either way. Inputs arrive from a worker message as
// Uint8Array (structured cloning drops the Buffer class), so each one takes bytes.
import { InvalidError } from '../core/errors.js';
import { checkJsonDepth } from '../lib/json-depth/index.js';
import { parseJsonReport, parseProtocol4, parseProtocol5, type HostReport, type ReportedPackage, type ReportLimits } from '../lib/pakiti-report/index.js';
import { parseGocdb, type GocdbLimits, type ParsedGocdb } from '../lib/gocdb/index.js';
import { parseFormBody } from '../modules/patching/intake-form.js';
import { normalizeSet } from '../modules/patching/package-sets.js';

/** vigil.report/1 is three levels deep (report, packages, package); the rest is room for
 *  members a newer agent may add. */
export const REPORT_JSON_MAX_DEPTH = 8;

const bytes = (body: Uint8Array): Buffer => Buffer.from(body.buffer, body.byteOffset, body.byteLength);

export interface ReportInput {
  body: Uint8Array;
  limits: Partial<ReportLimits>;
  contentType?: string | undefined;
}

/** A parsed report whose packages are already in set order, with the id of that set
 *  (undefined when the report carried no package list): sorting and hashing tens of
 *  thousands of packages is parsing work too. */
export interface ParsedReport {
  report: HostReport;
  setId: string | undefined;
}

function withSet(report: HostReport): ParsedReport {
  if (report.packagesMissing) return { report, setId: undefined };
  const set = normalizeSet(report.packager ?? 'unknown', report.packages);
  return { report: { ...report, packages: set.packages }, setId: set.setId };
}

/** A vigil.report/1 body: depth checked before JSON.parse, then the schema. */
export function parseJsonReportBody({ body, limits }: ReportInput): ParsedReport {
  checkJsonDepth(body, REPORT_JSON_MAX_DEPTH);
  let value: unknown;
  try {
    value = JSON.parse(bytes(body).toString('utf8'));
  } catch (err) {
    throw new InvalidError(`the report is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  return withSet(parseJsonReport(value, limits));
}

export const parseProtocol5Body = ({ body, limits }: ReportInput): ParsedReport => withSet(parseProtocol5(bytes(body), limits));

export const parseProtocol4Body = ({ body, limits, contentType }: ReportInput): ParsedReport =>
  withSet(parseProtocol4(parseFormBody(bytes(body), contentType), limits));

/** Packages per message from a worker (see GOCDB_PART_SIZE). */
const PACKAGE_PART_SIZE = 5000;

/** Hands a parsed report's packages out in parts; returns the report without them. */
export async function reportInParts(parsed: ParsedReport, emit: (part: readonly ReportedPackage[]) => Promise<void>): Promise<ParsedReport> {
  const { packages } = parsed.report;
  for (let i = 0; i < packages.length; i += PACKAGE_PART_SIZE) await emit(packages.slice(i, i + PACKAGE_PART_SIZE));
  return { ...parsed, report: { ...parsed.report, packages: [] } };
}

/** Puts the parts of reportInParts back into its result. */
export function joinReportParts(rest: ParsedReport, parts: ReadonlyArray<readonly ReportedPackage[]>): ParsedReport {
  return { ...rest, report: { ...rest.report, packages: parts.flat() } };
}

type GocdbList = 'ngis' | 'sites' | 'endpoints' | 'contacts' | 'skipped';
const GOCDB_LISTS: readonly GocdbList[] = ['ngis', 'sites', 'endpoints', 'contacts', 'skipped'];
export interface GocdbPart {
  list: GocdbList;
  items: unknown[];
}
/** Records per message: each message is decoded on the event loop in one go, so it stays small. */
const GOCDB_PART_SIZE = 1000;

/** Parses a GOCDB document and hands its records out in parts; returns the rest (lists emptied). */
export async function parseGocdbInParts(
  input: { body: Uint8Array; limits: Partial<GocdbLimits> },
  emit: (part: GocdbPart) => Promise<void>,
): Promise<ParsedGocdb> {
  const parsed = await parseGocdb(bytes(input.body), input.limits);
  for (const list of GOCDB_LISTS) {
    const items: unknown[] = parsed[list];
    for (let i = 0; i < items.length; i += GOCDB_PART_SIZE) await emit({ list, items: items.slice(i, i + GOCDB_PART_SIZE) });
    parsed[list] = [];
  }
  return parsed;
}

/** Puts the parts of parseGocdbInParts back into its result. */
export function joinGocdbParts(rest: ParsedGocdb, parts: readonly GocdbPart[]): ParsedGocdb {
  for (const part of parts) (rest[part.list] as unknown[]).push(...part.items);
  return rest;
}
