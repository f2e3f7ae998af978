// A package set is stored as one compressed value, not one row per package: a new set is one
// row write however many packages it holds (1,500 rows in three B-trees made the commit of a
// new set the largest cost of intake). Format: one version byte, then the raw-deflated sorted
// `name\tversion\tarch` lines joined by `\n`. Fields never contain tabs or newlines: the report
// parsers reject control characters and split on blanks.
import { promisify } from 'node:util';
import { deflateRaw, inflateRaw, inflateRawSync } from 'node:zlib';
import type { InstalledPackage } from '../../lib/evaluate/index.js';

const FORMAT_V1 = 1;
/** Largest decoded set accepted (a 1,500-package list is ~60 KB): guards against a corrupt row. */
const MAX_DECODED_BYTES = 64 * 1024 * 1024;

const deflateRawAsync = promisify(deflateRaw);
const inflateRawAsync = promisify(inflateRaw);

/** Encodes packages that are already sorted and unique (see normalizeSet). Compresses on the
 *  libuv thread pool: a 50,000-package set took a quarter of a second of the event loop. */
export async function encodePackageSet(packages: readonly InstalledPackage[]): Promise<Buffer> {
  const text = packages.map((p) => `${p.name}\t${p.version}\t${p.arch}`).join('\n');
  // Level 1: ~5× smaller at a fraction of the CPU of the default level.
  return Buffer.concat([Buffer.of(FORMAT_V1), await deflateRawAsync(text, { level: 1 })]);
}

/** The deflated part of a stored set (empty for an empty set); throws on an unknown format. */
function deflated(blob: Uint8Array): Buffer | undefined {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length === 0) return undefined;
  if (bytes[0] !== FORMAT_V1) throw new Error(`unknown package-set format ${bytes[0]}`);
  return bytes.subarray(1);
}

/** A set's `name\tversion\tarch` lines, inflated on the libuv thread pool, for readers that
 *  cut the text themselves without holding the event loop (package-search.ts). */
export async function packageSetText(blob: Uint8Array): Promise<Buffer> {
  const body = deflated(blob);
  return body ? inflateRawAsync(body, { maxOutputLength: MAX_DECODED_BYTES }) : Buffer.alloc(0);
}

/** Decodes a set, inflating it on the calling thread (a loop over many sets; see readPackageSet). */
export function decodePackageSet(blob: Uint8Array): InstalledPackage[] {
  const body = deflated(blob);
  return body ? toPackages(inflateRawSync(body, { maxOutputLength: MAX_DECODED_BYTES }).toString('utf8')) : [];
}

/** Decodes one set with the inflating on the libuv thread pool: a 50,000-package set held the
 *  event loop ~20 ms inflating, and any request may read one (a host page, an evaluation). */
export async function readPackageSet(blob: Uint8Array): Promise<InstalledPackage[]> {
  return toPackages((await packageSetText(blob)).toString('utf8'));
}

function toPackages(text: string): InstalledPackage[] {
  if (text === '') return [];
  return text.split('\n').map((line) => {
    const a = line.indexOf('\t');
    const b = line.indexOf('\t', a + 1);
    return { name: line.slice(0, a), version: line.slice(a + 1, b), arch: line.slice(b + 1) };
  });
}
