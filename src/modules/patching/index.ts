// Patch monitoring's public entry: what other modules may use of it.
export { PATCH_DATA_ACTION_PREFIXES } from './audit-actions.js';
