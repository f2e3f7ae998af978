// A bounded, streaming SAX driver over saxes for feed files of any size: input arrives as
// chunks (the caller decompresses), memory holds one token at a time. Hostile input fails
// early and cleanly: a DOCTYPE is refused (so no entity expansion and no external entities),
// undefined entities are saxes errors, bytes must be UTF-8, and depth, element count, token
// size and total size are all limited.
import { SaxesParser } from 'saxes';
import { InvalidError, TooLargeError } from '../../core/errors.js';

/** Limits on one document. */
export interface SaxLimits {
  /** Deepest element nesting. */
  readonly maxDepth: number;
  readonly maxElements: number;
  /** Largest single text node, tag, comment or attribute value, in characters. */
  readonly maxTokenChars: number;
  /** Largest document, in bytes. */
  readonly maxBytes: number;
}

/** What the driver reports; names are local names (namespace prefix removed). */
export interface SaxHandlers {
  open(name: string, attrs: Record<string, string>): void;
  close(name: string): void;
  text(text: string): void;
}

/** Input: a whole document or the chunks of one, already decompressed. */
export type XmlInput = string | Uint8Array | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

const SLICE = 64 * 1024;
const UTF8 = /^(?:utf-?8|us-ascii|ascii)$/i;

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * Streams `input` through `handlers`. Throws `InvalidError` (malformed XML, DOCTYPE, bad UTF-8,
 * non-UTF-8 encoding) or `TooLargeError` (a limit), naming line and column or byte offset.
 *
 * @example
 * await streamXml(chunks, limits, { open: (n) => names.push(n), close() {}, text() {} });
 */
export async function streamXml(input: XmlInput, limits: SaxLimits, handlers: SaxHandlers): Promise<void> {
  const parser = new SaxesParser({ position: true });
  const at = () => `line ${parser.line}, column ${parser.column + 1}`;
  let depth = 0;
  let elements = 0;
  let lastEvent = 0;
  const mark = () => {
    lastEvent = parser.position;
  };

  parser.on('error', (err) => {
    const m = /^(\d+):(\d+): ([^\n]*)/.exec(err.message);
    throw new InvalidError(m ? `invalid XML at line ${m[1]}, column ${Number(m[2]) + 1}: ${m[3]}` : `invalid XML: ${err.message.split('\n')[0]}`);
  });
  parser.on('doctype', () => {
    throw new InvalidError(`DOCTYPE is not allowed (no DTDs or entities in feed XML) at ${at()}`);
  });
  parser.on('xmldecl', (decl) => {
    if (decl.encoding !== undefined && !UTF8.test(decl.encoding)) throw new InvalidError(`unsupported encoding '${decl.encoding}' at ${at()}: feeds are UTF-8`);
  });
  parser.on('comment', mark);
  parser.on('processinginstruction', mark);
  parser.on('opentag', (tag) => {
    mark();
    if (++elements > limits.maxElements) throw new TooLargeError(`more than ${limits.maxElements} elements at ${at()}`);
    if (++depth > limits.maxDepth) throw new TooLargeError(`elements nested deeper than ${limits.maxDepth} at ${at()}`);
    handlers.open(localName(tag.name), tag.attributes as Record<string, string>);
  });
  // saxes reports a self-closing element as an opentag followed by a closetag.
  parser.on('closetag', (tag) => {
    mark();
    depth--;
    handlers.close(localName(tag.name));
  });
  const text = (t: string) => {
    mark();
    if (t.length > limits.maxTokenChars) throw new TooLargeError(`a text node over ${limits.maxTokenChars} characters at ${at()}`);
    handlers.text(t);
  };
  parser.on('text', text);
  parser.on('cdata', text);

  const write = (s: string) => {
    for (let i = 0; i < s.length; i += SLICE) {
      parser.write(i === 0 && s.length <= SLICE ? s : s.slice(i, i + SLICE));
      // saxes keeps an unfinished token in memory: a giant text, tag or comment must stop here.
      if (parser.position - lastEvent > limits.maxTokenChars + SLICE) throw new TooLargeError(`a single text, tag or comment over ${limits.maxTokenChars} characters at ${at()}`);
    }
  };
  let bytes = 0;
  const count = (n: number) => {
    bytes += n;
    if (bytes > limits.maxBytes) throw new TooLargeError(`document over ${limits.maxBytes} bytes`);
  };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk: Uint8Array, stream: boolean) => {
    try {
      return decoder.decode(chunk, { stream });
    } catch {
      throw new InvalidError(`invalid UTF-8 within bytes ${bytes - chunk.length}-${bytes} (after ${at()})`);
    }
  };

  if (typeof input === 'string') {
    count(input.length);
    write(input);
  } else if (input instanceof Uint8Array) {
    count(input.length);
    write(decode(input, false));
  } else {
    for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
      if (typeof chunk === 'string') {
        count(chunk.length);
        write(chunk);
      } else {
        count(chunk.length);
        write(decode(chunk, true));
      }
    }
    write(decode(new Uint8Array(0), false));
  }
  parser.close();
}
