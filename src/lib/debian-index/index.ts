// Binary → source package names from Debian and Ubuntu archive indexes (Sources, Packages).
export { readDebianIndex, DEBIAN_INDEX_LIMITS, type DebianIndexLimits, type SourcePair } from './parse.js';
