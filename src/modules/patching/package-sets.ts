// Deduplicated package sets: most hosts of a site run one image, so a list is stored once,
// keyed by the hash of its normalized content, and hosts point to it.
import { createHash } from 'node:crypto';
import type { Executor } from '../../db/database.js';
import type { InstalledPackage } from '../../lib/evaluate/index.js';

/** Sorted, unique packages and the set id (SHA-256 of packager + list). */
export function normalizeSet(packager: string, packages: readonly InstalledPackage[]): { setId: string; packages: InstalledPackage[] } {
  const unique = new Map<string, InstalledPackage>();
  for (const p of packages) unique.set(`${p.name}\t${p.version}\t${p.arch}`, { name: p.name, version: p.version, arch: p.arch });
  const keys = [...unique.keys()].sort();
  // One update over the joined list: the same digest as line by line, without 3,000 calls.
  const setId = createHash('sha256').update(`${packager}\n${keys.join('\n')}${keys.length ? '\n' : ''}`).digest('hex');
  return { setId, packages: keys.map((k) => unique.get(k)!) };
}

/** Stores the set unless it exists. Idempotent and safe when two reports race to insert it. */
export async function ensureSet(ex: Executor, setId: string, packager: string, packages: readonly InstalledPackage[], now: string): Promise<boolean> {
  if (await ex.selectFrom('package_set').select('set_id').where('set_id', '=', setId).executeTakeFirst()) return false;
  const inserted = await ex.insertInto('package_set').values({ set_id: setId, packager, package_count: packages.length, created_at: now })
    .onConflict((oc) => oc.column('set_id').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  const rows = packages.map((p) => ({ set_id: setId, name: p.name, version: p.version, arch: p.arch }));
  for (let i = 0; i < rows.length; i += 1000) await ex.insertInto('package_set_member').values(rows.slice(i, i + 1000)).execute();
  return true;
}

export const setMembers = (ex: Executor, setId: string): Promise<InstalledPackage[]> =>
  ex.selectFrom('package_set_member').select(['name', 'version', 'arch']).where('set_id', '=', setId).orderBy('name').execute();
