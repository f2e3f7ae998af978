// Vulnerability feeds: registered sources, their normalized definitions in the database, and
// the feed generation every process compares to know when to recompile.
import type { Db, Executor } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import type { Audit } from '../../core/audit.js';
import type { JobQueue } from '../../core/jobs.js';
import { newId } from '../../core/ids.js';
import { ConflictError, DomainError, InvalidError, NotFoundError } from '../../core/errors.js';
import { can, FEDERATION, requireAccess, type Actor } from '../../core/access.js';
import type { FeedTable } from '../../db/schema.js';
import { readFeed, type FeedFormat, type FeedSpec, type ReadFeed } from './feed-source.js';
import { ANYWHERE, checkFeedSource, type FeedPlaces } from './feed-places.js';
import { loadSourceMaps, replaceSourceMap } from './source-map-repo.js';
import { withIndexWarnings } from './index-coverage.js';
import { explainFeedWarning } from './feed-warnings.js';
import { feedDriftAlarms } from '../../lib/evaluate/index.js';
import { createFeedCveCollector, hasFeedCves, replaceFeedCves } from './feed-cves.js';

export const REEVALUATE_JOB = 'patching.reevaluate';
export const FEED_REFRESH_JOB = 'patching.feed-refresh';

/**
 * Where a feed is read from, with the release an OVAL file covers, stored as JSON in `feed.source`.
 * `operator`: the source was named on the command line (`vigil feeds add|import`), and is read
 * wherever it is; any other is read only inside the configured places (feed-places.ts).
 */
interface FeedSource {
  location: string;
  release?: string | undefined;
  operator?: true | undefined;
}
const encodeSource = (s: FeedSource) => JSON.stringify(s);
const decodeSource = (text: string): FeedSource => JSON.parse(text) as FeedSource;

export interface FeedInput {
  name: string;
  format: FeedFormat;
  source: string;
  release?: string | undefined;
  refreshHours?: number | undefined;
}

const toFeed = (r: FeedTable) => ({
  feedId: r.feed_id,
  name: r.name,
  format: r.format,
  source: decodeSource(r.source).location,
  release: decodeSource(r.source).release ?? null,
  isEnabled: r.is_enabled === 1,
  refreshHours: r.refresh_hours,
  lastRefreshAt: r.last_refresh_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
  definitionCount: r.definition_count,
  cveCount: r.cve_count,
  mappingCount: r.mapping_count,
  releases: JSON.parse(r.releases_json) as string[],
  warnings: JSON.parse(r.warnings_json) as string[],
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});
export type Feed = ReturnType<typeof toFeed>;

export async function feedGeneration(db: Executor): Promise<number> {
  return (await db.selectFrom('patching_state').select('feed_generation').where('state_id', '=', 1).executeTakeFirstOrThrow()).feed_generation;
}

/**
 * What a failed read may say on the feed and its job (both shown to the CSIRT): a domain error's
 * message (the readers never quote what they read), else only the kind of failure.
 */
function failureMessage(err: unknown): string {
  if (err instanceof DomainError) return err.message;
  const e = err as { name?: unknown; code?: unknown; cause?: { code?: unknown } } | undefined;
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'reading the source timed out';
  const code = typeof e?.code === 'string' ? e.code : typeof e?.cause?.code === 'string' ? e.cause.code : undefined;
  return `reading the source failed${code && /^[A-Z0-9_]{2,40}$/.test(code) ? ` (${code})` : ''}`;
}

/**
 * Judges what a refresh read before anything is replaced (issue 10, item 8: Pakiti went silent
 * when Ubuntu changed its format). Nothing at all (no definitions; an index without names) is an
 * error: the previous data stays and the feed is marked failed. Definitions without CVEs, CVEs
 * halving, and the parser's drift alarms are `alarms`: stored, but the feed's status becomes
 * `warning`, shown on the feed page and by the CLI. `warnings` are informational (skip counts).
 * Other checks add to either list.
 */
function checkRead(feed: FeedTable, read: ReadFeed): { warnings: string[]; alarms: string[] } {
  const warnings: string[] = [];
  const alarms: string[] = [];
  const skipped = Object.entries(read.stats.skipped)
    .filter(([, n]) => n > 0)
    .map(([why, n]) => `${n} skipped: ${why}`);
  const index = read.sourceMap;
  if (index) {
    const mappings = index.pairs.length;
    // An index has names, not CVEs: it is broken when the names stop coming.
    if (mappings === 0) throw new InvalidError('this index yielded no binary → source pairs (is it a Sources or Packages file?): the previous names are kept');
    if (feed.mapping_count > 0 && mappings < feed.mapping_count / 2)
      alarms.push(`mappings fell from ${feed.mapping_count} to ${mappings} since the last refresh`);
  } else {
    if (read.definitionCount === 0) {
      const why = skipped.length > 0 ? ` (${skipped.slice(0, 3).join(', ')})` : '';
      throw new InvalidError(`this feed yielded no definitions${why}: its format may have changed; the previous definitions are kept`);
    }
    // A feed that stops yielding CVEs is how Pakiti broke silently when Ubuntu changed its format.
    if (read.cveCount === 0) alarms.push('this feed produced no CVEs: its format may have changed');
    if (feed.cve_count > 0 && read.cveCount < feed.cve_count / 2) alarms.push(`CVEs fell from ${feed.cve_count} to ${read.cveCount} since the last refresh`);
    alarms.push(...feedDriftAlarms(read.stats).filter((a) => !/no definitions read/.test(a)));
  }
  warnings.push(...skipped.slice(0, 20));
  return { warnings, alarms };
}

export function createFeedService({ db, clock, audit, jobs, places }: { db: Db; clock: Clock; audit: Audit; jobs: JobQueue; places: FeedPlaces }) {
  const now = () => clock.now().toISOString();

  /**
   * Replaces a feed's definitions (an index's names) with what was read, in one transaction fed a page at a time
   * (an OVAL feed's definitions wait on disk, not in memory); warns on signs of a silent breakage.
   */
  async function store(feed: FeedTable, read: ReadFeed, actor: Actor) {
    const { warnings, alarms } = checkRead(feed, read);
    const mappings = read.sourceMap?.pairs.length ?? 0;
    const index = read.sourceMap;
    const t = now();
    const unchanged = feed.content_hash === read.contentHash;
    const refreshed = {
      last_refresh_at: t,
      last_status: alarms.length > 0 ? 'warning' : 'ok',
      last_error: null,
      content_hash: read.contentHash,
      definition_count: read.definitionCount,
      cve_count: read.cveCount,
      mapping_count: mappings,
      releases_json: JSON.stringify(read.releases),
      warnings_json: JSON.stringify([...alarms, ...warnings]),
      updated_at: t,
    };
    await db.transaction().execute(async (trx) => {
      // An index's hash is of its names (feed-source.ts): the generation moves only when they change.
      if (!unchanged && index) await replaceSourceMap(trx, feed.feed_id, index.release, index.pairs);
      if (!unchanged) {
        await trx.deleteFrom('feed_definition').where('feed_id', '=', feed.feed_id).execute();
        const cves = createFeedCveCollector();
        for (const page of read.pages(500)) {
          await trx
            .insertInto('feed_definition')
            .values(page.map((d) => ({ feed_id: feed.feed_id, definition_id: d.definitionId, body_json: d.bodyJson })))
            .execute();
          for (const d of page) cves.addJson(d.bodyJson);
        }
        await replaceFeedCves(trx, feed.feed_id, cves);
        await trx
          .updateTable('patching_state')
          .set((eb) => ({ feed_generation: eb('feed_generation', '+', 1), updated_at: t }))
          .where('state_id', '=', 1)
          .execute();
        await jobs.enqueue(trx, REEVALUATE_JOB, {}, { uniqueKey: REEVALUATE_JOB });
      } else if (!index && !(await hasFeedCves(trx, feed.feed_id))) {
        // Stored before the CVE list (migration 0017): its titles and links, once.
        const cves = createFeedCveCollector();
        for (const page of read.pages(500)) for (const d of page) cves.addJson(d.bodyJson);
        await replaceFeedCves(trx, feed.feed_id, cves);
      }
      await trx.updateTable('feed').set(refreshed).where('feed_id', '=', feed.feed_id).execute();
      await audit.record(trx, {
        actor,
        action: 'feed.refresh',
        objectType: 'feed',
        objectId: feed.feed_id,
        before: { definitionCount: feed.definition_count, cveCount: feed.cve_count, mappingCount: feed.mapping_count },
        after: { definitionCount: read.definitionCount, cveCount: read.cveCount, mappingCount: mappings, unchanged },
      });
    });
    return toFeed({ ...feed, ...refreshed });
  }

  async function getRow(feedIdOrName: string) {
    const row = await db
      .selectFrom('feed')
      .selectAll()
      .where((eb) => eb.or([eb('feed_id', '=', feedIdOrName), eb('name', '=', feedIdOrName)]))
      .executeTakeFirst();
    if (!row) throw new NotFoundError('feed', feedIdOrName);
    return row;
  }

  /** Feed refreshes and the re-evaluation queued or running now, by the job's unique key. */
  const activeJobs = () => jobs.underWay([FEED_REFRESH_JOB, REEVALUATE_JOB]);

  const service = {
    /** Every feed, with its refresh under way if any; a Debian/Ubuntu feed whose release has no binary → source index says so in its warnings. */
    async list() {
      const [rows, active] = await Promise.all([db.selectFrom('feed').selectAll().orderBy('name').execute(), activeJobs()]);
      return withIndexWarnings(rows.map((r) => ({ ...toFeed(r), refresh: active.get(`${FEED_REFRESH_JOB}:${r.feed_id}`) ?? null }))).map((f) => ({
        ...f,
        warningMeanings: f.warnings.map(explainFeedWarning),
      }));
    },

    /** The feeds as `actor` may see them: where each is read from (server paths, internal
     *  mirrors, in the source and the refresh's message) only for those who manage feeds. */
    async listFor(actor: Actor) {
      const items = await service.list();
      if (can(actor, 'feed:manage', FEDERATION)) return items;
      return items.map((f) => ({ ...f, source: '', refresh: f.refresh && { ...f.refresh, message: null } }));
    },

    /** The re-evaluation of hosts after a feed changed, while it is queued or running. */
    reevaluation: async () => (await activeJobs()).get(REEVALUATE_JOB) ?? null,

    /** Registers a feed. Its source must lie in the configured places unless `operator` (the CLI) names it. */
    async add(actor: Actor, input: FeedInput, opts: { operator?: boolean } = {}) {
      await requireAccess(actor, 'feed:manage', FEDERATION);
      if (input.format === 'oval' && !input.release) throw new InvalidError('an OVAL feed needs --release (e.g. rhel:9, debian:12, ubuntu:22.04)');
      if (input.format === 'debian-index' && !/^(debian|ubuntu):/.test(input.release ?? '')) {
        throw new InvalidError('a debian-index feed needs --release debian:N or ubuntu:YY.MM (e.g. debian:12, ubuntu:22.04)');
      }
      const location = await checkFeedSource(opts.operator ? ANYWHERE : places, input.source);
      if (await db.selectFrom('feed').select('feed_id').where('name', '=', input.name).executeTakeFirst())
        throw new ConflictError(`feed ${input.name} already exists`);
      const t = now();
      const source = encodeSource({ location, release: input.release, ...(opts.operator ? { operator: true as const } : {}) });
      const row: FeedTable = {
        feed_id: newId(),
        name: input.name,
        format: input.format,
        source,
        is_enabled: 1,
        refresh_hours: input.refreshHours ?? 24,
        last_refresh_at: null,
        last_status: 'never',
        last_error: null,
        content_hash: null,
        definition_count: 0,
        cve_count: 0,
        mapping_count: 0,
        releases_json: '[]',
        warnings_json: '[]',
        created_at: t,
        updated_at: t,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('feed').values(row).execute();
        await audit.record(trx, { actor, action: 'feed.add', objectType: 'feed', objectId: row.feed_id, after: toFeed(row) });
      });
      return toFeed(row);
    },

    /** Reads the feed now and stores its definitions; a failure is recorded on the feed and rethrown. */
    async refresh(actor: Actor, feedIdOrName: string, progress?: (fraction: number, message: string) => Promise<void>) {
      await requireAccess(actor, 'feed:manage', FEDERATION);
      const feed = await getRow(feedIdOrName);
      const src = decodeSource(feed.source);
      try {
        await progress?.(0.1, `reading ${src.location}`);
        // The places are those of today's configuration, not of the day the feed was added.
        return await readFeed(
          { format: feed.format as FeedFormat, source: src.location, release: src.release },
          src.operator ? ANYWHERE : places,
          async (read) => {
            await progress?.(0.7, `storing ${read.definitionCount} definitions`);
            return store(feed, read, actor);
          },
        );
      } catch (err) {
        const message = failureMessage(err).slice(0, 1000);
        await db
          .updateTable('feed')
          .set({ last_status: 'error', last_error: message, last_refresh_at: now(), updated_at: now() })
          .where('feed_id', '=', feed.feed_id)
          .execute();
        throw err instanceof DomainError ? err : new Error(message, { cause: err });
      }
    },

    /**
     * Adds (or finds) a feed for a source and refreshes it at once: `vigil feeds import`, the
     * operator's tool on the server machine, so the source may be anywhere (no HTTP route calls this).
     */
    async importFrom(actor: Actor, spec: FeedSpec & { name?: string }) {
      const name = spec.name ?? `${spec.format}:${spec.release ? spec.release + ':' : ''}${spec.source.split('/').filter(Boolean).pop()}`;
      const existing = await db.selectFrom('feed').selectAll().where('name', '=', name).executeTakeFirst();
      if (existing && existing.format !== spec.format) throw new ConflictError(`feed ${name} is ${existing.format}, not ${spec.format}`);
      const source = encodeSource({ location: spec.source, release: spec.release, operator: true });
      if (existing && existing.source !== source) {
        // Importing a new file under an existing name moves the feed to it.
        await db.transaction().execute(async (trx) => {
          await trx.updateTable('feed').set({ source, updated_at: now() }).where('feed_id', '=', existing.feed_id).execute();
          await audit.record(trx, {
            actor,
            action: 'feed.move',
            objectType: 'feed',
            objectId: existing.feed_id,
            before: { source: decodeSource(existing.source) },
            after: { source: decodeSource(source) },
          });
        });
      }
      const feedId =
        existing?.feed_id ?? (await service.add(actor, { name, format: spec.format, source: spec.source, release: spec.release }, { operator: true })).feedId;
      const feed = await service.refresh(actor, feedId);
      return withIndexWarnings([feed], await service.list())[0]!;
    },

    /** Queues a refresh as a background job; undefined when one is already queued or running. */
    async queueRefresh(actor: Actor, feedIdOrName: string): Promise<string | undefined> {
      await requireAccess(actor, 'feed:manage', FEDERATION);
      const feed = await getRow(feedIdOrName);
      return jobs.enqueue(db, FEED_REFRESH_JOB, { feedId: feed.feed_id }, { uniqueKey: `${FEED_REFRESH_JOB}:${feed.feed_id}` });
    },

    /** Queues a refresh of every enabled feed whose interval has passed. */
    async scheduleDueRefreshes(): Promise<void> {
      const feeds = await db.selectFrom('feed').selectAll().where('is_enabled', '=', 1).execute();
      for (const f of feeds) {
        if (f.refresh_hours <= 0) continue;
        const due = !f.last_refresh_at || Date.parse(f.last_refresh_at) + f.refresh_hours * 3_600_000 <= clock.now().getTime();
        if (due) await jobs.enqueue(db, FEED_REFRESH_JOB, { feedId: f.feed_id }, { uniqueKey: `${FEED_REFRESH_JOB}:${f.feed_id}` });
      }
    },

    /** Binary → source names per release from every enabled debian-index feed, for the evaluator. */
    async sourceMaps(): Promise<Map<string, Map<string, string>>> {
      const feeds = await db.selectFrom('feed').select('feed_id').where('is_enabled', '=', 1).where('format', '=', 'debian-index').execute();
      return loadSourceMaps(db, new Set(feeds.map((f) => f.feed_id)));
    },

    /** Every stored definition of every enabled feed, for compiling the evaluator. */
    async *allDefinitions(): AsyncGenerator<string> {
      let after = '';
      const enabled = (await db.selectFrom('feed').select('feed_id').where('is_enabled', '=', 1).execute()).map((f) => f.feed_id);
      for (const feedId of enabled) {
        for (;;) {
          const rows = await db
            .selectFrom('feed_definition')
            .select(['definition_id', 'body_json'])
            .where('feed_id', '=', feedId)
            .where('definition_id', '>', after)
            .orderBy('definition_id')
            .limit(2000)
            .execute();
          for (const r of rows) yield r.body_json;
          if (rows.length < 2000) break;
          after = rows[rows.length - 1]!.definition_id;
        }
        after = '';
      }
    },
  };
  return service;
}
export type FeedService = ReturnType<typeof createFeedService>;
