// Public surface of the GOCDB PI parser.
export { nextPageUrl, parseGocdb } from './parse.js';
export { mapGocdbRole } from './roles.js';
export { canonicalKey, parseFlag } from './normalize.js';
export { DEFAULT_LIMITS } from './xml-reader.js';
export type * from './types.js';
