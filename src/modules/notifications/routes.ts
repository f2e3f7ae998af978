// HTTP surface of notifications: one's own settings; for the CSIRT the outbox, the dead-letter
// list and its replay, webhook endpoints, and inbound mail held for review.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../../server/auth.js';
import { errorResponses, Id, Nullable } from '../../server/schema-helpers.js';
import type { NotificationService } from './service.js';

const tags = ['notifications'];
const Preferences = Type.Object({ email: Nullable(Type.Boolean()), digest: Type.Boolean() });
const MessageStatus = Type.Union([Type.Literal('pending'), Type.Literal('sent'), Type.Literal('dead'), Type.Literal('digest')]);
const Message = Type.Object({
  messageId: Id,
  channel: Type.String(),
  headerId: Type.String(),
  recipient: Type.String(),
  eventType: Type.String(),
  tlp: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastError: Nullable(Type.String()),
  createdAt: Type.String(),
  sentAt: Nullable(Type.String()),
  ref: Nullable(Type.Object({ type: Type.String(), id: Type.String() })),
});
const Webhook = Type.Object({
  endpointId: Id,
  url: Type.String(),
  eventTypes: Type.Array(Type.String()),
  description: Type.String(),
  createdAt: Type.String(),
  disabledAt: Nullable(Type.String()),
});
const EventType = Type.String({ minLength: 1, maxLength: 60, pattern: '^(\\*|[a-z-]+\\.[a-z-]+)$' });
const Mail = Type.Object({
  mailId: Id,
  sender: Type.String(),
  subject: Type.String(),
  status: Type.String(),
  reason: Nullable(Type.String()),
  taskId: Nullable(Type.String()),
  receivedAt: Type.String(),
  reviewedBy: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  excerpt: Type.String(),
});

export const notificationRoutes =
  (notifications: NotificationService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/me/notification-settings',
      {
        schema: {
          tags,
          summary: 'What you receive: e-mail on or off (null: your site’s registry flag decides), daily digest',
          response: { 200: Type.Intersect([Preferences, Type.Object({ updatedAt: Nullable(Type.String()) })]), ...errorResponses },
        },
        config: { permission: 'authenticated' },
      },
      async (req) => notifications.getPreferences(actorOf(req)),
    );
    app.put(
      '/api/v1/me/notification-settings',
      {
        schema: {
          tags,
          summary: 'Choose what you receive',
          body: Type.Object({ email: Nullable(Type.Boolean()), digest: Type.Boolean() }, { additionalProperties: false }),
          response: { 200: Preferences, ...errorResponses },
        },
        config: { permission: 'authenticated' },
      },
      async (req) => notifications.setPreferences(actorOf(req), req.body),
    );
    app.get(
      '/api/v1/outbox-messages',
      {
        schema: {
          tags,
          summary: 'Messages in the outbox, newest first; status=dead is the dead-letter list',
          querystring: Type.Object(
            { status: Type.Optional(MessageStatus), limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }), before: Type.Optional(Id) },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              mailConfigured: Type.Boolean(),
              counts: Type.Array(Type.Object({ channel: Type.String(), status: Type.String(), n: Type.Integer() })),
              messages: Type.Array(Message),
            }),
            ...errorResponses,
          },
        },
        config: { permission: 'notification:manage' },
      },
      async (req) => notifications.listMessages(actorOf(req), req.query),
    );
    app.post(
      '/api/v1/outbox-messages/:messageId/replay',
      {
        schema: {
          tags,
          summary: 'Send a dead message again (same Message-ID / webhook-id)',
          params: Type.Object({ messageId: Id }),
          response: { 200: Type.Object({ messageId: Id, status: Type.String() }), ...errorResponses },
        },
        config: { permission: 'notification:manage' },
      },
      async (req) => notifications.replay(actorOf(req), req.params.messageId),
    );
    app.get(
      '/api/v1/webhook-endpoints',
      {
        schema: {
          tags,
          summary: 'Webhook endpoints receiving events (signed per Standard Webhooks)',
          response: { 200: Type.Object({ items: Type.Array(Webhook) }), ...errorResponses },
        },
        config: { permission: 'notification:manage' },
      },
      async (req) => ({ items: await notifications.listWebhooks(actorOf(req)) }),
    );
    app.post(
      '/api/v1/webhook-endpoints',
      {
        schema: {
          tags,
          summary: 'Add an endpoint; its signing secret is shown this once',
          body: Type.Object(
            {
              url: Type.String({ maxLength: 2000, pattern: '^https?://' }),
              eventTypes: Type.Array(EventType, { maxItems: 50, default: [] }),
              description: Type.String({ maxLength: 500, default: '' }),
            },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ endpointId: Id, url: Type.String(), eventTypes: Type.Array(Type.String()), secret: Type.String() }),
            ...errorResponses,
          },
        },
        config: { permission: 'notification:manage' },
      },
      async (req, reply) => reply.code(201).send(await notifications.addWebhook(actorOf(req), req.body)),
    );
    app.delete(
      '/api/v1/webhook-endpoints/:webhookId',
      {
        schema: { tags, summary: 'Stop sending to an endpoint', params: Type.Object({ webhookId: Id }), response: { 204: Type.Null(), ...errorResponses } },
        config: { permission: 'notification:manage' },
      },
      async (req, reply) => {
        await notifications.disableWebhook(actorOf(req), req.params.webhookId);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/api/v1/inbound-mail',
      {
        schema: {
          tags,
          summary: 'Mail received at the reply address; status=held is what waits for review',
          querystring: Type.Object(
            {
              status: Type.Optional(Type.Union([Type.Literal('held'), Type.Literal('attached'), Type.Literal('discarded')])),
              limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(Mail) }), ...errorResponses },
        },
        config: { permission: 'notification:manage' },
      },
      async (req) => ({ items: await notifications.listInboundMail(actorOf(req), req.query) }),
    );
    app.post(
      '/api/v1/inbound-mail/:mailId/discard',
      {
        schema: { tags, summary: 'Set a held message aside once read', params: Type.Object({ mailId: Id }), response: { 204: Type.Null(), ...errorResponses } },
        config: { permission: 'notification:manage' },
      },
      async (req, reply) => {
        await notifications.discardInboundMail(actorOf(req), req.params.mailId);
        return reply.code(204).send(null);
      },
    );
  };
