// A package set is stored as one compressed value, not one row per package: a new set is one
// row write however many packages it holds (1,500 rows in three B-trees made the commit of a
// new set the largest cost of intake). Format: one version byte, then the raw-deflated sorted
// `name\tversion\tarch` lines joined by `\n`. Fields never contain tabs or newlines: the report
// parsers reject control characters and split on blanks.
import { promisify } from 'node:util';
import { deflateRaw, inflateRawSync } from 'node:zlib';
import type { InstalledPackage } from '../../lib/evaluate/index.js';

const FORMAT_V1 = 1;
/** Largest decoded set accepted (a 1,500-package list is ~60 KB): guards against a corrupt row. */
const MAX_DECODED_BYTES = 64 * 1024 * 1024;

const deflateRawAsync = promisify(deflateRaw);

/** Encodes packages that are already sorted and unique (see normalizeSet). Compresses on the
 *  libuv thread pool: a 50,000-package set took a quarter of a second of the event loop. */
export async function encodePackageSet(packages: readonly InstalledPackage[]): Promise<Buffer> {
  const text = packages.map((p) => `${p.name}\t${p.version}\t${p.arch}`).join('\n');
  // Level 1: ~5× smaller at a fraction of the CPU of the default level.
  return Buffer.concat([Buffer.of(FORMAT_V1), await deflateRawAsync(text, { level: 1 })]);
}

export function decodePackageSet(blob: Uint8Array): InstalledPackage[] {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length === 0) return [];
  if (bytes[0] !== FORMAT_V1) throw new Error(`unknown package-set format ${bytes[0]}`);
  const text = inflateRawSync(bytes.subarray(1), { maxOutputLength: MAX_DECODED_BYTES }).toString('utf8');
  if (text === '') return [];
  return text.split('\n').map((line) => {
    const a = line.indexOf('\t');
    const b = line.indexOf('\t', a + 1);
    return { name: line.slice(0, a), version: line.slice(a + 1, b), arch: line.slice(b + 1) };
  });
}
