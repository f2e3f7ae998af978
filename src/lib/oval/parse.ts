// Reading an OVAL definitions file (Red Hat / AlmaLinux rpminfo, Debian / Ubuntu dpkginfo)
// into the normalized form, streaming, with limits.
//
// OVAL puts <definitions> first and the <tests>, <objects>, <states> and <variables> they refer
// to after them. Given a source that can be opened again, the reader makes two passes: the first
// puts only those tables into a store, the second reads definitions one at a time, normalizes
// each as soon as it closes (looking its tests up in the store) and hands it to the caller, and
// stops at </definitions>. Memory then holds one definition, never the definitions read so far
// (unless the caller keeps them), plus whatever the store keeps in memory: all the tables for
// the default Map store, a bounded cache for a store on disk. A one-shot stream is read once,
// with the raw definitions held until the tables arrive.
import { createFeedStats } from '../vuln-model/stats.js';
import type { Definition, FeedStats, ParsedFeed } from '../vuln-model/types.js';
import { createDetachingInterner, detach, streamXml, type XmlInput, type XmlLimits, type XmlOptions } from '../xml/bounded-sax.js';
import { collectOval, type RawDefinition } from './collect.js';
import { normalizeDefinition, type OvalContext } from './normalize.js';
import { createMemoryTableStore, type OvalTableStore } from './store.js';

/** Limits sized for the largest real OVAL files (Ubuntu's are ~500 MB unpacked). */
export const OVAL_LIMITS: XmlLimits = {
  maxDepth: 64,
  maxElements: 20_000_000,
  maxTokenChars: 4 * 1024 * 1024,
  maxBytes: 1024 * 1024 * 1024,
};

// A feed's errors are shown to the CSIRT: they name positions, never text of the file.
const OVAL_XML: XmlOptions = { label: 'feed XML', localNames: true, quoteDocument: false };

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
  /**
   * Where the tests, objects, states and variables are held between reading and lookup; a Map
   * per table by default. The caller owns it (and deletes whatever it wrote).
   */
  readonly store?: OvalTableStore;
}

/**
 * Parses an OVAL definitions document. Pass a function that opens the file (`() =>
 * createReadStream(path)`) and an `onDefinition` callback to read a file in memory that does not
 * grow with its definitions, and a `store` on disk as well for memory that does not grow with
 * the file at all; strings, bytes and one-shot streams are read in one pass. Throws
 * `InvalidError` or `TooLargeError` naming the position.
 *
 * @example
 * const feed = await parseOval(() => createReadStream('rhel-9.oval.xml'), { release: 'rhel:9', store: diskStore, onDefinition: (d) => out.write(d) });
 * feed.stats.definitions; // 14,416
 * const small = await parseOval(xmlString, { release: 'rhel:9' });
 * small.definitions[0]?.affected[0]; // { release: 'rhel:9', package: 'openssl', fixed: '1:3.0.7-27.el9', ... }
 */
export async function parseOval(input: OvalSource, ctx: OvalReadOptions, limits: XmlLimits = OVAL_LIMITS): Promise<ParsedFeed> {
  const stats = createFeedStats();
  const definitions: Definition[] = [];
  const emit = ctx.onDefinition ?? ((d: Definition) => void definitions.push(d));
  const store = ctx.store ?? createMemoryTableStore();
  // Inventory definitions ("Ubuntu 22.04 is installed") as logic, for extend_definition.
  const read: OvalContext = { ...ctx, inventory: new Map() };
  if (typeof input === 'function') await twoPasses(input, store, read, limits, stats, emit);
  else await onePass(input, store, read, limits, stats, emit);
  return { definitions, stats };
}

type Emit = (d: Definition) => void;

async function twoPasses(open: OvalReopen, store: OvalTableStore, ctx: OvalContext, limits: XmlLimits, stats: FeedStats, emit: Emit): Promise<void> {
  // Pass 1 reads (and validates) the whole document, putting only the tables into the store.
  await streamXml(await open(), limits, collectOval(createDetachingInterner(), { store }), OVAL_XML);
  store.flush();
  // Pass 2 keeps nothing per definition beyond the one being read: its strings are detached
  // copies that go with it; only the handful of repeated words (class, severity, reference
  // source) is pooled.
  const onDefinition = (raw: RawDefinition) => {
    const d = normalizeDefinition(raw, store, ctx, stats);
    if (d) emit(d);
  };
  const collector = collectOval(createDetachingInterner(), { onDefinition, keep: detach });
  await streamXml(await open(), limits, collector, { ...OVAL_XML, stop: collector.done });
}

async function onePass(input: XmlInput, store: OvalTableStore, ctx: OvalContext, limits: XmlLimits, stats: FeedStats, emit: Emit): Promise<void> {
  const raws: RawDefinition[] = [];
  await streamXml(input, limits, collectOval(createDetachingInterner(), { store, onDefinition: (d) => raws.push(d) }), OVAL_XML);
  store.flush();
  for (const raw of raws) {
    const d = normalizeDefinition(raw, store, ctx, stats);
    if (d) emit(d);
  }
}
