// Nesting depth of a JSON text, checked before JSON.parse: a body of a few megabytes of `[`
// costs JSON.parse seconds (millions of nested arrays), a linear scan of its bytes
// milliseconds. Brackets inside strings do not count; the scan does not validate the rest.
import { TooLargeError } from '../../core/errors.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * Throws `TooLargeError` naming the offset where a JSON text (UTF-8 bytes or a string) first
 * nests deeper than `maxDepth` arrays and objects. Malformed text is left to JSON.parse.
 *
 * @example
 * checkJsonDepth('{"packages":[{"name":"bash"}]}', 3); // passes: depth 3
 * checkJsonDepth(Buffer.from('[[[[1]]]]'), 3); // throws TooLargeError: JSON nests deeper than 3 levels at offset 3
 */
export function checkJsonDepth(text: Uint8Array | string, maxDepth: number): void {
  // Every character the scan acts on is ASCII, so UTF-16 units and UTF-8 bytes read alike.
  const code = typeof text === 'string' ? (i: number) => text.charCodeAt(i) : (i: number) => text[i]!;
  const length = text.length;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < length; i++) {
    const c = code(i);
    if (inString) {
      if (c === BACKSLASH)
        i++; // the escaped character, whatever it is, ends nothing
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) throw new TooLargeError(`JSON nests deeper than ${maxDepth} levels at offset ${i}`, { offset: i, maxDepth });
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
}
