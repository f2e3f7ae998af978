// GOCDB records over the shared bounded SAX reader (src/lib/xml/bounded-sax.ts): each child of
// the root element is handed back as a small tree, so memory holds one record at a time, never
// the document. The reader refuses hostile input (no DOCTYPE, hence no entity expansion and no
// external entities; undefined entities are saxes errors; every size is bounded).
import { TooLargeError } from '../../core/errors.js';
import { streamXml } from '../xml/bounded-sax.js';
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
export async function readRecords(input: GocdbInput, limits: GocdbLimits, rootName: string, sink: RecordSink): Promise<void> {
  const stack: (XmlNode | undefined)[] = [];
  await streamXml(
    input,
    {
      maxDepth: limits.maxDepth,
      maxElements: limits.maxElements,
      maxTokenChars: limits.maxTextBytes,
      maxBytes: limits.maxBytes,
      maxAttributes: limits.maxAttributes,
    },
    {
      open(name, attrs, line) {
        const depth = stack.length;
        const parent = stack[depth - 1];
        let node: XmlNode | undefined;
        if ((depth === 1 && sink.wants(name)) || (depth > 1 && parent)) {
          node = { name, attrs, text: '', children: [], line };
          parent?.children.push(node);
        }
        stack.push(node);
      },
      text(text) {
        const node = stack[stack.length - 1];
        if (!node || stack.length < 2) return;
        node.text += text;
        if (utf8Length(node.text, limits.maxTextBytes) > limits.maxTextBytes) {
          throw new TooLargeError(`text of <${node.name}> over ${limits.maxTextBytes} bytes at line ${node.line}`);
        }
      },
      close() {
        const node = stack.pop();
        if (node && stack.length === 1) sink.record(node);
      },
    },
    { label: 'GOCDB XML', root: rootName, tokenUnit: 'bytes' },
  );
}
