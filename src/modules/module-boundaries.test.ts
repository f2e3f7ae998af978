// A module writes only its own tables and reads another's only through the query fragments the
// owner exports from its index.ts (issue 9 §3; registry: reach.ts and fragments.ts; identity:
// fragments.ts). The import side is dependency-cruiser's rule `modules-through-public-entry`; it
// cannot see SQL, so this test reads each module's code for Kysely calls and raw SQL naming a
// table of another module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';

/** Which module owns each table: the one whose service writes it. */
const OWNER: Record<string, string> = {
  ngi: 'registry',
  site: 'registry',
  service_endpoint: 'registry',
  vo: 'registry',
  person: 'registry',
  role_assignment: 'registry',
  account: 'identity',
  session: 'identity',
  api_token: 'identity',
  login_failure: 'identity',
  // Written by core/audit.ts on every module's behalf (a shared mechanism); the audit module shows them.
  audit_event: 'audit',
  audit_head: 'audit',
  audit_checkpoint: 'audit',
  // The job queue is a shared mechanism: modules use core/jobs.ts, never the table.
  job: 'core',
  feed: 'patching',
  feed_definition: 'patching',
  feed_cve: 'patching',
  source_package_map: 'patching',
  patching_state: 'patching',
  package_set: 'patching',
  evaluation: 'patching',
  finding: 'patching',
  host: 'patching',
  host_package_event: 'patching',
  host_finding: 'patching',
  cve_tag: 'patching',
  finding_exception: 'patching',
  cve_tag_change: 'patching',
  exception_auto_accept: 'patching',
  enrolment_token: 'patching',
  site_report_policy: 'patching',
  reporter_dn: 'patching',
  report_quarantine: 'patching',
  lifecycle_rule: 'patching',
  lifecycle_set_hit: 'patching',
  outbox_message: 'notifications',
  webhook_endpoint: 'notifications',
  notification_preference: 'notifications',
  inbound_mail: 'notifications',
  deadline_rule: 'tasks',
  work_calendar: 'tasks',
  checklist_template: 'tasks',
  checklist_instance: 'tasks',
  task: 'tasks',
  task_event: 'tasks',
  task_attachment: 'tasks',
  task_response_rollup: 'tasks',
};

/**
 * Reads of another module's tables not yet moved behind the owner's fragments:
 * `module/file.ts` → tables. Empty since identity and the registry read each other through
 * fragments; never grow it. An entry that no longer matches anything fails the test.
 */
const ALLOWED: Record<string, { tables: string[]; why: string }> = {};

const MODULES_DIR = new URL('./', import.meta.url);
const modules = readdirSync(MODULES_DIR, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** Tables a source names: Kysely's table arguments (a name, `name as alias`, or a list of them), and raw SQL. */
function tablesNamed(source: string): string[] {
  const names: string[] = [];
  const call =
    /\b(?:selectFrom|innerJoin|leftJoin|rightJoin|fullJoin|crossJoin|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)\(\s*(\[[^\]]*\]|'[^']*'|"[^"]*")/g;
  for (const m of source.matchAll(call)) {
    for (const q of m[1]!.matchAll(/['"]([^'"]+)['"]/g)) names.push(q[1]!.trim().split(/\s+as\s+/i)[0]!);
  }
  for (const m of source.matchAll(/\bsql(?:<[^`]*?>)?`([^`]*)`/g)) {
    for (const q of m[1]!.matchAll(/\b(?:from|join|into|update)\s+"?([a-z_]+)"?/gi)) names.push(q[1]!.toLowerCase());
  }
  return names;
}

/** `module/file.ts` → the other modules' tables it names. */
function violations(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  for (const mod of modules) {
    const dir = new URL(`${mod}/`, MODULES_DIR);
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const foreign = tablesNamed(readFileSync(new URL(file, dir), 'utf8')).filter((t) => OWNER[t] !== undefined && OWNER[t] !== mod);
      if (foreign.length) found.set(`${mod}/${file}`, new Set(foreign));
    }
  }
  return found;
}

test('every table of the schema has an owning module', () => {
  const schema = readFileSync(new URL('../db/schema.ts', import.meta.url), 'utf8');
  const body = /export interface Database \{([^}]*)\}/.exec(schema)![1]!;
  const tables = [...body.matchAll(/^\s*([a-z_]+):/gm)].map((m) => m[1]!);

  assert.ok(tables.length > 10);
  assert.deepEqual(
    tables.filter((t) => !OWNER[t]),
    [],
  );
});

test("no module names another module's table outside the allow-list", () => {
  const unexpected = [...violations()].flatMap(([file, tables]) =>
    [...tables].filter((t) => !ALLOWED[file]?.tables.includes(t)).map((t) => `${file}: ${t} (${OWNER[t]})`),
  );

  assert.deepEqual(unexpected, [], 'read it through a fragment the owning module exports from its index.ts');
});

test('every allow-list entry is still needed', () => {
  const found = violations();

  const stale = Object.entries(ALLOWED).flatMap(([file, { tables }]) => tables.filter((t) => !found.get(file)?.has(t)).map((t) => `${file}: ${t}`));

  assert.deepEqual(stale, [], 'remove these from ALLOWED');
});

const cases = [
  [".innerJoin('site', 'site.site_id', 'host.site_id')", ['site']],
  [".leftJoin('site as released', 'released.site_id', 'rq.released_site_id')", ['site']],
  ["db.selectFrom(['host', 'ngi as n'])", ['host', 'ngi']],
  ["db.updateTable(\n  'person')", ['person']],
  ['sql`select 1 from site s join "ngi" n on n.ngi_id = s.ngi_id`', ['site', 'ngi']],
  ["db.selectFrom(siteNames(db).as('s'))", []],
  ["audit.record(trx, { objectType: 'site' }) // a report from site X", []],
] as const;
for (const [source, want] of cases) {
  test(`tablesNamed(${JSON.stringify(source)}) is ${JSON.stringify(want)}`, () => assert.deepEqual(tablesNamed(source), want));
}
