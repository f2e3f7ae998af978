// Debian archive indexes (`Sources`, `Packages`; deb822 paragraphs, deb822(5)) read as a stream
// of (binary, source) pairs. Debian and Ubuntu vulnerability data name source packages while
// hosts report binary ones; the archive's own index is what ties them.
//
// A paragraph with `Binary:` is a source paragraph (Sources, or a .dsc): its `Package:` (or
// `Source:`) builds every listed binary. Any other paragraph is a binary one (Packages): its
// `Source:`, without the version dpkg may add in parentheses, names the source; without
// `Source:` the source has the binary's name (Debian Policy 5.6.1).
import { InvalidError, TooLargeError } from '../../core/errors.js';

/** A binary package and the source package it is built from. */
export interface SourcePair {
  binary: string;
  source: string;
}

export interface DebianIndexLimits {
  /** Characters in one line (a long `Binary:` field on one line is a few KB). */
  maxLineLength: number;
  /** Characters in one paragraph, continuation lines included (linux's is ~60 KB). */
  maxParagraphLength: number;
  /** Fields in one paragraph (Sources paragraphs have ~25). */
  maxFields: number;
  /** Pairs over the whole index (Debian main: ~70,000 binaries per architecture). */
  maxPairs: number;
  /** Characters over the whole index (Debian main's Packages: ~50 MB). */
  maxLength: number;
}

export const DEBIAN_INDEX_LIMITS: DebianIndexLimits = {
  maxLineLength: 128 * 1024,
  maxParagraphLength: 1024 * 1024,
  maxFields: 256,
  maxPairs: 2_000_000,
  maxLength: 1024 * 1024 * 1024,
};

// Debian Policy 5.6.1 and 5.6.7: lower case letters, digits, `+`, `-`, `.`; starting with a
// letter or digit. Older archives have a few one-letter and upper-case names, which are kept.
const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9+.-]{0,255}$/;
const SOURCE_FIELD = /^(\S+)(?:\s*\(([^()]*)\))?$/;
// deb822(5): a field name is US-ASCII without controls, space or colon, not starting with `#` or `-`.
const FIELD_NAME = /^[!"$-,.-9;-~][!-9;-~]*$/;
const WANTED = new Set(['package', 'binary', 'source']);

interface Paragraph {
  line: number;
  fields: number;
  length: number;
  values: Map<string, string>;
  last: string | undefined;
}

const newParagraph = (line: number): Paragraph => ({ line, fields: 0, length: 0, values: new Map(), last: undefined });

// Messages name the line and the field, never the text: an index may be read from a place the
// requester cannot read, and the message goes back to them (issue 9, hole 7).
function packageName(value: string, field: string, line: number): string {
  if (!PACKAGE_NAME.test(value)) throw new InvalidError(`line ${line}: ${field} holds something that is not a package name`, { line });
  return value;
}

/** The pairs one paragraph gives, each binary once. */
function pairsOf(p: Paragraph): SourcePair[] {
  const pkg = p.values.get('package');
  const binaryField = p.values.get('binary');
  const sourceField = p.values.get('source');
  if (binaryField !== undefined) {
    const source = packageName(pkg ?? sourceField ?? '', pkg !== undefined ? 'Package' : 'Source', p.line);
    const binaries = new Set(
      binaryField
        .split(',')
        .map((b) => b.trim())
        .filter((b) => b.length > 0),
    );
    return [...binaries].map((b) => ({ binary: packageName(b, 'Binary', p.line), source }));
  }
  if (pkg === undefined) throw new InvalidError(`line ${p.line}: paragraph has no Package field: not a Sources or Packages index?`, { line: p.line });
  const binary = packageName(pkg, 'Package', p.line);
  if (sourceField === undefined) return [{ binary, source: binary }];
  const m = SOURCE_FIELD.exec(sourceField);
  if (!m) throw new InvalidError(`line ${p.line}: Source is not "name" or "name (version)"`, { line: p.line });
  return [{ binary, source: packageName(m[1]!, 'Source', p.line) }];
}

async function* lines(chunks: AsyncIterable<string | Uint8Array>, limits: DebianIndexLimits): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  let total = 0;
  const decode = (chunk: string | Uint8Array, last: boolean): string => {
    try {
      return typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: !last });
    } catch {
      throw new InvalidError(`index is not UTF-8 (near character ${total})`, { offset: total });
    }
  };
  for await (const chunk of chunks) {
    const text = decode(chunk, false);
    total += text.length;
    if (total > limits.maxLength) throw new TooLargeError(`index is over ${limits.maxLength} characters`);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const line = carry + text.slice(start, nl);
      carry = '';
      start = nl + 1;
      yield line;
    }
    carry += text.slice(start);
    // A line without an end must not grow without bound while it waits for one.
    if (carry.length > limits.maxLineLength) throw new TooLargeError(`a line is over ${limits.maxLineLength} characters`);
  }
  carry += decode(new Uint8Array(0), true);
  if (carry.length > 0) yield carry;
}

/**
 * Reads a `Sources` or `Packages` index (or several concatenated) as (binary, source) pairs, in
 * the order the paragraphs come. CRLF line ends and whitespace-only separator lines are
 * accepted; comments are not (deb822(5) allows them only in debian/control). Only `Package`,
 * `Binary` and `Source` are kept, so memory holds one paragraph's names at most.
 *
 * @example
 * for await (const { binary, source } of readDebianIndex('Package: openssl\nBinary: openssl, libssl3\n'))
 *   console.log(binary, source); // openssl openssl, then libssl3 openssl
 */
export async function* readDebianIndex(
  chunks: string | AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>,
  limits: Partial<DebianIndexLimits> = {},
): AsyncGenerator<SourcePair> {
  const lim = { ...DEBIAN_INDEX_LIMITS, ...limits };
  const source: AsyncIterable<string | Uint8Array> =
    typeof chunks === 'string'
      ? (async function* () {
          yield chunks;
        })()
      : Symbol.asyncIterator in chunks
        ? chunks
        : (async function* () {
            yield* chunks;
          })();
  let pairs = 0;
  let lineNo = 0;
  let p: Paragraph | undefined;
  const flush = function* (): Generator<SourcePair> {
    if (!p) return;
    const found = pairsOf(p);
    p = undefined;
    pairs += found.length;
    if (pairs > lim.maxPairs) throw new TooLargeError(`index has over ${lim.maxPairs} binary packages`);
    yield* found;
  };
  for await (const raw of lines(source, lim)) {
    lineNo++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.length > lim.maxLineLength) throw new TooLargeError(`line ${lineNo}: over ${lim.maxLineLength} characters`, { line: lineNo });
    if (line.trim().length === 0) {
      yield* flush();
      continue;
    }
    p ??= newParagraph(lineNo);
    p.length += line.length + 1;
    if (p.length > lim.maxParagraphLength)
      throw new TooLargeError(`line ${lineNo}: paragraph from line ${p.line} is over ${lim.maxParagraphLength} characters`, { line: lineNo });
    const first = line.charCodeAt(0);
    if (first === 0x20 || first === 0x09) {
      // A folded field goes on; only the kept ones are worth joining.
      if (p.fields === 0) throw new InvalidError(`line ${lineNo}: continuation line with no field before it`, { line: lineNo });
      if (p.last !== undefined) p.values.set(p.last, `${p.values.get(p.last)!} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon) : '';
    if (!FIELD_NAME.test(name)) {
      throw new InvalidError(`line ${lineNo}: expected "Field: value"`, { line: lineNo });
    }
    if (++p.fields > lim.maxFields) throw new TooLargeError(`line ${lineNo}: paragraph from line ${p.line} has over ${lim.maxFields} fields`, { line: lineNo });
    const key = name.toLowerCase();
    if (WANTED.has(key)) {
      if (p.values.has(key)) throw new InvalidError(`line ${lineNo}: field ${key} repeated in one paragraph`, { line: lineNo });
      p.values.set(key, line.slice(colon + 1).trim());
      p.last = key;
    } else {
      p.last = undefined;
    }
  }
  yield* flush();
}
