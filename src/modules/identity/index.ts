// Identity's public entry: what other modules may use of it. Its tables are read elsewhere only
// through these fragments; its service through the type below.
export { accountCount } from './fragments.js';
export type { IdentityService } from './service.js';
