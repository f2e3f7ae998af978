// HTTP surface for people and role assignments.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PageOf, PageQuery } from '../../core/paging.js';
import { actorOf } from '../../server/auth.js';
import { errorResponses, Id } from '../../server/schema-helpers.js';
import type { PeopleService } from './people-service.js';
import * as S from './schemas.js';

const tags = ['people'];

export const peopleRoutes =
  (people: PeopleService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/people',
      {
        schema: {
          tags,
          summary: 'List people (only those inside your scopes)',
          querystring: Type.Composite([PageQuery, S.PeopleFilter]),
          response: { 200: PageOf(Type.Ref('Person')), ...errorResponses },
        },
        config: { permission: 'registry:read' },
      },
      (req) => people.listPeople(actorOf(req), req.query, req.query),
    );
    app.post(
      '/api/v1/people',
      {
        schema: { tags, summary: 'Add a person, with a first role', body: S.PersonInput, response: { 201: Type.Ref('Person'), ...errorResponses } },
        config: { permission: 'person:create' },
      },
      async (req, reply) => reply.code(201).send(await people.createPerson(actorOf(req), req.body)),
    );
    app.get(
      '/api/v1/people/:personId',
      {
        schema: { tags, summary: 'A person with their roles', params: Type.Object({ personId: Id }), response: { 200: S.PersonDetail, ...errorResponses } },
        config: { permission: 'registry:read' },
      },
      (req) => people.getPerson(actorOf(req), req.params.personId),
    );
    app.patch(
      '/api/v1/people/:personId',
      {
        schema: {
          tags,
          summary: 'Edit a person (name, e-mail, DN, Check-in subject)',
          params: Type.Object({ personId: Id }),
          body: S.PersonPatch,
          response: { 200: Type.Ref('Person'), ...errorResponses },
        },
        config: { permission: 'person:write' },
      },
      (req) => people.updatePerson(actorOf(req), req.params.personId, req.body),
    );

    app.get(
      '/api/v1/roles',
      {
        schema: {
          tags,
          summary: 'List role assignments',
          querystring: Type.Composite([PageQuery, S.RoleFilter]),
          response: { 200: PageOf(Type.Ref('RoleAssignment')), ...errorResponses },
        },
        config: { permission: 'registry:read' },
      },
      (req) => people.listRoles(actorOf(req), req.query, req.query),
    );
    app.post(
      '/api/v1/roles',
      {
        schema: { tags, summary: 'Grant a scoped role', body: S.GrantInput, response: { 201: Type.Ref('RoleAssignment'), ...errorResponses } },
        config: { permission: 'role:grant' },
      },
      async (req, reply) => reply.code(201).send(await people.grantRole(actorOf(req), req.body)),
    );
    app.delete(
      '/api/v1/roles/:roleAssignmentId',
      {
        schema: { tags, summary: 'Revoke a role', params: Type.Object({ roleAssignmentId: Id }), response: { 204: Type.Null(), ...errorResponses } },
        config: { permission: 'role:grant' },
      },
      async (req, reply) => {
        await people.revokeRole(actorOf(req), req.params.roleAssignmentId);
        return reply.code(204).send(null);
      },
    );
  };
