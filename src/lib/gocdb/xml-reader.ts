// A bounded, streaming XML reader: it feeds saxes chunk by chunk and hands back each child of the
// root element as a small tree, so memory holds one record at a time, never the document.
// Hostile input is refused before it costs much: no DOCTYPE (hence no entity expansion and no
// external entities), undefined entities are saxes errors, and every size is bounded.
import { SaxesParser } from 'saxes';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import type { GocdbInput, GocdbLimits } from './types.js';

/** One element of a record: its attributes, its own trimmed-later text, and its children. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlNode[];
  line: number;
}

export interface RecordSink {
  /** Whether to build a tree for this child of the root; false skips its subtree cheaply. */
  wants(name: string): boolean;
  record(node: XmlNode): void;
}

export const DEFAULT_LIMITS: GocdbLimits = {
  maxDepth: 32,
  maxElements: 2_000_000,
  maxTextBytes: 64 * 1024,
  maxBytes: 64 * 1024 * 1024,
  maxAttributes: 32,
};

const CHUNK_CHARS = 64 * 1024;
const UTF8 = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

function utf8Length(text: string, limit: number): number {
  // Cheap upper bound first: no UTF-16 unit takes more than 3 UTF-8 bytes.
  return text.length * 3 <= limit ? text.length : Buffer.byteLength(text, 'utf8');
}

/**
 * Reads an XML document whose root is `rootName` and passes each child of the root to `sink`.
 * Throws InvalidError (malformed, DOCTYPE, wrong root, bad UTF-8) or TooLargeError (a limit).
 *
 * @example
 *   await readRecords('<results><NGI NAME="NGI_X"/></results>', DEFAULT_LIMITS, 'results',
 *     { wants: () => true, record: (n) => names.push(n.name) });
 */
export async function readRecords(input: GocdbInput, limits: GocdbLimits, rootName: string,
  sink: RecordSink): Promise<void> {
  const parser = new SaxesParser({ position: true });
  const where = () => `line ${parser.line}, column ${parser.column + 1}`;
  const stack: (XmlNode | undefined)[] = [];
  let elements = 0;
  let attributes = 0;
  let lastEventAt = 0;
  let rootSeen = false;
  const touch = () => { lastEventAt = parser.position; };

  parser.on('error', (err) => {
    // saxes prefixes "line:column: "; restate it in our words, one line.
    const m = /^(\d+):(\d+): (.*)$/s.exec(err.message);
    const msg = m ? `line ${m[1]}, column ${Number(m[2]) + 1}: ${m[3]}` : err.message;
    throw new InvalidError(`invalid XML at ${msg}`.split('\n')[0] ?? 'invalid XML');
  });
  parser.on('doctype', () => {
    throw new InvalidError(`DOCTYPE is not allowed (no DTDs or entities in GOCDB XML) at ${where()}`);
  });
  parser.on('xmldecl', (decl) => {
    if (decl.encoding !== undefined && !UTF8.has(decl.encoding.toLowerCase())) {
      throw new InvalidError(`unsupported encoding "${decl.encoding}" (GOCDB XML is UTF-8) at ${where()}`);
    }
  });
  parser.on('comment', touch);
  parser.on('processinginstruction', touch);
  parser.on('opentagstart', (tag) => {
    touch();
    attributes = 0;
    if (++elements > limits.maxElements) {
      throw new TooLargeError(`more than ${limits.maxElements} elements at ${where()}`);
    }
    if (stack.length + 1 > limits.maxDepth) {
      throw new TooLargeError(`elements nested deeper than ${limits.maxDepth} at ${where()}`);
    }
    if (stack.length === 0) {
      if (rootSeen || tag.name !== rootName) {
        throw new InvalidError(`root element is <${tag.name}>, expected <${rootName}> at ${where()}`);
      }
      rootSeen = true;
    }
  });
  parser.on('attribute', () => {
    if (++attributes > limits.maxAttributes) {
      throw new TooLargeError(`more than ${limits.maxAttributes} attributes on one element at ${where()}`);
    }
  });
  parser.on('opentag', (tag) => {
    touch();
    const depth = stack.length;
    const parent = stack[depth - 1];
    let node: XmlNode | undefined;
    if ((depth === 1 && sink.wants(tag.name)) || (depth > 1 && parent)) {
      node = { name: tag.name, attrs: tag.attributes as Record<string, string>, text: '', children: [],
        line: parser.line };
      parent?.children.push(node);
    }
    stack.push(node);
  });
  const addText = (text: string) => {
    touch();
    const node = stack[stack.length - 1];
    if (!node || stack.length < 2) return;
    node.text += text;
    if (utf8Length(node.text, limits.maxTextBytes) > limits.maxTextBytes) {
      throw new TooLargeError(`text of <${node.name}> over ${limits.maxTextBytes} bytes at ${where()}`);
    }
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    touch();
    const node = stack.pop();
    if (node && stack.length === 1) sink.record(node);
  });

  let bytes = 0;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const feed = (text: string) => {
    for (let i = 0; i < text.length; i += CHUNK_CHARS) {
      parser.write(text.slice(i, i + CHUNK_CHARS));
      // saxes buffers a token until it ends: a giant text, tag or comment would grow unseen.
      if (parser.position - lastEventAt > limits.maxTextBytes + 4096) {
        throw new TooLargeError(`a single text, tag or comment is over ${limits.maxTextBytes} bytes at ${where()}`);
      }
    }
  };
  const count = (n: number) => {
    bytes += n;
    if (bytes > limits.maxBytes) throw new TooLargeError(`document is over ${limits.maxBytes} bytes`);
  };
  const decode = (chunk: Uint8Array, stream: boolean): string => {
    try {
      return decoder.decode(chunk, { stream });
    } catch {
      throw new InvalidError(`invalid UTF-8 in bytes ${bytes - chunk.length}–${bytes}, after ${where()}`);
    }
  };

  // Errors of the caller's own stream (a network failure) propagate unchanged.
  if (typeof input === 'string') {
    count(Buffer.byteLength(input, 'utf8'));
    feed(input);
  } else if (input instanceof Uint8Array) {
    count(input.length);
    feed(decode(input, false));
  } else {
    for await (const chunk of input) {
      if (typeof chunk === 'string') {
        count(Buffer.byteLength(chunk, 'utf8'));
        feed(chunk);
      } else {
        count(chunk.length);
        feed(decode(chunk, true));
      }
    }
    feed(decode(new Uint8Array(0), false));
  }
  parser.close();
}
