// One bounded, streaming SAX driver over saxes for every XML document Vigil reads from outside
// (GOCDB answers, OVAL feeds): input arrives whole or as chunks (the caller decompresses),
// memory holds one token at a time. Hostile input fails early and cleanly: a DOCTYPE is refused
// (so no entity expansion and no external entities), undefined entities are saxes errors,
// bytes must be UTF-8, and depth, element count, attributes per element, token size and total
// size are all limited. Every error is one line naming where it happened.
import { SaxesParser } from 'saxes';
import { InvalidError, TooLargeError } from '../../core/errors.js';

/** Limits on one document. */
export interface XmlLimits {
  /** Deepest element nesting (the root is depth 1). */
  readonly maxDepth: number;
  readonly maxElements: number;
  /** Largest single text node, tag, comment or attribute value, in UTF-16 units. */
  readonly maxTokenChars: number;
  /** Largest document, in bytes (strings are counted as their UTF-8 length). */
  readonly maxBytes: number;
  /** Most attributes on one element; unlimited when absent. */
  readonly maxAttributes?: number;
}

/** What the driver reports. */
export interface XmlHandlers {
  /** An element starts; `line` is where its start tag ends. */
  open(name: string, attrs: Record<string, string>, line: number): void;
  close(name: string): void;
  /** Text or CDATA, possibly in several pieces for one node. */
  text(text: string): void;
}

/** How to read one kind of document. */
export interface XmlOptions {
  /** What the document is, for messages: `feed XML`, `GOCDB XML`. */
  readonly label: string;
  /** The root element's name, when only one is acceptable. */
  readonly root?: string;
  /** Report local names (namespace prefix removed), as OVAL readers want. */
  readonly localNames?: boolean;
  /** The unit named in token-size messages (`characters` by default). */
  readonly tokenUnit?: string;
  /** Checked after every slice written: true stops reading (the rest is not parsed). */
  readonly stop?: () => boolean;
  /**
   * false: messages name positions only, never text of the document (tag names, the declared
   * encoding), for documents whose reader must not learn their content from an error (feeds).
   */
  readonly quoteDocument?: boolean;
}

/** Input: a whole document or the chunks of one, already decompressed. */
export type XmlInput = string | Uint8Array | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** saxes keeps the unfinished token; this much slack past the limit before it is refused. */
const SLACK = 4096;
const SLICE = 64 * 1024;
const UTF8 = /^(?:utf-?8|us-ascii|ascii)$/i;

/**
 * A saxes message without the names and values it quotes (`unclosed tag: x` → `unclosed tag`,
 * `the default namespace may not be set to x.` → `the default namespace may not be set`).
 */
function withoutNames(message: string): string {
  const cut = message
    .split(':')[0]!
    .replace(/ set to .*$/, '')
    .replace(/\.$/, '')
    .slice(0, 80);
  return cut || 'malformed';
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/**
 * Streams `input` through `handlers`. Throws `InvalidError` (malformed XML, DOCTYPE, wrong root,
 * bad UTF-8, non-UTF-8 encoding) or `TooLargeError` (a limit), naming line and column or byte
 * offset. Errors of the caller's own stream propagate unchanged.
 *
 * @example
 * await streamXml(chunks, { maxDepth: 64, maxElements: 1e6, maxTokenChars: 1 << 20, maxBytes: 1 << 30 },
 *   { open: (n) => names.push(n), close() {}, text() {} }, { label: 'feed XML' });
 */
export async function streamXml(input: XmlInput, limits: XmlLimits, handlers: XmlHandlers, options: XmlOptions): Promise<void> {
  const parser = new SaxesParser({ position: true });
  const at = () => `line ${parser.line}, column ${parser.column + 1}`;
  const unit = options.tokenUnit ?? 'characters';
  const local = options.localNames === true;
  const stop = options.stop;
  let depth = 0;
  let elements = 0;
  let attributes = 0;
  let rootSeen = false;
  let lastEvent = 0;
  const mark = () => {
    lastEvent = parser.position;
  };

  const quote = options.quoteDocument !== false;
  parser.on('error', (err) => {
    // saxes prefixes "line:column: "; restate it in our words, on one line.
    const m = /^(\d+):(\d+): ([^\n]*)/.exec(err.message);
    const reason = quote ? (m?.[3] ?? err.message.split('\n')[0]!) : withoutNames(m?.[3] ?? '');
    throw new InvalidError(m ? `invalid XML at line ${m[1]}, column ${Number(m[2]) + 1}: ${reason}` : `invalid XML: ${reason}`);
  });
  parser.on('doctype', () => {
    throw new InvalidError(`DOCTYPE is not allowed (no DTDs or entities in ${options.label}) at ${at()}`);
  });
  parser.on('xmldecl', (decl) => {
    mark();
    if (decl.encoding !== undefined && !UTF8.test(decl.encoding)) {
      throw new InvalidError(`unsupported encoding${quote ? ` "${decl.encoding}"` : ''} (${options.label} is UTF-8) at ${at()}`);
    }
  });
  parser.on('comment', mark);
  parser.on('processinginstruction', mark);
  parser.on('opentagstart', (tag) => {
    mark();
    attributes = 0;
    if (++elements > limits.maxElements) throw new TooLargeError(`more than ${limits.maxElements} elements at ${at()}`);
    if (++depth > limits.maxDepth) throw new TooLargeError(`elements nested deeper than ${limits.maxDepth} at ${at()}`);
    if (depth === 1 && options.root !== undefined) {
      if (rootSeen || tag.name !== options.root)
        throw new InvalidError(`root element is ${quote ? `<${tag.name}>` : 'another'}, expected <${options.root}> at ${at()}`);
      rootSeen = true;
    }
  });
  const maxAttributes = limits.maxAttributes;
  if (maxAttributes !== undefined) {
    parser.on('attribute', () => {
      if (++attributes > maxAttributes) throw new TooLargeError(`more than ${maxAttributes} attributes on one element at ${at()}`);
    });
  }
  parser.on('opentag', (tag) => {
    mark();
    handlers.open(local ? localName(tag.name) : tag.name, tag.attributes as Record<string, string>, parser.line);
  });
  // saxes reports a self-closing element as an opentag followed by a closetag.
  parser.on('closetag', (tag) => {
    mark();
    depth--;
    handlers.close(local ? localName(tag.name) : tag.name);
  });
  const text = (t: string) => {
    mark();
    if (t.length > limits.maxTokenChars) throw new TooLargeError(`a text node over ${limits.maxTokenChars} ${unit} at ${at()}`);
    handlers.text(t);
  };
  parser.on('text', text);
  parser.on('cdata', text);

  let stopped = false;
  const write = (s: string) => {
    for (let i = 0; i < s.length && !stopped; i += SLICE) {
      parser.write(i === 0 && s.length <= SLICE ? s : s.slice(i, i + SLICE));
      // saxes keeps an unfinished token in memory: a giant text, tag or comment must stop here.
      if (parser.position - lastEvent > limits.maxTokenChars + SLACK)
        throw new TooLargeError(`a single text, tag or comment is over ${limits.maxTokenChars} ${unit} at ${at()}`);
      if (stop?.()) stopped = true;
    }
  };
  let bytes = 0;
  const count = (n: number) => {
    bytes += n;
    if (bytes > limits.maxBytes) throw new TooLargeError(`document is over ${limits.maxBytes} bytes`);
  };
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const decode = (chunk: Uint8Array, stream: boolean) => {
    try {
      return decoder.decode(chunk, { stream });
    } catch {
      throw new InvalidError(`invalid UTF-8 in bytes ${bytes - chunk.length}–${bytes}, after ${at()}`);
    }
  };

  if (typeof input === 'string') {
    count(Buffer.byteLength(input, 'utf8'));
    write(input);
  } else if (input instanceof Uint8Array) {
    count(input.length);
    write(decode(input, false));
  } else {
    for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
      if (typeof chunk === 'string') {
        count(Buffer.byteLength(chunk, 'utf8'));
        write(chunk);
      } else {
        count(chunk.length);
        write(decode(chunk, true));
      }
      // Leaving the loop closes the caller's stream: the rest is never read.
      if (stopped) return;
    }
    write(decode(new Uint8Array(0), false));
  }
  if (!stopped) parser.close();
}

/**
 * A copy of `s` that shares no memory with the text it was cut from. saxes builds names,
 * attribute values and text as slices of the chunk being parsed, and V8 keeps a whole chunk
 * alive for as long as one slice of it is referenced; anything kept past its event (ids in a
 * table, interned names) must be detached or it pins the document in memory.
 *
 * @example
 * table.set(detach(attrs.id), value);
 */
export function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1);
}

/** A string pool whose entries are detached copies (see `detach`). */
export interface DetachingInterner {
  (s: string): string;
  readonly size: number;
  /** The pooled copy of `s`, or undefined: looks up without adding. */
  known(s: string): string | undefined;
}

/**
 * Creates a string pool for strings read from XML: the first occurrence is stored detached, and
 * every later equal string returns that copy.
 *
 * @example
 * const intern = createDetachingInterner(); intern(attrs.test_ref ?? '');
 */
export function createDetachingInterner(): DetachingInterner {
  const pool = new Map<string, string>();
  const intern = (s: string): string => {
    const hit = pool.get(s);
    if (hit !== undefined) return hit;
    const copy = detach(s);
    pool.set(copy, copy);
    return copy;
  };
  Object.defineProperty(intern, 'size', { get: () => pool.size });
  Object.defineProperty(intern, 'known', { value: (s: string) => pool.get(s) });
  return intern as DetachingInterner;
}
