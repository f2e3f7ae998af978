// Package lists as operators have them (rpm -qa, dpkg-query -W, reports), for `vigil evaluate`.
export { detectPackageListFormat, parsePackageList, PACKAGE_LIST_FORMATS, PACKAGE_LIST_LIMITS, type PackageList, type PackageListFormat } from './parse.js';
