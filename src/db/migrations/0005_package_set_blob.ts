// A package set becomes one row holding its compressed list (package-set-codec.ts) instead of one
// row per package; lifecycle rules keep the sets that break them in `lifecycle_set_hit`, filled
// when a set is stored or a rule is (re)indexed, since no table lists packages by name any more.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const isPostgres = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof PostgresAdapter;

// Format 1 of package-set-codec.ts, frozen here as it was when this migration was written, so
// that a later change to the module cannot change what this migration writes or reads (issue 9
// §3): one version byte, then the raw-deflated sorted `name\tversion\tarch` lines joined by `\n`.
interface Package {
  name: string;
  version: string;
  arch: string;
}
const FORMAT_V1 = 1;
const MAX_DECODED_BYTES = 64 * 1024 * 1024;

function encodePackageSet(packages: readonly Package[]): Buffer {
  const text = packages.map((p) => `${p.name}\t${p.version}\t${p.arch}`).join('\n');
  return Buffer.concat([Buffer.of(FORMAT_V1), deflateRawSync(text, { level: 1 })]);
}

function decodePackageSet(blob: Uint8Array): Package[] {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length === 0) return [];
  if (bytes[0] !== FORMAT_V1) throw new Error(`unknown package-set format ${bytes[0]}`);
  const text = inflateRawSync(bytes.subarray(1), { maxOutputLength: MAX_DECODED_BYTES }).toString('utf8');
  if (text === '') return [];
  return text.split('\n').map((line) => {
    const a = line.indexOf('\t');
    const b = line.indexOf('\t', a + 1);
    return { name: line.slice(0, a), version: line.slice(a + 1, b), arch: line.slice(b + 1) };
  });
}

interface OldSchema {
  package_set: { set_id: string; members: Buffer | null };
  package_set_member: { set_id: string; name: string; version: string; arch: string };
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const blob = isPostgres(db) ? sql`bytea` : sql`blob`;
  await db.schema.alterTable('package_set').addColumn('members', blob).execute();
  const old = db as unknown as Kysely<OldSchema>;
  const sets = await old.selectFrom('package_set').select('set_id').execute();
  for (const { set_id } of sets) {
    const members = await old.selectFrom('package_set_member').select(['name', 'version', 'arch']).where('set_id', '=', set_id).execute();
    // Code-unit order, as sets are written (the database's collation may order names otherwise).
    const lines = members.map((m) => `${m.name}\t${m.version}\t${m.arch}`).sort();
    const sorted = lines.map((l) => {
      const [name, version, arch] = l.split('\t') as [string, string, string];
      return { name, version, arch };
    });
    await old
      .updateTable('package_set')
      .set({ members: encodePackageSet(sorted) })
      .where('set_id', '=', set_id)
      .execute();
  }
  await db.schema.dropIndex('package_set_member_name_idx').execute();
  await db.schema.dropTable('package_set_member').execute();

  await db.schema.alterTable('lifecycle_rule').addColumn('indexed_at', 'text').execute();
  await db.schema
    .createTable('lifecycle_set_hit')
    .addColumn('rule_id', 'text', (c) => c.notNull().references('lifecycle_rule.rule_id'))
    .addColumn('set_id', 'text', (c) => c.notNull().references('package_set.set_id'))
    .addColumn('package', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('lifecycle_set_hit_pk', ['rule_id', 'set_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('lifecycle_set_hit').execute();
  await db.schema.alterTable('lifecycle_rule').dropColumn('indexed_at').execute();
  await db.schema
    .createTable('package_set_member')
    .addColumn('set_id', 'text', (c) => c.notNull().references('package_set.set_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('arch', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('package_set_member_pk', ['set_id', 'name', 'version', 'arch'])
    .execute();
  await db.schema.createIndex('package_set_member_name_idx').on('package_set_member').columns(['name', 'set_id']).execute();
  const old = db as unknown as Kysely<OldSchema>;
  for (const { set_id, members } of await old.selectFrom('package_set').select(['set_id', 'members']).execute()) {
    const rows = members ? decodePackageSet(members).map((p) => ({ set_id, ...p })) : [];
    for (let i = 0; i < rows.length; i += 500)
      await old
        .insertInto('package_set_member')
        .values(rows.slice(i, i + 500))
        .execute();
  }
  await db.schema.alterTable('package_set').dropColumn('members').execute();
}
