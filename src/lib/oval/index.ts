// Streaming OVAL reader into the normalized vulnerability model.
export { parseOval, OVAL_LIMITS } from './parse.js';
export { streamXml, type SaxHandlers, type SaxLimits, type XmlInput } from './bounded-sax.js';
export { commentStatus, type CommentStatus } from './status-comment.js';
export type { OvalContext } from './normalize.js';
