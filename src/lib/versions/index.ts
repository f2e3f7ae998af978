// Exact rpm and dpkg version order, raw and pre-tokenised, and the parsing of reported versions.
export { rpmvercmp, compareRpmEvr, type Evr } from './rpm-vercmp.js';
export { rpmVersionKey, rpmEvrKey } from './rpm-key.js';
export { compareDebVersions, debVersionBounds, type DebVersionBounds } from './dpkg-vercmp.js';
export { debVersionKey } from './dpkg-key.js';
export { compareKeys } from './order-key.js';
export { parseRpmEvr, formatRpmEvr, parseDebVersion, parsePackageLine, type DebVersion, type ReportedPackage } from './parse.js';
