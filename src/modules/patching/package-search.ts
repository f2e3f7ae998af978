// Search by package (issue 11, item 1): which hosts in reach run a package, by name and version
// range, compared in each host's package manager's own order (rpm or dpkg: text order would put
// 1.10 below 1.9). Package sets are stored compressed, one row each, so no SQL can filter on a
// package; each process keeps an index of package names over the stored sets (sets never change:
// only new ones are read), filters the versions in code, then pages hosts in SQL by set.
import { sql, type RawBuilder } from 'kysely';
import type { Db, Dialect } from '../../db/database.js';
import { InvalidError } from '../../core/errors.js';
import { reach as reachOf, requireAccess, type Actor } from '../../core/access.js';
import { siteNames, sitesInReach } from '../registry/index.js';
import { patchSiteKind } from './access.js';
import { decodePackageSet } from './package-set-codec.js';
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

/** Sets decoded per query while indexing (their blobs are ~10 KB each). */
const LOAD_CHUNK = 100;

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
  const setIds: string[] = [];
  const packagers: string[] = [];
  const known = new Map<string, number>();
  /** Per package name: [set ordinal, version-and-arch ordinal] pairs. */
  const byName = new Map<string, number[]>();
  const versions: string[] = [];
  const versionOrd = new Map<string, number>();
  let loading: Promise<void> | undefined;

  async function load() {
    const all = await db.selectFrom('package_set').select(['set_id', 'packager']).execute();
    const fresh = all.filter((s) => !known.has(s.set_id));
    for (let i = 0; i < fresh.length; i += LOAD_CHUNK) {
      const chunk = fresh.slice(i, i + LOAD_CHUNK);
      const rows = await db
        .selectFrom('package_set')
        .select(['set_id', 'members'])
        .where(
          'set_id',
          'in',
          chunk.map((s) => s.set_id),
        )
        .execute();
      for (const r of rows) {
        const ordinal = setIds.length;
        setIds.push(r.set_id);
        packagers.push(chunk.find((s) => s.set_id === r.set_id)!.packager);
        known.set(r.set_id, ordinal);
        for (const p of decodePackageSet(r.members)) {
          const va = `${p.version}\t${p.arch}`;
          let v = versionOrd.get(va);
          if (v === undefined) {
            v = versions.length;
            versions.push(va);
            versionOrd.set(va, v);
          }
          let postings = byName.get(p.name);
          if (!postings) byName.set(p.name, (postings = []));
          postings.push(ordinal, v);
        }
      }
    }
  }

  const idTable = (ids: readonly string[]): RawBuilder<{ id: string }> =>
    dialect === 'postgres' ? sql`(select unnest(${[...ids]}::text[]) as id)` : sql`(select value as id from json_each(${JSON.stringify(ids)}))`;

  return {
    /** Brings the name index up to date with the stored sets (one load at a time per process). */
    async refresh(): Promise<void> {
      while (loading) await loading;
      loading = load().finally(() => (loading = undefined));
      await loading;
    },

    async search(actor: Actor, page: { limit: number; offset: number }, f: PackageSearch) {
      checkBound('below', f.below);
      checkBound('atLeast', f.atLeast);
      const reach = reachOf(actor, 'patching:read');
      if (f.siteId && !reach.all) await requireAccess(actor, 'patching:read', { kind: patchSiteKind(db), id: f.siteId });
      await this.refresh();
      // The sets holding a version in range, with those versions.
      const matching = new Map<string, Array<{ version: string; arch: string }>>();
      const postings = byName.get(f.name) ?? [];
      for (let i = 0; i < postings.length; i += 2) {
        const set = postings[i]!;
        const [version, arch] = versions[postings[i + 1]!]!.split('\t') as [string, string];
        const packager = packagers[set]!;
        let inRange: boolean;
        try {
          inRange =
            (f.below === undefined || compare(packager, version, f.below) < 0) && (f.atLeast === undefined || compare(packager, version, f.atLeast) >= 0);
        } catch {
          inRange = false; // a version its package manager would refuse is in no range
        }
        if (!inRange) continue;
        const id = setIds[set]!;
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
