// The notifications part's public entry: what other parts use to tell people (the outbox, in
// their own transaction) and to receive replies (the inbound mail's reply handler).
export type { Audience, Notice, Outbox } from './outbox.js';
export { messagesAbout } from './outbox.js';
export type { Inbound, ReplyHandler } from './inbound.js';
export type { NotificationService } from './service.js';
export { publicUrlOf } from './module.js';
export { addressOf } from './mail-transport.js';
