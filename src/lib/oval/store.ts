// Where the OVAL reader keeps the tests, objects, states and constant variables that
// definitions refer to. They come after the definitions in the file, so they must be held
// somewhere until the definitions are read again; how much room that takes grows with the file.
// The reader only needs put (pass 1) and lookup by id (pass 2), so the holder is injected: a Map
// per table by default, fine for small inputs; a caller reading feeds of any size passes one
// that keeps them on disk (the patching module's temporary SQLite file).
import { createDetachingInterner } from '../xml/bounded-sax.js';
import type { RawObject, RawState, RawTest } from './collect.js';

/**
 * The tables of one OVAL document. Puts arrive in document order (a later entry with the same
 * id replaces the earlier one) and may be buffered until `flush`; lookups start after it.
 * Strings handed to `put*` may be slices of the parsed chunk: a store that keeps them must copy.
 */
export interface OvalTableStore {
  putTest(id: string, test: RawTest): void;
  putObject(id: string, object: RawObject): void;
  putState(id: string, state: RawState): void;
  putVariable(id: string, values: readonly string[]): void;
  /** Every table has been read: make the puts visible to the lookups. */
  flush(): void;
  findTest(id: string): RawTest | undefined;
  findObject(id: string): RawObject | undefined;
  findState(id: string): RawState | undefined;
  findVariable(id: string): readonly string[] | undefined;
}

/**
 * Tables in memory: one Map each, every string interned and detached (ids and values repeat
 * across entries, and a slice would keep its whole chunk alive). About 275 bytes an entry.
 *
 * @example
 * const store = createMemoryTableStore();
 * store.putObject('oval:x:obj:1', { kind: 'rpminfo_object', name: 'openssl', varRef: undefined });
 * store.findObject('oval:x:obj:1')?.name; // 'openssl'
 */
export function createMemoryTableStore(): OvalTableStore {
  const intern = createDetachingInterner();
  const opt = (s: string | undefined) => (s === undefined ? undefined : intern(s));
  const tests = new Map<string, RawTest>();
  const objects = new Map<string, RawObject>();
  const states = new Map<string, RawState>();
  const variables = new Map<string, readonly string[]>();
  const copyState = (s: RawState): RawState => {
    const out: RawState = { kind: intern(s.kind) };
    if (s.evr) out.evr = { op: intern(s.evr.op), value: intern(s.evr.value) };
    if (s.arch) out.arch = { op: intern(s.arch.op), value: intern(s.arch.value) };
    if (s.version) out.version = { op: intern(s.version.op), value: intern(s.version.value) };
    if (s.signatureKeyId !== undefined) out.signatureKeyId = intern(s.signatureKeyId);
    return out;
  };
  return {
    putTest: (id, t) => {
      const out: RawTest = { kind: intern(t.kind), objectRef: opt(t.objectRef), stateRefs: t.stateRefs.map(intern) };
      if (t.check !== undefined) out.check = intern(t.check);
      if (t.existence !== undefined) out.existence = intern(t.existence);
      if (t.comment !== undefined) out.comment = intern(t.comment);
      tests.set(intern(id), out);
    },
    putObject: (id, o) => void objects.set(intern(id), { kind: intern(o.kind), name: opt(o.name), varRef: opt(o.varRef) }),
    putState: (id, s) => void states.set(intern(id), copyState(s)),
    putVariable: (id, values) => void variables.set(intern(id), values.map(intern)),
    flush: () => {},
    findTest: (id) => tests.get(id),
    findObject: (id) => objects.get(id),
    findState: (id) => states.get(id),
    findVariable: (id) => variables.get(id),
  };
}
