// OS identification from a report's `system` string and packager, and from every sign it carries.
export { identifyOs, type KnownOs, type OsFamily, type UnknownOs } from './identify.js';
export { identifyHost, releasePackagesOf, type OsSignals } from './signals.js';
