// HTTP surface of the registry: NGIs, sites, service endpoints, VOs.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PageOf, PageQuery } from '../../core/paging.js';
import { actorOf } from '../../server/auth.js';
import { errorResponses, Id } from '../../server/schema-helpers.js';
import type { RegistryService } from './service.js';
import * as S from './schemas.js';

const tags = ['registry'];

export const registryRoutes =
  (registry: RegistryService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/ngis',
      {
        schema: { tags, summary: 'List NGIs', querystring: PageQuery, response: { 200: PageOf(Type.Ref('Ngi')), ...errorResponses } },
        config: { permission: 'registry:read' },
      },
      (req) => registry.listNgis(actorOf(req), req.query),
    );
    app.post(
      '/api/v1/ngis',
      {
        schema: { tags, summary: 'Create an NGI', body: S.NgiInput, response: { 201: Type.Ref('Ngi'), ...errorResponses } },
        config: { permission: 'ngi:write' },
      },
      async (req, reply) => reply.code(201).send(await registry.createNgi(actorOf(req), req.body)),
    );
    app.get(
      '/api/v1/ngis/:ngiId',
      {
        schema: { tags, summary: 'An NGI with its contacts', params: Type.Object({ ngiId: Id }), response: { 200: S.NgiDetail, ...errorResponses } },
        config: { permission: 'registry:read' },
      },
      (req) => registry.getNgi(actorOf(req), req.params.ngiId),
    );
    app.patch(
      '/api/v1/ngis/:ngiId',
      {
        schema: {
          tags,
          summary: 'Edit an NGI',
          params: Type.Object({ ngiId: Id }),
          body: Type.Partial(S.NgiInput, { minProperties: 1 }),
          response: { 200: Type.Ref('Ngi'), ...errorResponses },
        },
        config: { permission: 'ngi:write' },
      },
      (req) => registry.updateNgi(actorOf(req), req.params.ngiId, req.body),
    );

    app.get(
      '/api/v1/sites',
      {
        schema: {
          tags,
          summary: 'List sites',
          querystring: Type.Composite([PageQuery, S.SiteFilter]),
          response: { 200: PageOf(Type.Ref('Site')), ...errorResponses },
        },
        config: { permission: 'registry:read' },
      },
      (req) => registry.listSites(actorOf(req), req.query, req.query),
    );
    app.post(
      '/api/v1/sites',
      {
        schema: { tags, summary: 'Create a site', body: S.SiteInput, response: { 201: Type.Ref('Site'), ...errorResponses } },
        config: { permission: 'site:create' },
      },
      async (req, reply) => reply.code(201).send(await registry.createSite(actorOf(req), req.body)),
    );
    app.get(
      '/api/v1/sites/:siteId',
      {
        schema: {
          tags,
          summary: 'A site with its service endpoints and contacts',
          params: Type.Object({ siteId: Id }),
          response: { 200: S.SiteDetail, ...errorResponses },
        },
        config: { permission: 'registry:read' },
      },
      (req) => registry.getSite(actorOf(req), req.params.siteId),
    );
    app.patch(
      '/api/v1/sites/:siteId',
      {
        schema: {
          tags,
          summary: 'Edit a site',
          params: Type.Object({ siteId: Id }),
          body: S.SitePatch,
          response: { 200: Type.Ref('Site'), ...errorResponses },
        },
        config: { permission: 'site:write' },
      },
      (req) => registry.updateSite(actorOf(req), req.params.siteId, req.body),
    );

    app.get(
      '/api/v1/endpoints',
      {
        schema: {
          tags,
          summary: 'List service endpoints',
          querystring: Type.Composite([PageQuery, Type.Object({ siteId: Type.Optional(Id), serviceType: Type.Optional(Type.String({ maxLength: 100 })) })]),
          response: { 200: PageOf(Type.Ref('Endpoint')), ...errorResponses },
        },
        config: { permission: 'registry:read' },
      },
      (req) => registry.listEndpoints(actorOf(req), req.query, req.query.siteId, req.query.serviceType),
    );
    app.post(
      '/api/v1/endpoints',
      {
        schema: { tags, summary: 'Add a service endpoint to a site', body: S.EndpointInput, response: { 201: Type.Ref('Endpoint'), ...errorResponses } },
        config: { permission: 'endpoint:write' },
      },
      async (req, reply) => reply.code(201).send(await registry.createEndpoint(actorOf(req), req.body)),
    );
    app.get(
      '/api/v1/endpoints/:endpointId',
      {
        schema: { tags, summary: 'A service endpoint', params: Type.Object({ endpointId: Id }), response: { 200: Type.Ref('Endpoint'), ...errorResponses } },
        config: { permission: 'registry:read' },
      },
      (req) => registry.getEndpoint(actorOf(req), req.params.endpointId),
    );
    app.patch(
      '/api/v1/endpoints/:endpointId',
      {
        schema: {
          tags,
          summary: 'Edit a service endpoint',
          params: Type.Object({ endpointId: Id }),
          body: S.EndpointPatch,
          response: { 200: Type.Ref('Endpoint'), ...errorResponses },
        },
        config: { permission: 'endpoint:write' },
      },
      (req) => registry.updateEndpoint(actorOf(req), req.params.endpointId, req.body),
    );
    app.delete(
      '/api/v1/endpoints/:endpointId',
      {
        schema: { tags, summary: 'Remove a service endpoint', params: Type.Object({ endpointId: Id }), response: { 204: Type.Null(), ...errorResponses } },
        config: { permission: 'endpoint:write' },
      },
      async (req, reply) => {
        await registry.deleteEndpoint(actorOf(req), req.params.endpointId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/vos',
      {
        schema: { tags, summary: 'List VOs', querystring: PageQuery, response: { 200: PageOf(Type.Ref('Vo')), ...errorResponses } },
        config: { permission: 'registry:read' },
      },
      (req) => registry.listVos(actorOf(req), req.query),
    );
    app.post(
      '/api/v1/vos',
      {
        schema: { tags, summary: 'Register a VO', body: S.VoInput, response: { 201: Type.Ref('Vo'), ...errorResponses } },
        config: { permission: 'vo:create' },
      },
      async (req, reply) => reply.code(201).send(await registry.createVo(actorOf(req), req.body)),
    );
    app.get(
      '/api/v1/vos/:voId',
      {
        schema: { tags, summary: 'A VO with its managers and endorsers', params: Type.Object({ voId: Id }), response: { 200: S.VoDetail, ...errorResponses } },
        config: { permission: 'registry:read' },
      },
      (req) => registry.getVo(actorOf(req), req.params.voId),
    );
    app.patch(
      '/api/v1/vos/:voId',
      {
        schema: { tags, summary: 'Edit a VO', params: Type.Object({ voId: Id }), body: S.VoPatch, response: { 200: Type.Ref('Vo'), ...errorResponses } },
        config: { permission: 'vo:write' },
      },
      (req) => registry.updateVo(actorOf(req), req.params.voId, req.body),
    );
  };
