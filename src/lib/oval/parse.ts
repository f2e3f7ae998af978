// Reading an OVAL definitions file (Red Hat / AlmaLinux rpminfo, Debian / Ubuntu dpkginfo)
// into the normalized form, streaming, with limits.
import { createInterner } from '../vuln-model/intern.js';
import { createFeedStats } from '../vuln-model/stats.js';
import type { ParsedFeed } from '../vuln-model/types.js';
import { streamXml, type SaxLimits, type XmlInput } from './bounded-sax.js';
import { collectOval, emptyTables } from './collect.js';
import { normalizeOval, type OvalContext } from './normalize.js';

/** Limits sized for the largest real OVAL files (Ubuntu's are ~500 MB unpacked). */
export const OVAL_LIMITS: SaxLimits = {
  maxDepth: 64,
  maxElements: 20_000_000,
  maxTokenChars: 4 * 1024 * 1024,
  maxBytes: 1024 * 1024 * 1024,
};

/**
 * Parses an OVAL definitions document, given whole or as chunks (decompressed by the caller).
 * Throws `InvalidError` or `TooLargeError` naming the position.
 *
 * @example
 * const feed = await parseOval(createReadStream('rhel-9.oval.xml'), { release: 'rhel:9' });
 * feed.definitions[0]?.affected[0]; // { release: 'rhel:9', package: 'openssl', fixed: '1:3.0.7-27.el9', ... }
 */
export async function parseOval(input: XmlInput, ctx: OvalContext, limits: SaxLimits = OVAL_LIMITS): Promise<ParsedFeed> {
  const tables = emptyTables();
  await streamXml(input, limits, collectOval(tables, createInterner()));
  const stats = createFeedStats();
  const definitions = normalizeOval(tables, ctx, stats);
  return { definitions, stats };
}
