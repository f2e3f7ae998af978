// Every migration, in order. Listed statically so the same code runs from source and from dist.
import type { Migration } from 'kysely';
import * as m0001 from './0001_registry.js';
import * as m0002 from './0002_patching.js';
import * as m0003 from './0003_lifecycle.js';
import * as m0004 from './0004_host_exposure_index.js';
import * as m0005 from './0005_package_set_blob.js';
import * as m0006 from './0006_quarantine_review.js';
import * as m0007 from './0007_host_autovacuum.js';
import * as m0008 from './0008_source_package_map.js';
import * as m0009 from './0009_login_backoff.js';
import * as m0010 from './0010_audit_keys.js';
import * as m0011 from './0011_quarantine_bounds.js';
import * as m0012 from './0012_person_identity_verified.js';
import * as m0017 from './0017_cve_list.js';
import * as m0018 from './0018_exception_review_tag_history.js';
import * as m0019 from './0019_exception_creator.js';
import * as m0020 from './0020_tasks_notifications.js';

export const migrations: Record<string, Migration> = {
  '0001_registry': m0001,
  '0002_patching': m0002,
  '0003_lifecycle': m0003,
  '0004_host_exposure_index': m0004,
  '0005_package_set_blob': m0005,
  '0006_quarantine_review': m0006,
  '0007_host_autovacuum': m0007,
  '0008_source_package_map': m0008,
  '0009_login_backoff': m0009,
  '0010_audit_keys': m0010,
  '0011_quarantine_bounds': m0011,
  '0012_person_identity_verified': m0012,
  '0017_cve_list': m0017,
  '0018_exception_review_tag_history': m0018,
  '0019_exception_creator': m0019,
  '0020_tasks_notifications': m0020,
};
