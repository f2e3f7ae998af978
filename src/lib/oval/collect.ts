// First stage of the OVAL reader: SAX events into compact tables (tests, objects, states,
// constant variables) and raw definitions with their criteria. Descriptions and other bulk text
// are never kept; every kept string is interned or detached from the parsed chunk (a slice of
// a chunk would keep the whole chunk alive). Table entries go to an injected store as each one
// closes. Sections can be read in separate passes: the tables first, then definitions one at
// a time (see parse.ts).
import type { Criteria } from '../vuln-model/types.js';
import { detach, type XmlHandlers } from '../xml/bounded-sax.js';
import type { OvalTableStore } from './store.js';

export interface RawDefinition {
  readonly id: string;
  readonly klass: string;
  title: string;
  readonly references: Array<{ source: string; id: string; url?: string }>;
  readonly cves: string[];
  /** What a `cve` element's attributes say of it: its page (`href`), CVSS (Red Hat `cvss3`
   *  "score/vector", Ubuntu `cvss_score` and `cvss_vector`). Only CVEs with one of them. */
  readonly cveAttributes?: Array<{ id: string; href?: string; cvss?: string; cvssVector?: string }>;
  severity: string | undefined;
  criteria: Criteria | undefined;
}

export interface RawTest {
  readonly kind: string;
  objectRef: string | undefined;
  readonly stateRefs: string[];
  /** `check` and `check_existence` as written (OVAL defaults when absent: `all`, `at_least_one_exists`). */
  check?: string;
  existence?: string;
  /** The test's comment ("Oracle Linux 8 is installed"). */
  comment?: string;
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
  version?: { op: string; value: string };
  signatureKeyId?: string;
}

/** Which sections to read, and where definitions and table entries go. */
export interface CollectOptions {
  /** Receives the tests, objects, states and variables; without it those sections are skipped. */
  readonly store?: OvalTableStore;
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
  /** True once the definitions section has closed and no store wants the tables. */
  done(): boolean;
}

type Capture = 'title' | 'severity' | 'cve' | 'object-name' | 'evr' | 'arch' | 'version' | 'signature' | 'value' | undefined;
type Group = { kind: 'and' | 'or' | 'one' | 'xor'; negate: boolean; children: Criteria[]; comment?: string };
const OPERATORS: Record<string, Group['kind']> = { AND: 'and', OR: 'or', ONE: 'one', XOR: 'xor' };

/**
 * SAX handlers that put the tables of an OVAL definitions document into `options.store` and
 * pass each definition to `options.onDefinition`. `intern` pools the definitions' repeated words
 * (class, severity, reference source).
 *
 * @example
 * const store = createMemoryTableStore();
 * const raws: RawDefinition[] = [];
 * await streamXml(input, OVAL_LIMITS, collectOval(createDetachingInterner(), { store, onDefinition: (d) => raws.push(d) }), OVAL_XML);
 */
export function collectOval(intern: (s: string) => string, options: CollectOptions = {}): Collector {
  const store = options.store;
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
  // Id of the table entry being read; it is put into the store when its element closes.
  let entryId: string | undefined;
  let capture: Capture;
  let buf = '';
  let cveAttrs: Record<string, string | undefined> | undefined;

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
          cveAttrs = a.href || a.cvss3 || a.cvss_score || a.cvss_vector ? a : undefined;
        } else if (name === 'reference' && a.source && a.ref_id) {
          def.references.push({ source: intern(a.source), id: keep(a.ref_id), ...(a.ref_url ? { url: keep(a.ref_url) } : {}) });
        } else if (name === 'criteria') {
          const g: Group = { kind: OPERATORS[a.operator?.toUpperCase() ?? 'AND'] ?? 'and', negate: a.negate === 'true', children: [] };
          if (a.comment) g.comment = keep(a.comment);
          groups.push(g);
        } else if (name === 'criterion') {
          addCriterion({ kind: 'test', negate: a.negate === 'true', testRef: keep(a.test_ref ?? ''), comment: keep(a.comment ?? '') });
        } else if (name === 'extend_definition') {
          addCriterion({ kind: 'extend', negate: a.negate === 'true', definitionRef: keep(a.definition_ref ?? ''), comment: keep(a.comment ?? '') });
        }
      } else if (!store) {
        return;
      } else if (depth === 3) {
        entryId = a.id;
        if (section === 'tests') {
          test = { kind: name, objectRef: undefined, stateRefs: [] };
          if (a.check) test.check = a.check;
          if (a.check_existence) test.existence = a.check_existence;
          if (a.comment) test.comment = a.comment;
        } else if (section === 'objects') object = { kind: name, name: undefined, varRef: undefined };
        else if (section === 'states') state = { kind: name };
        else if (section === 'variables') variable = [];
      } else if (test) {
        if (name === 'object') test.objectRef = a.object_ref ?? '';
        else if (name === 'state' && a.state_ref) test.stateRefs.push(a.state_ref);
      } else if (object && name === 'name') {
        if (a.var_ref) object.varRef = a.var_ref;
        else start('object-name');
      } else if (state && (name === 'evr' || name === 'arch' || name === 'version' || name === 'signature_keyid')) {
        stateOp = a.operation ?? 'equals';
        start(name === 'signature_keyid' ? 'signature' : name);
      } else if (variable && name === 'value') {
        start('value');
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
        else if (capture === 'cve' && def && value) {
          def.cves.push(keep(value));
          if (cveAttrs) {
            const { href, cvss3, cvss_score, cvss_vector } = cveAttrs;
            ((def as { cveAttributes?: NonNullable<RawDefinition['cveAttributes']> }).cveAttributes ??= []).push({
              id: keep(value),
              ...(href ? { href: keep(href) } : {}),
              ...(cvss3 || cvss_score ? { cvss: keep((cvss3 ?? cvss_score)!) } : {}),
              ...(cvss_vector ? { cvssVector: keep(cvss_vector) } : {}),
            });
          }
          cveAttrs = undefined;
        } else if (capture === 'object-name' && object) object.name = value;
        else if (capture === 'evr' && state) state.evr = { op: stateOp, value };
        else if (capture === 'arch' && state) state.arch = { op: stateOp, value };
        else if (capture === 'version' && state) state.version = { op: stateOp, value };
        else if (capture === 'signature' && state) state.signatureKeyId = value;
        else if (capture === 'value' && variable) variable.push(value);
        capture = undefined;
        buf = '';
      }
      if (section === 'definitions') {
        if (name === 'criteria' && groups.length) {
          const g = groups.pop() as Group;
          addCriterion(
            g.comment === undefined
              ? { kind: g.kind, negate: g.negate, children: g.children }
              : { kind: g.kind, negate: g.negate, children: g.children, comment: g.comment },
          );
        } else if (name === 'definition' && def) {
          const done = def;
          def = undefined;
          groups.length = 0;
          onDefinition?.(done);
        }
      }
      if (depth === 2) {
        if (store && entryId) {
          if (test) store.putTest(entryId, test);
          else if (object) store.putObject(entryId, object);
          else if (state) store.putState(entryId, state);
          else if (variable) store.putVariable(entryId, variable);
        }
        test = object = state = variable = entryId = undefined;
      }
      if (depth === 1) {
        if (section === 'definitions') definitionsRead = true;
        section = '';
      }
    },
    done: () => definitionsRead && !store,
  };
}
