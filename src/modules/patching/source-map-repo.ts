// Queries on `source_package_map`: the binary → source names debian-index feeds store.
import type { Executor } from '../../db/database.js';

const PAGE = 2000;

/** Replaces a feed's names with `pairs` (sorted by binary); run inside the refresh's transaction. */
export async function replaceSourceMap(trx: Executor, feedId: string, release: string, pairs: ReadonlyArray<readonly [string, string]>): Promise<void> {
  await trx.deleteFrom('source_package_map').where('feed_id', '=', feedId).execute();
  // 500 rows of 4 values stay under SQLite's and PostgreSQL's bound-parameter limits.
  for (let i = 0; i < pairs.length; i += 500) {
    await trx
      .insertInto('source_package_map')
      .values(pairs.slice(i, i + 500).map(([binary, source]) => ({ release, binary, feed_id: feedId, source })))
      .execute();
  }
}

/**
 * Every release's names from the given (enabled) feeds, a page at a time in key order. Where two
 * feeds of a release name a binary, the older feed (smaller id) wins.
 */
export async function loadSourceMaps(db: Executor, feedIds: ReadonlySet<string>): Promise<Map<string, Map<string, string>>> {
  const maps = new Map<string, Map<string, string>>();
  if (feedIds.size === 0) return maps;
  const releases = await db
    .selectFrom('source_package_map')
    .select('release')
    .distinct()
    .where('feed_id', 'in', [...feedIds])
    .execute();
  for (const { release } of releases) {
    const names = new Map<string, string>();
    let after = '';
    for (;;) {
      const rows = await db
        .selectFrom('source_package_map')
        .select(['binary', 'source', 'feed_id'])
        .where('release', '=', release)
        .where('binary', '>', after)
        .where('feed_id', 'in', [...feedIds])
        .orderBy('binary')
        .orderBy('feed_id')
        .limit(PAGE)
        .execute();
      for (const r of rows) if (!names.has(r.binary)) names.set(r.binary, r.source);
      if (rows.length < PAGE) break;
      after = rows[rows.length - 1]!.binary;
    }
    maps.set(release, names);
  }
  return maps;
}
