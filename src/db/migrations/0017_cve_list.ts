// Issue 11, item 1: the CSIRT's CVE list. What the feeds say of each CVE (title, severity, CVSS,
// links), stored per feed at import; and the index that finds when a CVE was first seen
// (host_finding by CVE in first-seen order: the first row in the reader's reach is the answer).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('feed_cve')
    .addColumn('feed_id', 'text', (c) => c.notNull())
    .addColumn('cve_id', 'text', (c) => c.notNull())
    /** The definition's title (OVAL) or summary (OSV) naming the CVE; the first one read. */
    .addColumn('title', 'text')
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('cvss_score', 'real')
    .addColumn('cvss_vector', 'text')
    /** JSON array of { url, source?, id? }: the advisories naming the CVE and its pages. */
    .addColumn('references_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('feed_cve_pk', ['feed_id', 'cve_id'])
    .execute();
  await db.schema.createIndex('feed_cve_cve_idx').on('feed_cve').column('cve_id').execute();
  await db.schema.createIndex('host_finding_seen_idx').on('host_finding').columns(['cve_id', 'first_seen_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('host_finding_seen_idx').execute();
  await db.schema.dropTable('feed_cve').execute();
}
