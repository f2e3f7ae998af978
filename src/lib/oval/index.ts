// Streaming OVAL reader into the normalized vulnerability model.
export { parseOval, OVAL_LIMITS, type OvalReadOptions, type OvalReopen, type OvalSource } from './parse.js';
export type { OvalTableStore } from './store.js';
export type { RawObject, RawState, RawTest } from './collect.js';
export { commentStatus, type CommentStatus } from './status-comment.js';
export type { OvalContext } from './normalize.js';
