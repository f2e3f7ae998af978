// HTTP surface of feed file uploads: the body is streamed to disk, never buffered whole.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Readable } from 'node:stream';
import { actorOf } from '../../server/auth.js';
import { errorResponses } from '../../server/schema-helpers.js';
import type { FeedUploads } from './feed-upload.js';

export const feedUploadRoutes =
  (uploads: FeedUploads): FastifyPluginAsyncTypebox =>
  async (app) => {
    // Only this plugin's routes see the body as a stream, and only as application/octet-stream (any
    // other type answers 415): a JSON or text parser would buffer the file and re-encode it.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
    app.put(
      '/api/v1/feed-files/:fileName',
      {
        schema: {
          tags: ['patching'],
          summary: 'Upload a feed file (OVAL, OSV JSON, a Debian index; .gz, .bz2 or .xz as named) to register as a feed',
          description:
            'Send the file as `application/octet-stream` (compressed: the whole upload must arrive within the server’s 2-minute request timeout). ' +
            'It is stored in `uploads/` of the first configured feed directory, and the answer gives the `source` to register with `POST /api/v1/feeds`. ' +
            'An earlier upload of the same name is replaced only with `replace=true` (a feed reading it reads the new file at its next refresh). ' +
            '413 over `feedUploadLimit`; 415 for another content type; 409 when no feed directory is configured, or for a name uploaded before without `replace`.',
          params: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200 }) }),
          querystring: Type.Object({ replace: Type.Optional(Type.Boolean()) }),
          response: { 201: Type.Object({ source: Type.String(), bytes: Type.Integer(), sha256: Type.String() }), ...errorResponses },
        },
        config: { permission: 'feed:manage' },
      },
      async (req, reply) => {
        // Without a body no parser runs: an empty file, refused as such.
        const body = req.body instanceof Readable ? req.body : Readable.from([]);
        const declared = Number(req.headers['content-length']);
        const stored = await uploads.upload(actorOf(req), req.params.fileName, body, {
          replace: req.query.replace === true,
          declaredBytes: Number.isFinite(declared) ? declared : undefined,
        });
        return reply.code(201).send(stored);
      },
    );
  };
