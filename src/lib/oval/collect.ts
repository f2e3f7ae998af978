// First stage of the OVAL reader: SAX events into compact tables (definitions with their
// criteria, tests, objects, states, constant variables). Descriptions and other bulk text are
// never kept, and repeated strings are interned.
import type { Interner } from '../vuln-model/intern.js';
import type { Criteria } from '../vuln-model/types.js';
import type { SaxHandlers } from './bounded-sax.js';

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
  readonly check: string;
  readonly comment: string;
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

type Capture = 'title' | 'severity' | 'cve' | 'object-name' | 'evr' | 'arch' | 'signature' | 'value' | undefined;
type Group = { kind: 'and' | 'or'; negate: boolean; children: Criteria[]; comment?: string };

/**
 * SAX handlers that fill `tables` from an OVAL definitions document.
 *
 * @example
 * const tables = emptyTables(); await streamXml(input, limits, collectOval(tables, createInterner()));
 */
export function collectOval(tables: OvalTables, intern: Interner): SaxHandlers {
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
        if (name === 'definition') {
          def = { id: intern(a.id ?? ''), klass: a.class ?? '', title: '', references: [], cves: [], severity: undefined, criteria: undefined };
        } else if (!def) {
          return;
        } else if (name === 'title' || name === 'severity') {
          start(name);
        } else if (name === 'cve') {
          start('cve');
        } else if (name === 'reference' && a.source && a.ref_id) {
          def.references.push({ source: a.source, id: intern(a.ref_id) });
        } else if (name === 'criteria') {
          const g: Group = { kind: a.operator?.toUpperCase() === 'OR' ? 'or' : 'and', negate: a.negate === 'true', children: [] };
          if (a.comment) g.comment = a.comment;
          groups.push(g);
        } else if (name === 'criterion') {
          addCriterion({ kind: 'test', negate: a.negate === 'true', testRef: intern(a.test_ref ?? ''), comment: a.comment ?? '' });
        } else if (name === 'extend_definition') {
          addCriterion({ kind: 'extend', negate: a.negate === 'true', definitionRef: intern(a.definition_ref ?? ''), comment: a.comment ?? '' });
        }
      } else if (section === 'tests') {
        if (depth === 3) test = { kind: name, check: a.check ?? '', comment: a.comment ?? '', objectRef: undefined, stateRefs: [] };
        else if (test && name === 'object') test.objectRef = intern(a.object_ref ?? '');
        else if (test && name === 'state' && a.state_ref) test.stateRefs.push(intern(a.state_ref));
        if (depth === 3 && a.id) tables.tests.set(intern(a.id), test as RawTest);
      } else if (section === 'objects') {
        if (depth === 3 && a.id) tables.objects.set(intern(a.id), (object = { kind: name, name: undefined, varRef: undefined }));
        else if (object && name === 'name') {
          if (a.var_ref) object.varRef = intern(a.var_ref);
          else start('object-name');
        }
      } else if (section === 'states') {
        if (depth === 3 && a.id) tables.states.set(intern(a.id), (state = { kind: name }));
        else if (state && (name === 'evr' || name === 'arch' || name === 'signature_keyid')) {
          stateOp = a.operation ?? 'equals';
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
        if (capture === 'title' && def) def.title = value;
        else if (capture === 'severity' && def) def.severity = value;
        else if (capture === 'cve' && def && value) def.cves.push(intern(value));
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
          tables.definitions.push(def);
          def = undefined;
          groups.length = 0;
        }
      }
      if (depth === 2) test = object = state = variable = undefined;
      if (depth === 1) section = '';
    },
  };
}

/** Empty tables to collect into. */
export function emptyTables(): OvalTables {
  return { definitions: [], tests: new Map(), objects: new Map(), states: new Map(), variables: new Map() };
}
