// HTTP surface of lifecycle rules.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PageOf, PageQuery } from '../../core/paging.js';
import { actorOf } from '../../server/auth.js';
import { errorResponses, Id, Nullable } from '../../server/schema-helpers.js';
import type { LifecycleService } from './lifecycle.js';

const tags = ['patching'];
const Rule = Type.Object({
  ruleId: Id,
  name: Type.String(),
  kind: Type.String(),
  packagePattern: Type.String(),
  version: Nullable(Type.String()),
  effectiveFrom: Type.String(),
  message: Type.String(),
  isEnabled: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  hosts: Type.Optional(Type.Integer()),
});
// One definition of each field's limits, for the rule made (POST) and the rule edited (PATCH).
const RuleName = Type.String({ minLength: 1, maxLength: 100 });
const Kind = Type.Union([Type.Literal('end-of-life'), Type.Literal('minimum-version')]);
const Pattern = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9*+._:-]+$' });
const Version = Type.String({ maxLength: 100 });
const EffectiveFrom = Type.String({ format: 'date-time' });
const Message = Type.String({ minLength: 1, maxLength: 2000 });
const RuleHost = Type.Object({ hostId: Id, hostname: Type.String(), siteId: Id, siteName: Type.String(), lastReportAt: Type.String(), package: Type.String() });

export const lifecycleRoutes =
  (lifecycle: LifecycleService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/lifecycle-rules',
      {
        schema: {
          tags,
          summary: 'Lifecycle rules with the number of hosts each flags (within your reach)',
          response: { 200: Type.Object({ items: Type.Array(Rule) }), ...errorResponses },
        },
        config: { permission: 'patching:read' },
      },
      async (req) => ({ items: await lifecycle.list(actorOf(req)) }),
    );
    app.post(
      '/api/v1/lifecycle-rules',
      {
        schema: {
          tags,
          summary: 'Flag end-of-life software or a minimum version (e.g. ca-policy-egi-core below 1.128-1)',
          body: Type.Object(
            {
              name: RuleName,
              kind: Kind,
              packagePattern: Pattern,
              version: Type.Optional(Version),
              effectiveFrom: Type.Optional(EffectiveFrom),
              message: Message,
            },
            { additionalProperties: false },
          ),
          response: { 201: Rule, ...errorResponses },
        },
        config: { permission: 'lifecycle:manage' },
      },
      async (req, reply) => reply.code(201).send(await lifecycle.create(actorOf(req), req.body)),
    );
    app.patch(
      '/api/v1/lifecycle-rules/:ruleId',
      {
        schema: {
          tags,
          summary: 'Edit a rule; a new kind, pattern or version re-checks every stored package set',
          params: Type.Object({ ruleId: Id }),
          body: Type.Object(
            {
              name: Type.Optional(RuleName),
              kind: Type.Optional(Kind),
              packagePattern: Type.Optional(Pattern),
              version: Type.Optional(Nullable(Version)),
              effectiveFrom: Type.Optional(EffectiveFrom),
              message: Type.Optional(Message),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Rule, ...errorResponses },
        },
        config: { permission: 'lifecycle:manage' },
      },
      (req) => lifecycle.update(actorOf(req), req.params.ruleId, req.body),
    );
    app.put(
      '/api/v1/lifecycle-rules/:ruleId/enabled',
      {
        schema: {
          tags,
          summary: 'Enable or disable a rule',
          params: Type.Object({ ruleId: Id }),
          body: Type.Object({ enabled: Type.Boolean() }, { additionalProperties: false }),
          response: { 204: Type.Null(), ...errorResponses },
        },
        config: { permission: 'lifecycle:manage' },
      },
      async (req, reply) => {
        await lifecycle.setEnabled(actorOf(req), req.params.ruleId, req.body.enabled);
        return reply.code(204).send(null);
      },
    );
    app.get(
      '/api/v1/lifecycle-rules/:ruleId/hosts',
      {
        schema: {
          tags,
          summary: 'Hosts a rule flags, with the offending package',
          params: Type.Object({ ruleId: Id }),
          querystring: PageQuery,
          response: { 200: PageOf(RuleHost), ...errorResponses },
        },
        config: { permission: 'patching:read' },
      },
      (req) => lifecycle.hosts(actorOf(req), req.params.ruleId, req.query),
    );
  };
