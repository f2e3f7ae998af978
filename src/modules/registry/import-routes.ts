// GOCDB import over HTTP: the body is one PI XML document (any method, or a mix).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InvalidError } from '../../core/errors.js';
import { actorOf } from '../../server/auth.js';
import { errorResponses } from '../../server/schema-helpers.js';
import type { Parsers } from '../../server/parse-pool.js';
import type { createGocdbImport } from './gocdb-import.js';

export const importRoutes =
  (importGocdb: ReturnType<typeof createGocdbImport>, bodyLimit: number, parsers: Parsers): FastifyPluginAsyncTypebox =>
  async (app) => {
    // XML arrives as raw bytes; the streaming parser applies its own size, depth and count limits.
    app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));

    app.post(
      '/api/v1/imports/gocdb',
      {
        bodyLimit,
        schema: {
          tags: ['registry'],
          summary: 'Import GOCDB programmatic-interface XML (get_ngi, get_site, get_service_endpoint, get_site_contacts, get_user …)',
          description:
            'Idempotent: keyed on GOCDB primary keys; a re-import updates and never duplicates. All or nothing, in one transaction. ' +
            'Send Content-Type application/xml. With ?dryRun=true nothing is written and the summary says what would change.',
          querystring: Type.Object({ dryRun: Type.Boolean({ default: false }) }),
          consumes: ['application/xml'],
          response: { 200: Type.Ref('ImportSummary'), 415: Type.Ref('Problem'), ...errorResponses },
        },
        config: { permission: 'import:gocdb' },
      },
      async (req) => {
        if (!Buffer.isBuffer(req.body)) throw new InvalidError('send the GOCDB XML with Content-Type: application/xml');
        // A large document is parsed on a worker thread: seconds of XML parsing would stall the server.
        const parsed = await parsers.gocdb(req.body, { maxBytes: bodyLimit });
        return importGocdb(actorOf(req), [parsed], { dryRun: req.query.dryRun, source: 'upload' });
      },
    );
  };
