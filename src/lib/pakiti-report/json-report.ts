// Vigil's own report: the content of a protocol 5 report as versioned JSON, for `vigil agent
// report` and agents that prefer JSON. The schema is the contract (it goes into the OpenAPI
// document); unknown top-level members are ignored so a newer agent still reports.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InvalidError, TooLargeError } from '../../core/errors.js';
import { createPackageList, createWarnings } from './collect.js';
import { checkHostname } from './hostname.js';
import { DEFAULT_LIMITS, type HostReport, type ReportLimits } from './types.js';

export const JSON_REPORT_SCHEMA = 'vigil.report/1';

// Printable ASCII without blanks, as rpm and dpkg names, versions and arches are.
const Token = (maxLength: number, options: { description?: string } = {}) => Type.String({ ...options, minLength: 1, maxLength, pattern: '^[\\x21-\\x7e]+$' });
// One line of text without control characters.
const Line = (maxLength: number) => Type.String({ minLength: 1, maxLength, pattern: '^[^\\x00-\\x1f\\x7f]+$' });

export const JsonReportPackageSchema = Type.Object(
  {
    name: Token(256),
    version: Token(256),
    arch: Token(64),
  },
  { additionalProperties: false },
);

/**
 * JSON Schema of `vigil.report/1` (a TypeBox schema, usable as a Fastify route body schema).
 *
 * @example
 * app.post('/api/v1/reports', { schema: { body: JsonReportSchema } }, (req) => reports.ingest(parseJsonReport(req.body)));
 */
export const JsonReportSchema = Type.Object(
  {
    schema: Type.Literal(JSON_REPORT_SCHEMA),
    host: Token(253, { description: 'RFC 1123 host name (`hostname -f`); other names are refused (422)' }),
    /** The site the host belongs to; optional: an enrolment token or a mapped DN decides it. */
    site: Type.Optional(Line(100)),
    system: Line(200),
    kernel: Token(200),
    arch: Token(64),
    packager: Type.Union([Type.Literal('rpm'), Type.Literal('dpkg')]),
    packages: Type.Array(JsonReportPackageSchema, { maxItems: DEFAULT_LIMITS.maxPackages }),
    agent: Type.Object({ name: Token(64), version: Token(64) }),
    tag: Type.Optional(Line(100)),
    osRelease: Type.Optional(
      Type.Object(
        { id: Type.Optional(Token(64)), versionId: Type.Optional(Token(64)), name: Type.Optional(Line(200)) },
        { additionalProperties: false, description: '/etc/os-release ID, VERSION_ID and NAME' },
      ),
    ),
    oracleRelease: Type.Optional(Line(200)),
  },
  { $id: 'VigilReport', additionalProperties: true, description: 'Vigil host report, schema vigil.report/1' },
);

export type JsonReport = Static<typeof JsonReportSchema>;

/**
 * Checks a decoded JSON value against `vigil.report/1` and normalises it like the other forms
 * (versions kept as sent, duplicates dropped, empty list → `packagesMissing`). Throws `InvalidError`
 * naming the first offending member, or `TooLargeError` over `limits.maxPackages`.
 *
 * @example
 * parseJsonReport({ schema: 'vigil.report/1', host: 'ui01.example.org', site: 'EXAMPLE-SITE', system: 'Debian GNU/Linux 12',
 *   kernel: '6.1.0-18-amd64', arch: 'x86_64', packager: 'dpkg', agent: { name: 'vigil-agent', version: '1.0.0' },
 *   packages: [{ name: 'libssl3', version: '3.0.11-1~deb12u2', arch: 'amd64' }] }).packages.length; // 1
 */
export function parseJsonReport(value: unknown, limits: Partial<ReportLimits> = {}): HostReport {
  const lim: ReportLimits = { ...DEFAULT_LIMITS, ...limits };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidError('JSON report is not an object');
  const declared = 'schema' in value ? value.schema : undefined;
  if (declared !== JSON_REPORT_SCHEMA) {
    throw new InvalidError(`JSON report schema is ${JSON.stringify(declared)?.slice(0, 60) ?? 'missing'}, expected '${JSON_REPORT_SCHEMA}'`, {
      field: 'schema',
    });
  }
  const pkgs = 'packages' in value ? value.packages : undefined;
  if (Array.isArray(pkgs) && pkgs.length > lim.maxPackages)
    throw new TooLargeError(`JSON report has more than ${lim.maxPackages} packages`, { field: 'packages' });
  if (!Value.Check(JsonReportSchema, value)) {
    const err = Value.Errors(JsonReportSchema, value).First();
    const path = err?.path || '/';
    throw new InvalidError(`JSON report ${path}: ${err?.message ?? 'does not match the schema'}`, { field: path });
  }
  const report = value;
  checkHostname(report.host, 'JSON report /host');
  const warnings = createWarnings(lim.maxWarnings);
  const list = createPackageList(report.packager, lim, warnings.add);
  report.packages.forEach((p, i) => list.add(p.name, p.version, p.arch, `/packages/${i}`));
  const packages = list.finish();
  if (packages.length === 0) warnings.add('package list is empty');
  return {
    source: 'json',
    host: report.host,
    site: report.site,
    tag: report.tag,
    system: report.system,
    ...(report.osRelease ? { osRelease: { id: report.osRelease.id, versionId: report.osRelease.versionId, name: report.osRelease.name } } : {}),
    ...(report.oracleRelease ? { oracleRelease: report.oracleRelease } : {}),
    kernel: report.kernel,
    arch: report.arch,
    cpu: undefined,
    packager: report.packager,
    agent: { name: report.agent.name, version: report.agent.version },
    mode: undefined,
    packages,
    packagesMissing: packages.length === 0,
    warnings: warnings.list(),
  };
}
