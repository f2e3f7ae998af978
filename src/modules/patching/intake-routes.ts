// The report intake. `/feed/` is a drop-in for the Pakiti server (a site changes only the URL):
// raw protocol-5 body whatever the Content-Type says, protocol 4 forms, S/MIME-encrypted
// reports; answers exactly `OK\n` (plus tagged-CVE lines when a reporting mode was asked for)
// or `500 ERROR`, as every client from 3.0.2 to 3.0.4 and the curl fallback expect.
// `/api/v1/reports` takes Vigil's own JSON report.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import { DomainError, InvalidError } from '../../core/errors.js';
import { formatResultLines, isSmimeEnvelope, JsonReportSchema, parseReportMode, type HostReport } from '../../lib/pakiti-report/index.js';
import type { Parsers } from '../../server/parse-pool.js';
import { errorResponses } from '../../server/schema-helpers.js';
import type { IntakeService } from './intake.js';
import type { ReporterCredential } from './reporters.js';
import { isQuarantineRefusal } from './quarantine-store.js';
import { decryptSmime } from './smime.js';
import type { UploadSlots } from '../../server/upload-slots.js';

export interface IntakeRouteOptions {
  bodyLimit: number;
  decryptionKey?: string | undefined;
  trustProxy: boolean;
  /** Parses a large body off the event loop (src/server/parse-pool.ts). */
  parsers: Parsers;
  /** Bounds how many reports are read at once (shared by every intake route). */
  uploads: UploadSlots;
}

const FEED_PATHS = ['/feed/', '/feed', '/pakiti/feed/', '/pakiti/feed'];
const FeedQuery = Type.Object(
  {
    protocol: Type.Optional(Type.String({ maxLength: 10 })),
    version: Type.Optional(Type.String({ maxLength: 10 })),
    mode: Type.Optional(Type.String({ maxLength: 40 })),
    report: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: true },
);

function credentialOf(req: FastifyRequest, trustProxy: boolean): ReporterCredential {
  const bearer = req.headers.authorization?.match(/^Bearer\s+(vgr_\S+)$/i)?.[1];
  // A TLS-terminating proxy that verified a client certificate passes its subject DN.
  const dn = trustProxy ? req.headers['x-ssl-client-s-dn'] : undefined;
  return { bearer, clientDn: typeof dn === 'string' ? dn : undefined, address: req.ip };
}

const clientOf = (req: FastifyRequest, report: HostReport) =>
  `${report.agent ? `${report.agent.name}/${report.agent.version}` : (req.headers['user-agent'] ?? 'unknown').split(' ')[0]!.slice(0, 60)} (${report.source})`;

export const pakitiIntakeRoutes =
  (ingest: IntakeService, opts: IntakeRouteOptions): FastifyPluginAsyncTypebox =>
  async (app) => {
    opts.uploads.guard(app);
    // Clients send `application/x-www-form-urlencoded` with a raw body: take every body as bytes.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_req, body, done) => done(null, body));

    /** The report's body in plain text form, with the protocol it speaks. */
    async function readBody(
      req: FastifyRequest,
      query: { protocol?: string | undefined; version?: string | undefined },
    ): Promise<{ body: Buffer; protocol: string }> {
      let body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (body.length === 0) throw new InvalidError('empty report');
      if (isSmimeEnvelope(body)) {
        if (!opts.decryptionKey) throw new InvalidError('an encrypted report arrived but no reportDecryptionKey is configured');
        body = await decryptSmime(body, opts.decryptionKey);
      }
      const looksLikeForm =
        /^(type|host|h)=|(^|&)version=4(&|$)/.test(body.subarray(0, 4096).toString('latin1')) ||
        /multipart\/form-data/i.test(req.headers['content-type'] ?? '');
      const protocol = query.protocol ?? query.version ?? (looksLikeForm ? '4' : '5');
      if (protocol !== '4' && protocol !== '5') throw new InvalidError(`unsupported protocol ${protocol.slice(0, 10)}`);
      return { body, protocol };
    }

    async function ingestBody(req: FastifyRequest, query: Static<typeof FeedQuery>) {
      const { body, protocol } = await readBody(req, query);
      const credential = credentialOf(req, opts.trustProxy);
      const queryMode = parseReportMode(query.mode ?? query.report);
      const limits = { maxBytes: opts.bodyLimit };
      if (protocol === '5') {
        const mode = queryMode ?? 'store-only';
        // A body small enough to parse on the event loop takes the path that skips a known package section.
        if (body.length <= opts.parsers.inlineMaxBytes)
          return { mode, ...(await ingest.acceptProtocol5(body, limits, credential, mode, (r) => clientOf(req, r))) };
        const { report, setId } = await opts.parsers.protocol5(body, limits);
        return { mode, report, result: await ingest.accept(report, credential, mode, clientOf(req, report), undefined, setId) };
      }
      const { report, setId } = await opts.parsers.protocol4(body, req.headers['content-type'], limits);
      const mode = queryMode ?? report.mode ?? 'store-only';
      return { mode, report, result: await ingest.accept(report, credential, mode, clientOf(req, report), undefined, setId) };
    }

    for (const url of FEED_PATHS) {
      app.post(
        url,
        {
          bodyLimit: opts.bodyLimit,
          schema: {
            tags: ['patching'],
            summary: 'Pakiti-compatible report intake (protocol 5 and 4)',
            querystring: FeedQuery,
            hide: url !== '/feed/',
            description:
              'Body: the raw Pakiti report (any Content-Type), or a protocol-4 form, or either encrypted with S/MIME. Optional `Authorization: Bearer vgr_…` enrolment token. ' +
              'Answers `OK\\n`, followed by `name\\tversion\\tarch\\tCVE\\ttag` lines for tagged CVEs when `mode` is store-and-report or report-only (report-only: enrolled reporters only); ' +
              '`500 ERROR` on failure (`ERROR: reason` when the quarantine refuses the report).',
          },
          config: { permission: 'public' },
        },
        async (req, reply) => {
          reply.type('text/plain; charset=utf-8');
          try {
            const { mode, report, result } = await ingestBody(req, req.query);
            // Pakiti clients read only the body; Vigil's agent also reads these headers.
            reply.header('vigil-outcome', result.outcome);
            if (result.outcome === 'quarantined') {
              req.log.warn({ host: report.host, site: report.site }, 'report quarantined for review');
              reply.header('vigil-reason', headerText(result.reason ?? 'held for review'));
            }
            return reply.code(200).send('OK\n' + (mode === 'store-only' ? '' : formatResultLines(result.tagged)));
          } catch (err) {
            // The Pakiti protocol has one error answer; the reason goes to the log, to the
            // `Vigil-Error` header, and to the body too when a quarantine bound refused the report.
            req.log.warn({ reason: (err as Error).message }, 'report refused');
            reply.header('vigil-error', headerText(err instanceof DomainError ? err.message : 'internal error'));
            return reply.code(500).send(isQuarantineRefusal(err) ? `ERROR: ${err.message}\n` : 'ERROR');
          }
        },
      );
    }
  };

/** A reason as one header line: printable ASCII, bounded. */
const headerText = (text: string) => text.replace(/[^\x20-\x7e]+/g, ' ').slice(0, 300);

const IngestAnswer = Type.Object({
  outcome: Type.String(),
  hostId: Type.Optional(Type.String()),
  reason: Type.Optional(Type.String()),
  tagged: Type.Array(Type.Object({ name: Type.String(), version: Type.String(), arch: Type.String(), cve: Type.String(), tag: Type.String() })),
});

/** Checks the query string by its schema; the body stays bytes (the report parser checks it, off the event loop when large). */
function queryOnlyValidator({ schema, httpPart }: { schema: unknown; httpPart?: string }) {
  if (httpPart === 'body') return () => true;
  const check = TypeCompiler.Compile(schema as TSchema);
  const validate = (data: unknown) => {
    const ok = check.Check(data);
    validate.errors = ok
      ? null
      : [...check.Errors(data)].slice(0, 20).map((e) => ({ keyword: 'schema', instancePath: e.path, schemaPath: '', params: {}, message: e.message }));
    return ok;
  };
  validate.errors = null as FastifySchemaValidationError[] | null;
  return validate;
}

export const jsonIntakeRoutes =
  (ingest: IntakeService, opts: IntakeRouteOptions): FastifyPluginAsyncTypebox =>
  async (app) => {
    // The body is parsed by the report parser: JSON.parse of a large or deeply nested body on the
    // event loop would stall every other request (issue 9).
    opts.uploads.guard(app);
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: opts.bodyLimit }, (_req, body, done) => done(null, body));

    app.post(
      '/api/v1/reports',
      {
        bodyLimit: opts.bodyLimit,
        validatorCompiler: queryOnlyValidator,
        schema: {
          tags: ['patching'],
          summary: 'Vigil JSON host report (vigil.report/1), from `vigil agent report` or any tool',
          description: 'Authenticate with `Authorization: Bearer vgr_…` (a site enrolment token); sites that allow anonymous reports accept none.',
          querystring: Type.Object({
            mode: Type.Optional(Type.Union([Type.Literal('store-only'), Type.Literal('store-and-report'), Type.Literal('report-only')])),
          }),
          body: JsonReportSchema,
          response: { 200: IngestAnswer, ...errorResponses, 507: Type.Ref('Problem') },
        },
        config: { permission: 'public' },
      },
      async (req) => {
        const body: unknown = req.body;
        if (!Buffer.isBuffer(body)) throw new InvalidError('send the report as JSON with Content-Type: application/json');
        const { report, setId } = await opts.parsers.jsonReport(body, { maxBytes: opts.bodyLimit });
        return ingest.accept(report, credentialOf(req, opts.trustProxy), req.query.mode ?? 'store-only', clientOf(req, report), undefined, setId);
      },
    );
  };
