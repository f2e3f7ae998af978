// OS identification from a report's `system` string and packager.
export { identifyOs, type KnownOs, type OsFamily, type UnknownOs } from './identify.js';
