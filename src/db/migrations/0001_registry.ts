// Registry, identity, audit and jobs. Dialect-neutral: text ids, integer booleans, ISO text times.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ngi')
    .addColumn('ngi_id', 'text', (c) => c.primaryKey())
    .addColumn('gocdb_key', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('email', 'text')
    .addColumn('security_email', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .execute();

  await db.schema
    .createTable('site')
    .addColumn('site_id', 'text', (c) => c.primaryKey())
    .addColumn('gocdb_key', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('official_name', 'text')
    .addColumn('description', 'text')
    .addColumn('ngi_id', 'text', (c) => c.notNull().references('ngi.ngi_id'))
    .addColumn('country_code', 'text')
    .addColumn('country', 'text')
    .addColumn('certification_status', 'text', (c) => c.notNull())
    .addColumn('is_production', 'integer', (c) => c.notNull())
    .addColumn('security_email', 'text')
    .addColumn('contact_email', 'text')
    .addColumn('is_notified', 'integer', (c) => c.notNull())
    .addColumn('home_url', 'text')
    .addColumn('timezone', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('removed_at', 'text')
    .execute();
  await db.schema.createIndex('site_ngi_idx').on('site').column('ngi_id').execute();

  await db.schema
    .createTable('service_endpoint')
    .addColumn('endpoint_id', 'text', (c) => c.primaryKey())
    .addColumn('gocdb_key', 'text', (c) => c.unique())
    .addColumn('site_id', 'text', (c) => c.notNull().references('site.site_id'))
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('service_type', 'text', (c) => c.notNull())
    .addColumn('url', 'text')
    .addColumn('is_in_production', 'integer', (c) => c.notNull())
    .addColumn('is_monitored', 'integer', (c) => c.notNull())
    .addColumn('host_dn', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_endpoint_site_idx').on('service_endpoint').column('site_id').execute();
  await db.schema.createIndex('service_endpoint_hostname_idx').on('service_endpoint').column('hostname').execute();

  await db.schema
    .createTable('vo')
    .addColumn('vo_id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('description', 'text')
    .addColumn('security_email', 'text')
    .addColumn('homepage_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('person')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('gocdb_key', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('dn', 'text', (c) => c.unique())
    .addColumn('checkin_subject', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('person_email_idx').on('person').column('email').execute();

  await db.schema
    .createTable('role_assignment')
    .addColumn('role_assignment_id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.person_id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('scope_type', 'text', (c) => c.notNull())
    .addColumn('scope_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('role_assignment_unique', ['person_id', 'role', 'scope_type', 'scope_id'])
    .execute();
  await db.schema.createIndex('role_assignment_scope_idx').on('role_assignment').columns(['scope_type', 'scope_id']).execute();

  await db.schema
    .createTable('account')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().unique().references('person.person_id'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('is_disabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    .execute();

  await db.schema
    .createTable('session')
    .addColumn('session_hash', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('account.account_id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_token')
    .addColumn('token_id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('person.person_id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('last_used_at', 'text')
    .execute();
  await db.schema.createIndex('api_token_person_idx').on('api_token').column('person_id').execute();

  await db.schema
    .createTable('login_failure')
    .addColumn('bucket', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_event')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('object_id', 'text', (c) => c.notNull())
    .addColumn('before_json', 'text')
    .addColumn('after_json', 'text')
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_event_object_idx').on('audit_event').columns(['object_type', 'object_id']).execute();

  // One row holding the chain's head: appending locks it, which orders audit writes across processes.
  await db.schema
    .createTable('audit_head')
    .addColumn('head_id', 'integer', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db
    .insertInto('audit_head' as never)
    .values({ head_id: 1, seq: 0, hash: '0'.repeat(64) } as never)
    .execute();

  await db.schema
    .createTable('job')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload_json', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('unique_key', 'text', (c) => c.unique())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('progress', 'real', (c) => c.notNull())
    .addColumn('progress_message', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('job_due_idx').on('job').columns(['status', 'run_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'job',
    'audit_head',
    'audit_event',
    'login_failure',
    'api_token',
    'session',
    'account',
    'role_assignment',
    'person',
    'vo',
    'service_endpoint',
    'site',
    'ngi',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
