// Reading an OVAL definitions file (Red Hat / AlmaLinux rpminfo, Debian / Ubuntu dpkginfo)
// into the normalized form, streaming, with limits.
//
// OVAL puts <definitions> first and the <tests>, <objects>, <states> and <variables> they refer
// to after them. Given a source that can be opened again, the reader makes two passes: the first
// reads only those tables (compact, interned, detached from the parsed text), the second reads
// definitions one at a time, normalizes each as soon as it closes and hands it to the caller,
// and stops at </definitions>. Memory then holds the tables and one definition, never the
// definitions read so far (unless the caller keeps them). A one-shot stream is read once, with
// the raw definitions held until the tables arrive.
import { createFeedStats } from '../vuln-model/stats.js';
import type { Definition, FeedStats, ParsedFeed } from '../vuln-model/types.js';
import { createDetachingInterner, detach, streamXml, type XmlInput, type XmlLimits, type XmlOptions } from '../xml/bounded-sax.js';
import { collectOval, emptyTables, type RawDefinition } from './collect.js';
import { normalizeDefinition, type OvalContext } from './normalize.js';

/** Limits sized for the largest real OVAL files (Ubuntu's are ~500 MB unpacked). */
export const OVAL_LIMITS: XmlLimits = {
  maxDepth: 64,
  maxElements: 20_000_000,
  maxTokenChars: 4 * 1024 * 1024,
  maxBytes: 1024 * 1024 * 1024,
};

const OVAL_XML: XmlOptions = { label: 'feed XML', localNames: true };

/** A document that can be read again: each call returns a fresh stream of the same bytes. */
export type OvalReopen = () => XmlInput | Promise<XmlInput>;

/** A whole document, a one-shot stream of one, or a way to open it as often as needed. */
export type OvalSource = XmlInput | OvalReopen;

/** How to read one OVAL file, and where its definitions go. */
export interface OvalReadOptions extends OvalContext {
  /**
   * Receives each normalized definition as soon as it is read; the result's `definitions` is
   * then empty. Without it, definitions are collected into the result.
   */
  readonly onDefinition?: (definition: Definition) => void;
}

/**
 * Parses an OVAL definitions document. Pass a function that opens the file (`() =>
 * createReadStream(path)`) and an `onDefinition` callback to read a file of any size in memory
 * that does not grow with its definitions; strings, bytes and one-shot streams are read in one
 * pass. Throws `InvalidError` or `TooLargeError` naming the position.
 *
 * @example
 * const feed = await parseOval(() => createReadStream('rhel-9.oval.xml'), { release: 'rhel:9', onDefinition: (d) => out.write(d) });
 * feed.stats.definitions; // 14,416
 * const small = await parseOval(xmlString, { release: 'rhel:9' });
 * small.definitions[0]?.affected[0]; // { release: 'rhel:9', package: 'openssl', fixed: '1:3.0.7-27.el9', ... }
 */
export async function parseOval(input: OvalSource, ctx: OvalReadOptions, limits: XmlLimits = OVAL_LIMITS): Promise<ParsedFeed> {
  const stats = createFeedStats();
  const definitions: Definition[] = [];
  const emit = ctx.onDefinition ?? ((d: Definition) => void definitions.push(d));
  if (typeof input === 'function') await twoPasses(input, ctx, limits, stats, emit);
  else await onePass(input, ctx, limits, stats, emit);
  return { definitions, stats };
}

async function twoPasses(open: OvalReopen, ctx: OvalContext, limits: XmlLimits, stats: FeedStats, emit: (d: Definition) => void): Promise<void> {
  const tables = emptyTables();
  // Pass 1 reads (and validates) the whole document, keeping only the tables.
  await streamXml(await open(), limits, collectOval(tables, createDetachingInterner(), { tables: true }), OVAL_XML);
  // Pass 2 keeps nothing per definition beyond the one being read: its strings are detached
  // copies that go with it, and the pool of pass 1 (table ids) is dropped; only the handful of
  // repeated words (class, severity, reference source) is pooled.
  const onDefinition = (raw: RawDefinition) => {
    const d = normalizeDefinition(raw, tables, ctx, stats);
    if (d) emit(d);
  };
  const collector = collectOval(tables, createDetachingInterner(), { tables: false, onDefinition, keep: detach });
  await streamXml(await open(), limits, collector, { ...OVAL_XML, stop: collector.done });
}

async function onePass(input: XmlInput, ctx: OvalContext, limits: XmlLimits, stats: FeedStats, emit: (d: Definition) => void): Promise<void> {
  const tables = emptyTables();
  await streamXml(input, limits, collectOval(tables, createDetachingInterner(), { onDefinition: (d) => tables.definitions.push(d) }), OVAL_XML);
  for (const raw of tables.definitions) {
    const d = normalizeDefinition(raw, tables, ctx, stats);
    if (d) emit(d);
  }
}
