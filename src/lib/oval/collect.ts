// First stage of the OVAL reader: SAX events into compact tables (tests, objects, states,
// constant variables) and raw definitions with their criteria. Descriptions and other bulk text
// are never kept; every kept string is interned and detached from the parsed chunk (a slice of
// a chunk would keep the whole chunk alive). Sections can be read in separate passes: the
// tables first, then definitions one at a time (see parse.ts).
import type { Criteria } from '../vuln-model/types.js';
import { detach, type XmlHandlers } from '../xml/bounded-sax.js';

export interface RawDefinition {
  readonly id: string;
  readonly klass: string;
  title: string;
  readonly references: Array<{ source: string; id: string }>;
  readonly cves: string[];
  severity: string | undefined;
  criteria: Criteria | undefined;
}

export interface RawTest {
  readonly kind: string;
  objectRef: string | undefined;
  readonly stateRefs: string[];
}

export interface RawObject {
  readonly kind: string;
  name: string | undefined;
  varRef: string | undefined;
}

export interface RawState {
  readonly kind: string;
  evr?: { op: string; value: string };
  arch?: { op: string; value: string };
  signatureKeyId?: string;
}

export interface OvalTables {
  readonly definitions: RawDefinition[];
  readonly tests: Map<string, RawTest>;
  readonly objects: Map<string, RawObject>;
  readonly states: Map<string, RawState>;
  readonly variables: Map<string, string[]>;
}

/** Which sections to read, and where definitions go. */
export interface CollectOptions {
  /** Read the tests, objects, states and variables sections (default true). */
  readonly tables?: boolean;
  /** Receives each definition as it closes; without it definitions are not read at all. */
  readonly onDefinition?: (d: RawDefinition) => void;
  /**
   * How to keep a string that belongs to one definition (ids, CVEs, comments, references);
   * `intern` by default. A streaming pass passes a function that does not pool them, so that
   * memory does not grow with the number of definitions.
   */
  readonly keep?: (s: string) => string;
}

/** SAX handlers, and whether everything they want has been read. */
export interface Collector extends XmlHandlers {
  /** True once the definitions section has closed and tables are not wanted. */
  done(): boolean;
}

type Capture = 'title' | 'severity' | 'cve' | 'object-name' | 'evr' | 'arch' | 'signature' | 'value' | undefined;
type Group = { kind: 'and' | 'or'; negate: boolean; children: Criteria[]; comment?: string };

/**
 * SAX handlers that fill `tables` from an OVAL definitions document and pass each definition
 * to `options.onDefinition`.
 *
 * @example
 * const tables = emptyTables();
 * await streamXml(input, OVAL_LIMITS, collectOval(tables, createDetachingInterner(), { onDefinition: (d) => tables.definitions.push(d) }), OVAL_XML);
 */
export function collectOval(tables: OvalTables, intern: (s: string) => string, options: CollectOptions = {}): Collector {
  const wantTables = options.tables !== false;
  const onDefinition = options.onDefinition;
  const keep = options.keep ?? intern;
  let definitionsRead = false;
  let section = '';
  let depth = 0;
  let def: RawDefinition | undefined;
  const groups: Group[] = [];
  let test: RawTest | undefined;
  let object: RawObject | undefined;
  let state: RawState | undefined;
  let stateOp = '';
  let variable: string[] | undefined;
  let capture: Capture;
  let buf = '';

  const start = (c: Capture) => {
    capture = c;
    buf = '';
  };
  const addCriterion = (c: Criteria) => {
    const parent = groups[groups.length - 1];
    if (parent) parent.children.push(c);
    else if (def) def.criteria = c;
  };

  return {
    open(name, a) {
      depth++;
      if (depth === 2) section = name;
      if (section === 'definitions') {
        if (!onDefinition) return;
        if (name === 'definition') {
          def = { id: keep(a.id ?? ''), klass: intern(a.class ?? ''), title: '', references: [], cves: [], severity: undefined, criteria: undefined };
        } else if (!def) {
          return;
        } else if (name === 'title' || name === 'severity') {
          start(name);
        } else if (name === 'cve') {
          start('cve');
        } else if (name === 'reference' && a.source && a.ref_id) {
          def.references.push({ source: intern(a.source), id: keep(a.ref_id) });
        } else if (name === 'criteria') {
          const g: Group = { kind: a.operator?.toUpperCase() === 'OR' ? 'or' : 'and', negate: a.negate === 'true', children: [] };
          if (a.comment) g.comment = keep(a.comment);
          groups.push(g);
        } else if (name === 'criterion') {
          addCriterion({ kind: 'test', negate: a.negate === 'true', testRef: keep(a.test_ref ?? ''), comment: keep(a.comment ?? '') });
        } else if (name === 'extend_definition') {
          addCriterion({ kind: 'extend', negate: a.negate === 'true', definitionRef: keep(a.definition_ref ?? ''), comment: keep(a.comment ?? '') });
        }
      } else if (!wantTables) {
        return;
      } else if (section === 'tests') {
        if (depth === 3) test = { kind: intern(name), objectRef: undefined, stateRefs: [] };
        else if (test && name === 'object') test.objectRef = intern(a.object_ref ?? '');
        else if (test && name === 'state' && a.state_ref) test.stateRefs.push(intern(a.state_ref));
        if (depth === 3 && a.id) tables.tests.set(intern(a.id), test as RawTest);
      } else if (section === 'objects') {
        if (depth === 3 && a.id) tables.objects.set(intern(a.id), (object = { kind: intern(name), name: undefined, varRef: undefined }));
        else if (object && name === 'name') {
          if (a.var_ref) object.varRef = intern(a.var_ref);
          else start('object-name');
        }
      } else if (section === 'states') {
        if (depth === 3 && a.id) tables.states.set(intern(a.id), (state = { kind: intern(name) }));
        else if (state && (name === 'evr' || name === 'arch' || name === 'signature_keyid')) {
          stateOp = intern(a.operation ?? 'equals');
          start(name === 'signature_keyid' ? 'signature' : name);
        }
      } else if (section === 'variables') {
        if (depth === 3 && a.id) tables.variables.set(intern(a.id), (variable = []));
        else if (variable && name === 'value') start('value');
      }
    },
    text(t) {
      if (capture) buf += t;
    },
    close(name) {
      depth--;
      if (capture) {
        const value = buf.trim();
        if (capture === 'title' && def) def.title = detach(value);
        else if (capture === 'severity' && def) def.severity = intern(value);
        else if (capture === 'cve' && def && value) def.cves.push(keep(value));
        else if (capture === 'object-name' && object) object.name = intern(value);
        else if (capture === 'evr' && state) state.evr = { op: stateOp, value: intern(value) };
        else if (capture === 'arch' && state) state.arch = { op: stateOp, value: intern(value) };
        else if (capture === 'signature' && state) state.signatureKeyId = intern(value);
        else if (capture === 'value' && variable) variable.push(intern(value));
        capture = undefined;
        buf = '';
      }
      if (section === 'definitions') {
        if (name === 'criteria' && groups.length) {
          const g = groups.pop() as Group;
          addCriterion(g.comment === undefined ? { kind: g.kind, negate: g.negate, children: g.children } : { kind: g.kind, negate: g.negate, children: g.children, comment: g.comment });
        } else if (name === 'definition' && def) {
          const done = def;
          def = undefined;
          groups.length = 0;
          onDefinition?.(done);
        }
      }
      if (depth === 2) test = object = state = variable = undefined;
      if (depth === 1) {
        if (section === 'definitions') definitionsRead = true;
        section = '';
      }
    },
    done: () => definitionsRead && !wantTables,
  };
}

/** Empty tables to collect into. */
export function emptyTables(): OvalTables {
  return { definitions: [], tests: new Map(), objects: new Map(), states: new Map(), variables: new Map() };
}
