// HTTP surface of the audit log.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PageOf, PageQuery } from '../../core/paging.js';
import { actorOf } from '../../server/auth.js';
import { errorResponses, Nullable } from '../../server/schema-helpers.js';
import type { AuditService } from './service.js';

const tags = ['audit'];
const AuditEvent = Type.Object({
  seq: Type.Integer(),
  at: Type.String(),
  actorId: Nullable(Type.String()),
  actorLabel: Type.String(),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  hash: Type.String(),
});

const AuditCheckpoints = Type.Object({
  algorithm: Type.String(),
  keyId: Type.String(),
  publicKey: Type.String({ description: 'SPKI PEM; pin it rather than trusting each answer' }),
  items: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      headHash: Type.String(),
      at: Type.String(),
      keyId: Type.String(),
      statement: Type.String({ description: 'the exact signed text' }),
      signature: Type.String({ description: 'base64' }),
    }),
  ),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const auditRoutes =
  (audit: AuditService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/audit',
      {
        schema: {
          tags,
          summary: "Audit events, newest first; an object's history with objectType and objectId",
          querystring: Type.Composite([
            PageQuery,
            Type.Object({
              objectType: Type.Optional(Type.String({ maxLength: 40 })),
              objectId: Type.Optional(Type.String({ maxLength: 64 })),
              action: Type.Optional(Type.String({ maxLength: 80 })),
            }),
          ]),
          response: { 200: PageOf(AuditEvent), ...errorResponses },
        },
        config: { permission: 'audit:read' },
      },
      (req) => audit.list(actorOf(req), req.query, req.query),
    );

    app.get(
      '/api/v1/audit/verify',
      {
        schema: {
          tags,
          summary: 'Check the hash chain of the whole audit log',
          response: {
            200: Type.Object({
              ok: Type.Boolean(),
              checked: Type.Integer(),
              checkpoints: Type.Integer(),
              firstBroken: Type.Optional(Type.Object({ seq: Type.Integer(), reason: Type.String() })),
            }),
            ...errorResponses,
          },
        },
        config: { permission: 'audit:read' },
      },
      (req) => audit.verify(actorOf(req)),
    );

    app.get(
      '/api/v1/audit/checkpoints',
      {
        schema: {
          tags,
          summary: "Signed checkpoints of the audit chain's head, newest first, and the public key verifying them (docs/audit.md)",
          querystring: Type.Pick(PageQuery, ['limit', 'offset']),
          response: { 200: AuditCheckpoints, ...errorResponses },
        },
        config: { permission: 'audit:read' },
      },
      (req) => audit.checkpoints(actorOf(req), { ...req.query, order: 'desc' }),
    );
  };
