// Patch monitoring: feeds, hosts, deduplicated package sets, evaluations and findings, CSIRT
// tags, exceptions, report enrolment. Every high-volume table carries its host or set key.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('feed')
    .addColumn('feed_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('is_enabled', 'integer', (c) => c.notNull())
    .addColumn('refresh_hours', 'integer', (c) => c.notNull())
    .addColumn('last_refresh_at', 'text')
    .addColumn('last_status', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('content_hash', 'text')
    .addColumn('definition_count', 'integer', (c) => c.notNull())
    .addColumn('cve_count', 'integer', (c) => c.notNull())
    .addColumn('releases_json', 'text', (c) => c.notNull())
    .addColumn('warnings_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('feed_definition')
    .addColumn('feed_id', 'text', (c) => c.notNull().references('feed.feed_id'))
    .addColumn('definition_id', 'text', (c) => c.notNull())
    .addColumn('body_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('feed_definition_pk', ['feed_id', 'definition_id'])
    .execute();

  // One row: bumped whenever definitions change, so every process knows its compiled feed is stale.
  await db.schema
    .createTable('patching_state')
    .addColumn('state_id', 'integer', (c) => c.primaryKey())
    .addColumn('feed_generation', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('patching_state' as never)
    .values({ state_id: 1, feed_generation: 0, updated_at: new Date(0).toISOString() } as never)
    .execute();

  await db.schema
    .createTable('package_set')
    .addColumn('set_id', 'text', (c) => c.primaryKey())
    .addColumn('packager', 'text', (c) => c.notNull())
    .addColumn('package_count', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('package_set_member')
    .addColumn('set_id', 'text', (c) => c.notNull().references('package_set.set_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('arch', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('package_set_member_pk', ['set_id', 'name', 'version', 'arch'])
    .execute();
  await db.schema.createIndex('package_set_member_name_idx').on('package_set_member').columns(['name', 'set_id']).execute();

  await db.schema
    .createTable('evaluation')
    .addColumn('eval_key', 'text', (c) => c.primaryKey())
    .addColumn('os_key', 'text', (c) => c.notNull())
    .addColumn('set_id', 'text', (c) => c.notNull())
    .addColumn('kernel', 'text', (c) => c.notNull())
    .addColumn('feed_generation', 'integer', (c) => c.notNull())
    .addColumn('feed_release', 'text')
    .addColumn('finding_count', 'integer', (c) => c.notNull())
    .addColumn('notes_json', 'text', (c) => c.notNull())
    .addColumn('evaluated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('evaluation_generation_idx').on('evaluation').column('feed_generation').execute();

  await db.schema
    .createTable('finding')
    .addColumn('eval_key', 'text', (c) => c.notNull().references('evaluation.eval_key'))
    .addColumn('cve_id', 'text', (c) => c.notNull())
    .addColumn('package_name', 'text', (c) => c.notNull())
    .addColumn('installed_version', 'text', (c) => c.notNull())
    .addColumn('arch', 'text', (c) => c.notNull())
    .addColumn('fixed_version', 'text')
    .addColumn('is_fix_available', 'integer', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    .addColumn('definition_id', 'text', (c) => c.notNull())
    .addColumn('advisory_id', 'text')
    .addColumn('notes_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('finding_pk', ['eval_key', 'cve_id', 'package_name', 'installed_version', 'arch', 'definition_id'])
    .execute();
  await db.schema.createIndex('finding_cve_idx').on('finding').columns(['cve_id', 'eval_key']).execute();

  await db.schema
    .createTable('host')
    .addColumn('host_id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('site.site_id'))
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('set_id', 'text', (c) => c.references('package_set.set_id'))
    .addColumn('eval_key', 'text')
    .addColumn('os_system', 'text', (c) => c.notNull())
    .addColumn('os_key', 'text')
    .addColumn('arch', 'text', (c) => c.notNull())
    .addColumn('kernel', 'text', (c) => c.notNull())
    .addColumn('packager', 'text', (c) => c.notNull())
    .addColumn('tag', 'text')
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('header_hash', 'text', (c) => c.notNull())
    .addColumn('report_flags', 'text', (c) => c.notNull())
    .addColumn('report_count', 'integer', (c) => c.notNull())
    .addColumn('first_report_at', 'text', (c) => c.notNull())
    .addColumn('last_report_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('host_site_hostname_unique', ['site_id', 'hostname'])
    .execute();
  await db.schema.createIndex('host_eval_idx').on('host').column('eval_key').execute();
  await db.schema.createIndex('host_set_idx').on('host').column('set_id').execute();

  // When each package version appeared on and disappeared from a host.
  await db.schema
    .createTable('host_package_event')
    .addColumn('host_id', 'text', (c) => c.notNull().references('host.host_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('arch', 'text', (c) => c.notNull())
    .addColumn('appeared_at', 'text', (c) => c.notNull())
    .addColumn('disappeared_at', 'text')
    .addPrimaryKeyConstraint('host_package_event_pk', ['host_id', 'name', 'version', 'arch', 'appeared_at'])
    .execute();

  // When each (CVE, package) finding appeared on and was fixed on a host: time to patch.
  await db.schema
    .createTable('host_finding')
    .addColumn('host_id', 'text', (c) => c.notNull().references('host.host_id'))
    .addColumn('cve_id', 'text', (c) => c.notNull())
    .addColumn('package_name', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('fixed_at', 'text')
    .addPrimaryKeyConstraint('host_finding_pk', ['host_id', 'cve_id', 'package_name', 'first_seen_at'])
    .execute();
  await db.schema.createIndex('host_finding_cve_idx').on('host_finding').columns(['cve_id', 'fixed_at']).execute();

  await db.schema
    .createTable('cve_tag')
    .addColumn('cve_id', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('arch', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('tagged_at', 'text', (c) => c.notNull())
    .addColumn('tagged_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cve_tag_pk', ['cve_id', 'tag', 'arch'])
    .execute();

  await db.schema
    .createTable('finding_exception')
    .addColumn('exception_id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('site.site_id'))
    .addColumn('cve_id', 'text', (c) => c.notNull())
    .addColumn('host_id', 'text')
    .addColumn('package_name', 'text')
    .addColumn('os_key', 'text')
    .addColumn('justification', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('finding_exception_site_idx').on('finding_exception').columns(['site_id', 'cve_id']).execute();

  await db.schema
    .createTable('enrolment_token')
    .addColumn('token_id', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('site.site_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .execute();

  await db.schema
    .createTable('site_report_policy')
    .addColumn('site_id', 'text', (c) => c.primaryKey().references('site.site_id'))
    .addColumn('is_anonymous_allowed', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('reporter_dn')
    .addColumn('dn', 'text', (c) => c.primaryKey())
    .addColumn('site_id', 'text', (c) => c.notNull().references('site.site_id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('report_quarantine')
    .addColumn('quarantine_id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('claimed_site', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('report_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('report_quarantine_status_idx').on('report_quarantine').columns(['status', 'received_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'report_quarantine',
    'reporter_dn',
    'site_report_policy',
    'enrolment_token',
    'finding_exception',
    'cve_tag',
    'host_finding',
    'host_package_event',
    'host',
    'finding',
    'evaluation',
    'package_set_member',
    'package_set',
    'patching_state',
    'feed_definition',
    'feed',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
