// Search by package (issue 11, item 1): which hosts in reach run a package, by name and version
// range, compared in each host's package manager's own order (rpm or dpkg: text order would put
// 1.10 below 1.9). Package sets are stored compressed, one row each, so no SQL can filter on a
// package; each process keeps an index of package names over the sets hosts run (sets never
// change: only sets newly in use are read, and sets no host runs any more leave the index),
// filters the versions in code, then pages hosts in SQL by set.
//
// Building the index is long work (~10 µs a stored package, seconds for a federation, and anyone
// with a report token can store 50,000-package sets): it is done in slices of a few milliseconds
// with a turn of the event loop between them (the inflating on the libuv thread pool), once for
// all the searches that wait on it, so the server keeps answering everyone else meanwhile.
import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import { InvalidError } from '../../core/errors.js';
import { reach as reachOf, requireAccess, type Actor } from '../../core/access.js';
import { createPacer } from '../../core/pace.js';
import { siteNames, sitesInReach } from '../registry/index.js';
import { patchSiteKind } from './access.js';
import { packageSetText } from './package-set-codec.js';
import { compareDebVersions, compareRpmEvr, parseRpmEvr } from '../../lib/versions/index.js';

export interface PackageSearch {
  name: string;
  /** Installed version strictly below this one. */
  below?: string | undefined;
  /** Installed version at or above this one. */
  atLeast?: string | undefined;
  /** An OS release key (`debian:12`) or a distribution (`debian`). */
  distribution?: string | undefined;
  siteId?: string | undefined;
}

/** Longest run of index work between two turns of the event loop. */
const SLICE_MS = 2;
/** Lines (or postings, or names) handled between two looks at the clock. */
const STRIDE = 256;
/** Sets read per query while indexing: at most this many, and at most about this many packages
 *  (a blob is ~14 bytes a package; one set holds at most 50,000). */
const LOAD_SETS = 100;
const LOAD_PACKAGES = 50_000;

// Sets are read as their text, inflated off the event loop (decodePackageSet inflates
// synchronously: ~20 ms for a 50,000-package set), and cut here line by line.
const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * A map from strings cut into shards: growing a Map rehashes every entry at once, which for a
 * few hundred thousand names held the event loop 40 ms; a shard is a 256th of that.
 */
class ShardedMap<V> {
  private readonly shards = Array.from({ length: 256 }, () => new Map<string, V>());
  private shard(key: string): Map<string, V> {
    let h = key.length;
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0;
    return this.shards[h & 255]!;
  }
  get(key: string): V | undefined {
    return this.shard(key).get(key);
  }
  set(key: string, value: V): void {
    this.shard(key).set(key, value);
  }
  get size(): number {
    return this.shards.reduce((n, m) => n + m.size, 0);
  }
  *entries(): IterableIterator<[string, V]> {
    for (const m of this.shards) yield* m;
  }
}

/**
 * What search needs of the sets hosts run: per package name, [set ordinal, version ordinal]
 * pairs, the `version\tarch` strings held once. A set's pairs count only once the whole set is
 * in (`live`), so a search never sees half a set; a set no host runs any more is marked dead and
 * its pairs are dropped when the dead ones outnumber the rest (the index is then rebuilt, aside).
 */
interface NameIndex {
  setIds: string[];
  packagers: string[];
  live: boolean[];
  /** Pairs per set ordinal. */
  sizes: number[];
  /** Live sets: set id → ordinal. */
  ordinals: Map<string, number>;
  byName: ShardedMap<number[]>;
  versions: string[];
  versionOrd: ShardedMap<number>;
  /** Pairs held, and how many of them belong to sets no longer live. */
  pairs: number;
  deadPairs: number;
}

const emptyIndex = (): NameIndex => ({
  setIds: [],
  packagers: [],
  live: [],
  sizes: [],
  ordinals: new Map(),
  byName: new ShardedMap(),
  versions: [],
  versionOrd: new ShardedMap(),
  pairs: 0,
  deadPairs: 0,
});

function versionOrdinal(ix: NameIndex, va: string): number {
  let v = ix.versionOrd.get(va);
  if (v === undefined) {
    v = ix.versions.length;
    ix.versions.push(va);
    ix.versionOrd.set(va, v);
  }
  return v;
}

function addPair(ix: NameIndex, name: string, set: number, version: number) {
  let postings = ix.byName.get(name);
  if (!postings) ix.byName.set(name, (postings = []));
  postings.push(set, version);
}

/** Adds one set's lines, a slice at a time; the set counts once all are in. Names and versions
 *  are cut from the buffer as strings of their own (a slice of one decoded text would keep the
 *  whole text alive for as long as the index holds one of its names). */
async function addSet(ix: NameIndex, setId: string, packager: string, text: Buffer, pace: () => Promise<void>) {
  const set = ix.setIds.length;
  ix.setIds.push(setId);
  ix.packagers.push(packager);
  ix.live.push(false);
  ix.sizes.push(0);
  let n = 0;
  for (let pos = 0; pos < text.length;) {
    if (n % STRIDE === 0) await pace();
    let end = text.indexOf(NEWLINE, pos);
    if (end < 0) end = text.length;
    const tab = text.indexOf(TAB, pos);
    if (tab >= 0 && tab < end) {
      addPair(ix, text.toString('utf8', pos, tab), set, versionOrdinal(ix, text.toString('utf8', tab + 1, end)));
      n++;
    }
    pos = end + 1;
  }
  ix.sizes[set] = n;
  ix.pairs += n;
  ix.live[set] = true;
  ix.ordinals.set(setId, set);
}

function retire(ix: NameIndex, set: number) {
  ix.live[set] = false;
  ix.ordinals.delete(ix.setIds[set]!);
  ix.deadPairs += ix.sizes[set]!;
}

/** A new index holding only the live sets' pairs (in the same order), built a slice at a time;
 *  the old one is left untouched for searches still reading it. */
async function compacted(ix: NameIndex, pace: () => Promise<void>): Promise<NameIndex> {
  const out = emptyIndex();
  const setMap = new Int32Array(ix.setIds.length).fill(-1);
  for (let s = 0; s < ix.setIds.length; s++) {
    if (!ix.live[s]) continue;
    setMap[s] = out.setIds.length;
    out.ordinals.set(ix.setIds[s]!, out.setIds.length);
    out.setIds.push(ix.setIds[s]!);
    out.packagers.push(ix.packagers[s]!);
    out.live.push(true);
    out.sizes.push(0);
  }
  const versionMap = new Int32Array(ix.versions.length).fill(-1);
  let work = 0;
  for (const [name, postings] of ix.byName.entries()) {
    let kept: number[] | undefined;
    for (let i = 0; i < postings.length; i += 2) {
      if (++work % STRIDE === 0) await pace();
      const s = setMap[postings[i]!]!;
      if (s < 0) continue;
      const old = postings[i + 1]!;
      let v = versionMap[old]!;
      if (v < 0) v = versionMap[old] = versionOrdinal(out, ix.versions[old]!);
      (kept ??= []).push(s, v);
      out.sizes[s]!++;
      out.pairs++;
    }
    if (kept) out.byName.set(name, kept);
  }
  return out;
}

function compare(packager: string, a: string, b: string): number {
  return packager === 'dpkg' ? compareDebVersions(a, b) : compareRpmEvr(parseRpmEvr(a), parseRpmEvr(b));
}

/** The bounds must be versions both package managers read, or the answer would be a guess. */
function checkBound(field: 'below' | 'atLeast', v: string | undefined) {
  if (v === undefined) return;
  try {
    compareDebVersions(v, v);
    compareRpmEvr(parseRpmEvr(v), parseRpmEvr(v));
  } catch {
    throw new InvalidError(`${field}: not a package version`, { field });
  }
}

export function createPackageSearch({ db, dialect }: { db: Db; dialect: Dialect }) {
  let current = emptyIndex();
  /** The load under way, and the one that follows it (shared by every caller arriving meanwhile). */
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;

  /** Brings the index up to date with the sets hosts run (only one load runs at a time). */
  async function load(): Promise<void> {
    const pace = createPacer(SLICE_MS);
    const inUse = await db
      .selectFrom('package_set')
      .select(['set_id', 'packager', 'package_count'])
      .where((eb) => eb.exists(eb.selectFrom('host').select('host.host_id').whereRef('host.set_id', '=', 'package_set.set_id')))
      .execute();
    let ix = current;
    const wanted = new Set<string>();
    for (let i = 0; i < inUse.length; i++) {
      if (i % STRIDE === 0) await pace();
      wanted.add(inUse[i]!.set_id);
    }
    for (const [id, set] of ix.ordinals) if (!wanted.has(id)) retire(ix, set);
    if (ix.deadPairs > 0 && ix.deadPairs * 2 >= ix.pairs) current = ix = await compacted(ix, pace);
    const fresh = inUse.filter((s) => !ix.ordinals.has(s.set_id));
    for (let i = 0; i < fresh.length;) {
      const chunk: typeof fresh = [];
      let packages = 0;
      while (i < fresh.length && chunk.length < LOAD_SETS && (chunk.length === 0 || packages + Number(fresh[i]!.package_count) <= LOAD_PACKAGES)) {
        packages += Number(fresh[i]!.package_count);
        chunk.push(fresh[i++]!);
      }
      const packagerOf = new Map(chunk.map((s) => [s.set_id, s.packager]));
      const rows = await db
        .selectFrom('package_set')
        .select(['set_id', 'members'])
        .where(
          'set_id',
          'in',
          chunk.map((s) => s.set_id),
        )
        .execute();
      // Inflated side by side on the thread pool, indexed one after the other. A set that cannot
      // be read (a damaged row) is left out, not every search failed for it.
      const texts = rows.map((r) => packageSetText(r.members).catch(() => Buffer.alloc(0)));
      for (let k = 0; k < rows.length; k++) await addSet(ix, rows[k]!.set_id, packagerOf.get(rows[k]!.set_id)!, await texts[k]!, pace);
    }
  }

  function refresh(): Promise<void> {
    if (next) return next;
    if (!running) return (running = load().finally(() => (running = undefined)));
    // A load started before this call may have missed what the caller just stored: one more after it.
    next = running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return refresh();
      });
    return next;
  }

  const idTable = (ids: readonly string[]): RawBuilder<{ id: string }> =>
    dialect === 'postgres' ? sql`(select unnest(${[...ids]}::text[]) as id)` : sql`(select value as id from json_each(${JSON.stringify(ids)}))`;

  return {
    /** Brings the name index up to date with the sets hosts run; concurrent callers share the work. */
    refresh,

    /** The index's size, for tests and metrics. */
    indexStats() {
      return { sets: current.ordinals.size, names: current.byName.size, pairs: current.pairs, deadPairs: current.deadPairs };
    },

    async search(actor: Actor, page: { limit: number; offset: number }, f: PackageSearch) {
      checkBound('below', f.below);
      checkBound('atLeast', f.atLeast);
      const reach = reachOf(actor, 'patching:read');
      if (f.siteId && !reach.all) await requireAccess(actor, 'patching:read', { kind: patchSiteKind(db), id: f.siteId });
      await refresh();
      // The sets holding a version in range, with those versions; each version is compared once
      // per package manager, a slice at a time (a name can have thousands of versions).
      const ix = current;
      const pace = createPacer(SLICE_MS);
      const inRangeOf = new Map<number, boolean>();
      const matching = new Map<string, Array<{ version: string; arch: string }>>();
      const postings = ix.byName.get(f.name) ?? [];
      for (let i = 0, n = postings.length; i < n; i += 2) {
        if (i % (2 * STRIDE) === 0) await pace();
        const set = postings[i]!;
        if (!ix.live[set]) continue;
        const packager = ix.packagers[set]!;
        const [version, arch] = ix.versions[postings[i + 1]!]!.split('\t') as [string, string];
        const key = postings[i + 1]! * 2 + (packager === 'dpkg' ? 1 : 0);
        let inRange = inRangeOf.get(key);
        if (inRange === undefined) {
          try {
            inRange =
              (f.below === undefined || compare(packager, version, f.below) < 0) && (f.atLeast === undefined || compare(packager, version, f.atLeast) >= 0);
          } catch {
            inRange = false; // a version its package manager would refuse is in no range
          }
          inRangeOf.set(key, inRange);
        }
        if (!inRange) continue;
        const id = ix.setIds[set]!;
        const list = matching.get(id) ?? [];
        list.push({ version, arch });
        matching.set(id, list);
      }
      if (matching.size === 0) return { items: [], total: 0, limit: page.limit, offset: page.offset };
      const d = f.distribution;
      // `hidden`: the set column kept out of index selection (`|| ''`), so that the reader's sites
      // (host_site_hostname_unique) or the host-name order drive instead of every matching host.
      const hosts = (hidden: boolean) =>
        db
          .selectFrom('host')
          .where((eb) =>
            eb(
              hidden ? sql<string>`${eb.ref('host.set_id')} || ''` : eb.ref('host.set_id'),
              'in',
              eb.selectFrom(idTable([...matching.keys()]).as('m')).select('m.id'),
            ),
          )
          .$if(!reach.all, (qb) => qb.where('host.site_id', 'in', sitesInReach(db, reach)))
          .$if(!!f.siteId, (qb) => qb.where('host.site_id', '=', f.siteId!))
          .$if(!!d, (qb) => qb.where((eb) => (d!.includes(':') ? eb('host.os_key', '=', d!) : eb('host.os_key', 'like', `${d!.replace(/[\\%_]/g, '')}:%`))));
      const narrow = !reach.all || !!f.siteId;
      const count = Number(
        (
          await hosts(narrow)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
      // Federation-wide, many matches: walk host names in order and stop at the page (as the
      // hosts list does); few: fetch them by set and sort.
      const end = page.offset + page.limit;
      const walk = narrow || (count >= 1000 && end * 8 <= count);
      const rows =
        count <= page.offset
          ? []
          : await hosts(walk)
              .innerJoin(siteNames(db).as('s'), 's.site_id', 'host.site_id')
              .select(['host.host_id', 'host.hostname', 'host.site_id', 's.site_name', 'host.os_system', 'host.os_key', 'host.set_id', 'host.last_report_at'])
              .orderBy('host.hostname')
              .orderBy('host.host_id')
              .limit(page.limit)
              .offset(page.offset)
              .execute();
      return {
        items: rows.map((r) => ({
          hostId: r.host_id,
          hostname: r.hostname,
          siteId: r.site_id,
          siteName: r.site_name,
          os: r.os_system,
          osKey: r.os_key,
          lastReportAt: r.last_report_at,
          packages: matching.get(r.set_id!) ?? [],
        })),
        total: count,
        limit: page.limit,
        offset: page.offset,
      };
    },
  };
}
export type PackageSearchService = ReturnType<typeof createPackageSearch>;
