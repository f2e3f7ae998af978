// Host reports in every form Vigil accepts (Pakiti protocol 5 and 4, vigil.report/1 JSON),
// parsed into one HostReport; S/MIME detection, package policy, result lines.
export { DEFAULT_LIMITS, type HostReport, type ReportLimits, type ReportMode, type ReportSource, type ReportedPackage } from './types.js';
export { parseProtocol5, parseProtocol5Head, splitPackageLine, type Protocol5Head } from './protocol5.js';
export { parseProtocol4, splitQuotedLine } from './protocol4.js';
export { parseJsonReport, JsonReportSchema, JsonReportPackageSchema, JSON_REPORT_SCHEMA, type JsonReport } from './json-report.js';
export { parseReportMode } from './collect.js';
export { checkHostname, isHostname } from './hostname.js';
export { isSmimeEnvelope } from './smime.js';
export { formatResultLines, type ResultLine } from './result-lines.js';
