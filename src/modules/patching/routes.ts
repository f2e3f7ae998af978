// HTTP surface of patch monitoring: hosts, CVEs, risk tags, feeds, enrolment.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { MAX_PAGE, PageOf, PageQuery } from '../../core/paging.js';
import { actorOf } from '../../server/auth.js';
import { errorResponses, Id, Nullable } from '../../server/schema-helpers.js';
import type { PatchingViews } from './views.js';
import type { TagService } from './tags.js';
import type { FeedService } from './feeds.js';
import type { ReporterService } from './reporters.js';
import { QUARANTINE_STATUSES, type QuarantineReview } from './quarantine-review.js';
import { probeSite } from './probe.js';
import type { createTimeToPatch } from './time-to-patch.js';
import { EXCEPTION_STATUSES, type ExceptionService } from './exceptions.js';
import type { ExceptionReview } from './exception-review.js';

const tags = ['patching'];
const CveId = Type.String({ minLength: 5, maxLength: 40, pattern: '^[A-Za-z0-9:_.-]+$' });
// Large read models are documented by their key fields; the rest passes through unchanged.
const Open = (props: Record<string, ReturnType<typeof Type.String>>) => Type.Object(props, { additionalProperties: Type.Unknown() });
const HostRow = Type.Object({
  hostId: Id,
  hostname: Type.String(),
  siteId: Id,
  siteName: Type.String(),
  ngiName: Type.String(),
  os: Type.String(),
  osKey: Nullable(Type.String()),
  arch: Type.String(),
  kernel: Type.String(),
  lastReportAt: Type.String(),
  flags: Type.Array(Type.String()),
  findingCount: Type.Integer(),
  taggedCveCount: Type.Integer(),
});
/** A background job under way: queued or running, how far (0..1), and what it is doing. */
const JobProgress = Type.Object({ status: Type.String(), progress: Type.Number(), message: Nullable(Type.String()) });
const Feed = Type.Object({
  feedId: Id,
  name: Type.String(),
  format: Type.String(),
  source: Type.String(),
  release: Nullable(Type.String()),
  isEnabled: Type.Boolean(),
  refreshHours: Type.Integer(),
  lastRefreshAt: Nullable(Type.String()),
  lastStatus: Type.String(),
  lastError: Nullable(Type.String()),
  definitionCount: Type.Integer(),
  cveCount: Type.Integer(),
  mappingCount: Type.Integer(),
  releases: Type.Array(Type.String()),
  warnings: Type.Array(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  refresh: Type.Optional(Nullable(JobProgress)),
  /** Each warning in plain words (feed-warnings.ts). */
  warningMeanings: Type.Optional(Type.Array(Type.Object({ warning: Type.String(), kind: Type.String(), meaning: Type.String() }))),
});
const ExceptionView = Type.Object({
  exceptionId: Id,
  siteId: Id,
  cve: Type.String(),
  hostId: Nullable(Type.String()),
  packageName: Nullable(Type.String()),
  osKey: Nullable(Type.String()),
  justification: Type.String(),
  expiresAt: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  revokedAt: Nullable(Type.String()),
  status: Type.Union([Type.Literal('pending'), Type.Literal('accepted'), Type.Literal('rejected')], {
    description: 'pending: waits for the CSIRT (the CVE is tagged) and excepts nothing yet',
  }),
  reviewedBy: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  reviewReason: Nullable(Type.String()),
});
const ExceptionRow = Type.Composite([
  ExceptionView,
  Type.Object({
    siteName: Type.String(),
    hostname: Nullable(Type.String()),
    inEffect: Type.Boolean({ description: 'accepted, not revoked, not expired: its findings are excepted' }),
    abilities: Type.Array(Type.String()),
  }),
]);
const ExceptionPolicy = Type.Object({ allowedTags: Type.Array(Type.String()), autoAcceptTags: Type.Array(Type.String()) });
const TagChange = Type.Object({
  action: Type.String(),
  arch: Nullable(Type.String()),
  tagBefore: Nullable(Type.String()),
  tagAfter: Nullable(Type.String()),
  reasonBefore: Nullable(Type.String()),
  reasonAfter: Nullable(Type.String()),
  changedBy: Type.String(),
  changedAt: Type.String(),
});
const QuarantineEntry = Type.Object({
  quarantineId: Id,
  receivedAt: Type.String(),
  claimedSite: Type.String(),
  hostname: Type.String(),
  reason: Type.String(),
  status: Type.Union(QUARANTINE_STATUSES.map((v) => Type.Literal(v))),
  reviewedBy: Nullable(Type.String()),
  reviewedAt: Nullable(Type.String()),
  releasedSiteId: Nullable(Type.String()),
  releasedSiteName: Nullable(Type.String()),
  rejectReason: Nullable(Type.String()),
  hostId: Nullable(Type.String({ description: 'the host a released report became' })),
});
const Tag = Type.Object({
  cve: Type.String(),
  tag: Type.String(),
  arch: Nullable(Type.String()),
  reason: Type.String(),
  taggedAt: Type.String(),
  taggedBy: Type.String(),
});

export interface PatchingRouteDeps {
  views: PatchingViews;
  tagService: TagService;
  feeds: FeedService;
  reporters: ReporterService;
  quarantineReview: QuarantineReview;
  timeToPatch: ReturnType<typeof createTimeToPatch>;
  exceptions: ExceptionService;
  exceptionReview: ExceptionReview;
}

export const patchingRoutes =
  ({ views, tagService, feeds, reporters, quarantineReview, timeToPatch, exceptions, exceptionReview }: PatchingRouteDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/v1/hosts',
      {
        schema: {
          tags,
          summary: 'Hosts that report, with finding counts',
          response: { 200: PageOf(HostRow), ...errorResponses },
          querystring: Type.Composite([
            PageQuery,
            Type.Object({
              siteId: Type.Optional(Id),
              ngiId: Type.Optional(Id),
              cve: Type.Optional(CveId),
              tag: Type.Optional(Type.String({ maxLength: 40 })),
              activeSince: Type.Optional(Type.String({ format: 'date-time' })),
              reportedBefore: Type.Optional(Type.String({ format: 'date-time', description: 'silent hosts: last report before this time' })),
            }),
          ]),
        },
        config: { permission: 'patching:read' },
      },
      (req) => views.listHosts(actorOf(req), req.query, req.query),
    );

    app.get(
      '/api/v1/patching/summary',
      {
        schema: {
          tags,
          summary: 'Drill-down counts: per NGI, or per site of one NGI (hosts, vulnerable, silent 7+ days, hosts per risk tag)',
          description:
            'Every NGI or site in reach, reporting or not. Per site: `reporting` is `none` (no host ever reported), `silent` (every host silent 7+ days) or `yes`; those not reporting come first. `removed` marks a removed site that still has hosts. Per NGI: `sites` and `sitesNotReporting`.',
          querystring: Type.Object({ ngiId: Type.Optional(Id) }),
          response: {
            200: Type.Object({
              groupedBy: Type.String(),
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  name: Type.String(),
                  hosts: Type.Integer(),
                  vulnerable: Type.Integer(),
                  silent: Type.Integer(),
                  sites: Type.Integer(),
                  sitesNotReporting: Type.Integer(),
                  reporting: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('silent'), Type.Literal('yes')])),
                  removed: Type.Optional(Type.Boolean()),
                  byTag: Type.Record(Type.String(), Type.Integer()),
                  byLifecycleRule: Type.Record(Type.String(), Type.Integer()),
                }),
              ),
            }),
            ...errorResponses,
          },
        },
        config: { permission: 'patching:read' },
      },
      (req) => views.summary(actorOf(req), req.query),
    );

    app.get(
      '/api/v1/hosts.csv',
      {
        schema: {
          tags,
          summary: 'The hosts list as CSV, same filters as /api/v1/hosts (up to 100,000 rows)',
          querystring: Type.Object({
            siteId: Type.Optional(Id),
            ngiId: Type.Optional(Id),
            cve: Type.Optional(CveId),
            tag: Type.Optional(Type.String({ maxLength: 40 })),
            q: Type.Optional(Type.String({ maxLength: 200 })),
            reportedBefore: Type.Optional(Type.String({ format: 'date-time', description: 'silent hosts: last report before this time' })),
          }),
        },
        config: { permission: 'patching:read' },
      },
      async (req, reply) =>
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="hosts.csv"')
          .send(await views.hostsCsv(actorOf(req), req.query)),
    );

    app.get(
      '/api/v1/hosts/:hostId',
      {
        schema: {
          tags,
          summary: 'A host: packages, findings (with when each appeared), package changes',
          params: Type.Object({ hostId: Id }),
          response: { 200: Open({ hostId: Id, hostname: Type.String() }), ...errorResponses },
        },
        config: { permission: 'patching:read' },
      },
      (req) => views.getHost(actorOf(req), req.params.hostId),
    );

    app.get(
      '/api/v1/cves/:cveId',
      {
        schema: {
          tags,
          summary: 'Who is exposed to a CVE: sites, host counts, security contacts, tags',
          params: Type.Object({ cveId: CveId }),
          response: { 200: Open({ cve: Type.String() }), ...errorResponses },
        },
        config: { permission: 'patching:read' },
      },
      (req) => views.cve(actorOf(req), req.params.cveId),
    );

    app.get(
      '/api/v1/cves/:cveId/time-to-patch',
      {
        schema: {
          tags,
          summary: 'Time to patch a tagged CVE: vulnerable hosts per day (the last 400 days), per site, median hours to fix, sites past the deadline',
          params: Type.Object({ cveId: CveId }),
          response: { 200: Open({ cve: Type.String() }), ...errorResponses },
        },
        config: { permission: 'patching:read' },
      },
      (req) => timeToPatch(actorOf(req), req.params.cveId),
    );

    app.get(
      '/api/v1/cve-tags',
      {
        schema: {
          tags,
          summary: 'CSIRT risk tags',
          querystring: Type.Object({ cve: Type.Optional(CveId) }),
          response: { 200: Type.Object({ allowedTags: Type.Array(Type.String()), items: Type.Array(Tag) }), ...errorResponses },
        },
        config: { permission: 'patching:read' },
      },
      async (req) => ({ allowedTags: [...tagService.allowedTags], items: await tagService.list(req.query.cve) }),
    );

    app.post(
      '/api/v1/cve-tags',
      {
        schema: {
          tags,
          summary: 'Tag a CVE with a federation risk level (optionally for one architecture)',
          description:
            'Tagging a CVE already tagged for that architecture with the same level and reason answers 200 and changes nothing; with another level or reason, 409: edit the tag instead (PATCH), which keeps the tagging time.',
          body: Type.Object(
            {
              cve: CveId,
              tag: Type.String({ minLength: 1, maxLength: 40 }),
              reason: Type.String({ minLength: 1, maxLength: 2000 }),
              arch: Type.Optional(Nullable(Type.String({ maxLength: 20, pattern: '^[A-Za-z0-9_]+$' }))),
            },
            { additionalProperties: false },
          ),
          response: { 200: Tag, 201: Tag, ...errorResponses },
        },
        config: { permission: 'cve:tag' },
      },
      async (req, reply) => {
        const { created, ...tag } = await tagService.tag(actorOf(req), req.body);
        return reply.code(created ? 201 : 200).send(tag);
      },
    );

    app.patch(
      '/api/v1/cve-tags/:cveId/:tag',
      {
        schema: {
          tags,
          summary: "Edit a risk tag's level or reason; the tagging time (the deadline's start) stays, the change is kept in the tag's history",
          params: Type.Object({ cveId: CveId, tag: Type.String({ maxLength: 40 }) }),
          querystring: Type.Object({ arch: Type.Optional(Type.String({ maxLength: 20 })) }),
          body: Type.Object(
            { tag: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Tag, ...errorResponses },
        },
        config: { permission: 'cve:tag' },
      },
      (req) => tagService.edit(actorOf(req), { cve: req.params.cveId, tag: req.params.tag, arch: req.query.arch }, req.body),
    );

    app.get(
      '/api/v1/cve-tags/:cveId/history',
      {
        schema: {
          tags,
          summary: "Every change to a CVE's risk tags (tagging, edits of level or reason, removal), newest first",
          params: Type.Object({ cveId: CveId }),
          response: { 200: Type.Object({ items: Type.Array(TagChange) }), ...errorResponses },
        },
        config: { permission: 'patching:read' },
      },
      async (req) => ({ items: await tagService.history(req.params.cveId) }),
    );

    app.delete(
      '/api/v1/cve-tags/:cveId/:tag',
      {
        schema: {
          tags,
          summary: 'Remove a risk tag',
          params: Type.Object({ cveId: CveId, tag: Type.String({ maxLength: 40 }) }),
          querystring: Type.Object({ arch: Type.Optional(Type.String({ maxLength: 20 })) }),
          response: { 204: Type.Null(), ...errorResponses },
        },
        config: { permission: 'cve:tag' },
      },
      async (req, reply) => {
        await tagService.untag(actorOf(req), { cve: req.params.cveId, tag: req.params.tag, arch: req.query.arch });
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/api/v1/exceptions',
      {
        schema: {
          tags,
          summary: 'Finding exceptions (CVE × host, package or OS release) within your reach; `status=pending` is the CSIRT review queue',
          querystring: Type.Object({
            siteId: Type.Optional(Id),
            cve: Type.Optional(CveId),
            hostId: Type.Optional(Id),
            status: Type.Optional(Type.Union(EXCEPTION_STATUSES.map((v) => Type.Literal(v)))),
          }),
          response: { 200: Type.Object({ items: Type.Array(ExceptionRow) }), ...errorResponses },
        },
        config: { permission: 'patching:read' },
      },
      async (req) => ({ items: await exceptions.list(actorOf(req), req.query) }),
    );
    app.post(
      '/api/v1/exceptions',
      {
        schema: {
          tags,
          summary: 'Record an exception with a justification and an expiry (at most a year)',
          description:
            'An exception to a CVE the CSIRT has tagged is `pending` until the CSIRT accepts it (unless the tag level is in the auto-accept policy).',
          body: Type.Object(
            {
              siteId: Id,
              cve: CveId,
              hostId: Type.Optional(Id),
              packageName: Type.Optional(Type.String({ maxLength: 200 })),
              osKey: Type.Optional(Type.String({ maxLength: 40 })),
              justification: Type.String({ minLength: 10, maxLength: 2000 }),
              expiresAt: Type.String({ format: 'date-time' }),
            },
            { additionalProperties: false },
          ),
          response: { 201: ExceptionView, ...errorResponses },
        },
        config: { permission: 'exception:manage' },
      },
      async (req, reply) => reply.code(201).send(await exceptions.create(actorOf(req), req.body)),
    );
    app.post(
      '/api/v1/exceptions/:exceptionId/revoke',
      {
        schema: { tags, summary: 'Revoke an exception', params: Type.Object({ exceptionId: Id }), response: { 204: Type.Null(), ...errorResponses } },
        config: { permission: 'exception:manage' },
      },
      async (req, reply) => {
        await exceptions.revoke(actorOf(req), req.params.exceptionId);
        return reply.code(204).send(null);
      },
    );
    app.post(
      '/api/v1/exceptions/:exceptionId/accept',
      {
        schema: {
          tags,
          summary: 'Accept a pending exception: its findings are excepted from now on',
          description: 'Not by the person who recorded it (403).',
          params: Type.Object({ exceptionId: Id }),
          response: { 200: ExceptionView, ...errorResponses },
        },
        config: { permission: 'exception:review' },
      },
      (req) => exceptionReview.accept(actorOf(req), req.params.exceptionId),
    );
    app.post(
      '/api/v1/exceptions/:exceptionId/reject',
      {
        schema: {
          tags,
          summary: 'Reject a pending exception, with the reason the site reads',
          params: Type.Object({ exceptionId: Id }),
          body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 1000 }) }, { additionalProperties: false }),
          response: { 200: ExceptionView, ...errorResponses },
        },
        config: { permission: 'exception:review' },
      },
      (req) => exceptionReview.reject(actorOf(req), req.params.exceptionId, req.body.reason),
    );
    app.get(
      '/api/v1/exception-policy',
      {
        schema: { tags, summary: 'Tag levels whose exceptions take effect without review', response: { 200: ExceptionPolicy, ...errorResponses } },
        config: { permission: 'patching:read' },
      },
      () => exceptionReview.policy(),
    );
    app.put(
      '/api/v1/exception-policy',
      {
        schema: {
          tags,
          summary: 'Set the tag levels whose exceptions take effect without review (none by default)',
          body: Type.Object({ autoAcceptTags: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }) }, { additionalProperties: false }),
          response: { 200: ExceptionPolicy, ...errorResponses },
        },
        config: { permission: 'exception:review' },
      },
      (req) => exceptionReview.setPolicy(actorOf(req), req.body.autoAcceptTags),
    );

    app.get(
      '/api/v1/feeds',
      {
        schema: {
          tags,
          summary: 'Vulnerability feeds and their status, with refreshes and the hosts’ re-evaluation under way',
          response: { 200: Type.Object({ items: Type.Array(Feed), reevaluation: Nullable(JobProgress) }), ...errorResponses },
        },
        config: { permission: 'patching:read' },
      },
      async (req) => {
        const [items, reevaluation] = await Promise.all([feeds.listFor(actorOf(req)), feeds.reevaluation()]);
        return { items, reevaluation };
      },
    );

    app.post(
      '/api/v1/feeds',
      {
        schema: {
          tags,
          summary: 'Register a feed (OVAL and debian-index need the release they cover)',
          description:
            'The source must be a path inside one of the configured `feedDirectories` or a URL under one of the `feedUrlPrefixes` (422 otherwise); it is checked again at each refresh.',
          body: Type.Object(
            {
              name: Type.String({ minLength: 1, maxLength: 100 }),
              format: Type.Union([Type.Literal('oval'), Type.Literal('osv'), Type.Literal('csaf'), Type.Literal('debian-index')]),
              source: Type.String({ minLength: 1, maxLength: 2000 }),
              release: Type.Optional(Type.String({ maxLength: 40 })),
              refreshHours: Type.Optional(Type.Integer({ minimum: 0, maximum: 24 * 30 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Feed, ...errorResponses },
        },
        config: { permission: 'feed:manage' },
      },
      async (req, reply) => reply.code(201).send(await feeds.add(actorOf(req), req.body)),
    );

    app.post(
      '/api/v1/feeds/:feedId/refresh',
      {
        schema: {
          tags,
          summary: 'Queue a refresh of the feed (a background job)',
          params: Type.Object({ feedId: Id }),
          response: { 202: Type.Object({ jobId: Nullable(Type.String()) }), ...errorResponses },
        },
        config: { permission: 'feed:manage' },
      },
      async (req, reply) => {
        const jobId = await feeds.queueRefresh(actorOf(req), req.params.feedId);
        return reply.code(202).send({ jobId: jobId ?? null });
      },
    );

    const siteParams = Type.Object({ siteId: Id });
    app.get(
      '/api/v1/sites/:siteId/enrolment-tokens',
      {
        schema: {
          tags,
          summary: 'Enrolment tokens of a site (hosts report with them)',
          params: siteParams,
          response: { 200: Type.Object({ items: Type.Array(Open({ tokenId: Id })) }), ...errorResponses },
        },
        config: { permission: 'enrolment:manage' },
      },
      async (req) => ({ items: await reporters.listTokens(actorOf(req), req.params.siteId) }),
    );
    app.post(
      '/api/v1/sites/:siteId/enrolment-tokens',
      {
        schema: {
          tags,
          summary: 'Create an enrolment token; its text is shown only in this answer',
          params: siteParams,
          body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
          response: { 201: Open({ token: Type.String(), tokenId: Id }), ...errorResponses },
        },
        config: { permission: 'enrolment:manage' },
      },
      async (req, reply) => reply.code(201).send(await reporters.createToken(actorOf(req), req.params.siteId, req.body.name)),
    );
    app.post(
      '/api/v1/sites/:siteId/enrolment-tokens/:tokenId/revoke',
      {
        schema: {
          tags,
          summary: 'Revoke an enrolment token',
          params: Type.Object({ siteId: Id, tokenId: Id }),
          response: { 204: Type.Null(), ...errorResponses },
        },
        config: { permission: 'enrolment:manage' },
      },
      async (req, reply) => {
        await reporters.revokeToken(actorOf(req), req.params.siteId, req.params.tokenId);
        return reply.code(204).send(null);
      },
    );
    const Dn = Type.String({ minLength: 3, maxLength: 1000, pattern: '^/' });
    app.get(
      '/api/v1/sites/:siteId/reporter-dns',
      {
        schema: {
          tags,
          summary: 'Client-certificate DNs mapped to the site',
          params: siteParams,
          response: { 200: Type.Object({ items: Type.Array(Type.Object({ dn: Type.String(), mappedAt: Type.String() })) }), ...errorResponses },
        },
        config: { permission: 'enrolment:manage' },
      },
      async (req) => ({ items: await reporters.listDns(actorOf(req), req.params.siteId) }),
    );
    app.post(
      '/api/v1/sites/:siteId/reporter-dns',
      {
        schema: {
          tags,
          summary: 'Map a client-certificate DN to the site: reports sent with that certificate (through a TLS proxy) belong to it',
          description: 'A DN reports for one site: one mapped to another site answers 409, unless the caller manages both sites (then it moves).',
          params: siteParams,
          body: Type.Object({ dn: Dn }, { additionalProperties: false }),
          response: { 204: Type.Null(), ...errorResponses },
        },
        config: { permission: 'enrolment:manage' },
      },
      async (req, reply) => {
        await reporters.mapDn(actorOf(req), req.params.siteId, req.body.dn);
        return reply.code(204).send(null);
      },
    );
    app.delete(
      '/api/v1/sites/:siteId/reporter-dns',
      {
        schema: {
          tags,
          summary: 'Remove a client-certificate DN from the site (its reports are then anonymous)',
          params: siteParams,
          querystring: Type.Object({ dn: Dn }),
          response: { 204: Type.Null(), ...errorResponses },
        },
        config: { permission: 'enrolment:manage' },
      },
      async (req, reply) => {
        await reporters.unmapDn(actorOf(req), req.params.siteId, req.query.dn);
        return reply.code(204).send(null);
      },
    );

    // The CSIRT reviews every quarantined report, an NGI security officer those naming a site of
    // their NGI: the route checks `quarantine:review`, the service each entry's scope.
    app.get(
      '/api/v1/report-quarantine',
      {
        schema: {
          tags,
          summary: 'Reports held for review (unknown site, token of another site, no site), newest first',
          querystring: Type.Object({
            status: Type.Union(
              QUARANTINE_STATUSES.map((v) => Type.Literal(v)),
              { default: 'pending' },
            ),
            limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 50 }),
            offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
            q: Type.Optional(Type.String({ maxLength: 200, description: 'substring of the host name or the claimed site' })),
          }),
          response: { 200: PageOf(QuarantineEntry), ...errorResponses },
        },
        config: { permission: 'quarantine:review' },
      },
      (req) => quarantineReview.list(actorOf(req), req.query),
    );
    const quarantineParams = Type.Object({ quarantineId: Id });
    app.post(
      '/api/v1/report-quarantine/:quarantineId/release',
      {
        schema: {
          tags,
          summary: 'Store a pending quarantined report as a report of the chosen site',
          params: quarantineParams,
          body: Type.Object({ siteId: Id }, { additionalProperties: false }),
          response: { 200: QuarantineEntry, ...errorResponses },
        },
        config: { permission: 'quarantine:review' },
      },
      (req) => quarantineReview.release(actorOf(req), req.params.quarantineId, req.body.siteId),
    );
    app.post(
      '/api/v1/report-quarantine/:quarantineId/reject',
      {
        schema: {
          tags,
          summary: 'Refuse a pending quarantined report, with the reason',
          params: quarantineParams,
          body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 1000 }) }, { additionalProperties: false }),
          response: { 200: QuarantineEntry, ...errorResponses },
        },
        config: { permission: 'quarantine:review' },
      },
      (req) => quarantineReview.reject(actorOf(req), req.params.quarantineId, req.body.reason),
    );

    app.get(
      '/api/v1/sites/:siteId/report-policy',
      {
        schema: {
          tags,
          summary: 'Whether a site accepts anonymous (Pakiti-style) reports',
          params: siteParams,
          response: { 200: Type.Object({ anonymousAllowed: Type.Boolean() }), ...errorResponses },
        },
        config: { permission: 'patching:read' },
      },
      (req) => reporters.reportPolicy(actorOf(req), req.params.siteId),
    );

    app.put(
      '/api/v1/sites/:siteId/report-policy',
      {
        schema: {
          tags,
          summary: 'Allow or refuse anonymous (Pakiti-style) reports for a site',
          params: siteParams,
          body: Type.Object({ anonymousAllowed: Type.Boolean() }, { additionalProperties: false }),
          response: { 204: Type.Null(), ...errorResponses },
        },
        config: { permission: 'report-policy:manage' },
      },
      async (req, reply) => {
        await reporters.setAnonymous(actorOf(req), req.params.siteId, req.body.anonymousAllowed);
        return reply.code(204).send(null);
      },
    );

    // Pakiti's CSV for the ARGO probe `eu.egi.sec.ARCCE-Pakiti-Check`.
    for (const url of ['/api/hosts.php', '/pakiti/api/hosts.php']) {
      app.get(
        url,
        {
          schema: {
            tags,
            summary: 'Pakiti-compatible CSV: tag,cve,site,host,os,arch,last_report',
            hide: url !== '/api/hosts.php',
            querystring: Type.Object({
              hostGroup: Type.Optional(Type.String({ maxLength: 100 })),
              cveName: Type.Optional(CveId),
              tag: Type.Optional(Type.String({ maxLength: 40 })),
              activity: Type.Optional(Type.String({ maxLength: 12 })),
            }),
          },
          config: { permission: 'patching:read' },
        },
        async (req, reply) => reply.type('text/csv; charset=utf-8').send(await views.pakitiHostsCsv(actorOf(req), req.query)),
      );
    }

    app.get(
      '/api/v1/probe/sites/:siteName',
      {
        schema: {
          tags,
          summary: 'Nagios/ARGO probe for a site: one status line with perfdata; the exit code as X-Nagios-Status',
          params: Type.Object({ siteName: Type.String({ maxLength: 100 }) }),
        },
        config: { permission: 'patching:read' },
      },
      async (req, reply) => {
        const probe = await probeSite(views, actorOf(req), req.params.siteName);
        return reply
          .header('x-nagios-status', String(probe.code))
          .type('text/plain; charset=utf-8')
          .send(probe.text + '\n');
      },
    );
  };
