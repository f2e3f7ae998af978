// Row types of every table. Booleans are stored as 0/1 integers and times as ISO 8601 UTC
// text on both databases, so one code path serves SQLite and PostgreSQL.
export type Bool = 0 | 1;

export interface NgiTable {
  ngi_id: string;
  gocdb_key: string | null;
  name: string;
  description: string | null;
  email: string | null;
  security_email: string | null;
  created_at: string;
  updated_at: string;
  removed_at: string | null;
}

export interface SiteTable {
  site_id: string;
  gocdb_key: string | null;
  name: string;
  official_name: string | null;
  description: string | null;
  ngi_id: string;
  country_code: string | null;
  country: string | null;
  certification_status: string;
  is_production: Bool;
  security_email: string | null;
  contact_email: string | null;
  is_notified: Bool;
  home_url: string | null;
  timezone: string | null;
  created_at: string;
  updated_at: string;
  removed_at: string | null;
}

export interface ServiceEndpointTable {
  endpoint_id: string;
  gocdb_key: string | null;
  site_id: string;
  hostname: string;
  service_type: string;
  url: string | null;
  is_in_production: Bool;
  is_monitored: Bool;
  host_dn: string | null;
  created_at: string;
  updated_at: string;
}

export interface VoTable {
  vo_id: string;
  name: string;
  description: string | null;
  security_email: string | null;
  homepage_url: string | null;
  created_at: string;
  updated_at: string;
}

export interface PersonTable {
  person_id: string;
  gocdb_key: string | null;
  name: string;
  email: string | null;
  dn: string | null;
  checkin_subject: string | null;
  /** 1 when the DN, Check-in subject and e-mail were set by a federation administrator or the
   *  GOCDB import; 0 for a record an NGI, site or VO officer made (its e-mail is a contact
   *  address only). The import matches people on verified identifiers only. */
  is_identity_verified: number;
  created_at: string;
  updated_at: string;
}

export interface RoleAssignmentTable {
  role_assignment_id: string;
  person_id: string;
  role: string;
  scope_type: string;
  /** Empty string for federation scope, so the uniqueness constraint works on both engines. */
  scope_id: string;
  source: string;
  created_at: string;
}

export interface AccountTable {
  account_id: string;
  person_id: string;
  username: string;
  password_hash: string;
  is_disabled: Bool;
  created_at: string;
  last_login_at: string | null;
}

export interface SessionTable {
  session_hash: string;
  account_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface ApiTokenTable {
  token_id: string;
  person_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  permissions: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface LoginFailureTable {
  bucket: string;
  failures: number;
  window_start: string;
  /** Account buckets: attempts on the account wait until then (back-off). */
  blocked_until: string | null;
}

export interface AuditEventTable {
  seq: number;
  at: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  object_type: string;
  object_id: string;
  before_json: string | null;
  after_json: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  head_id: number;
  seq: number;
  hash: string;
  /** First event with an HMAC link; the ones before keep plain SHA-256 links. Null until sealed. */
  keyed_from: number | null;
  /** Hash of event keyed_from - 1 (the genesis hash when keyed_from is 1). */
  keyed_prev_hash: string | null;
  /** HMAC over keyed_from and keyed_prev_hash: the boundary cannot be moved without the key. */
  keyed_seal: string | null;
}

export interface AuditCheckpointTable {
  checkpoint_id: string;
  seq: number;
  head_hash: string;
  at: string;
  key_id: string;
  statement: string;
  signature: string;
}

export interface JobTable {
  job_id: string;
  kind: string;
  payload_json: string;
  status: string;
  unique_key: string | null;
  attempts: number;
  max_attempts: number;
  run_at: string;
  locked_by: string | null;
  locked_until: string | null;
  progress: number;
  progress_message: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface FeedTable {
  feed_id: string;
  name: string;
  format: string;
  source: string;
  is_enabled: Bool;
  refresh_hours: number;
  last_refresh_at: string | null;
  last_status: string;
  last_error: string | null;
  content_hash: string | null;
  definition_count: number;
  cve_count: number;
  releases_json: string;
  warnings_json: string;
  created_at: string;
  updated_at: string;
  /** debian-index feeds: binary → source pairs stored; 0 for the others. */
  mapping_count: number;
}

export interface FeedDefinitionTable {
  feed_id: string;
  definition_id: string;
  body_json: string;
}
/** What one feed says of one CVE (issue 11: the CVE list): title, severity, CVSS, links. */
export interface FeedCveTable {
  feed_id: string;
  cve_id: string;
  title: string | null;
  severity: string;
  cvss_score: number | null;
  cvss_vector: string | null;
  /** JSON array of { url, source?, id? }. */
  references_json: string;
}
/** One binary's source package in a release, from a debian-index feed. */
export interface SourcePackageMapTable {
  release: string;
  binary: string;
  feed_id: string;
  source: string;
}
export interface PatchingStateTable {
  state_id: number;
  feed_generation: number;
  updated_at: string;
}
/** `members`: the sorted package list, compressed (modules/patching/package-set-codec.ts). */
export interface PackageSetTable {
  set_id: string;
  packager: string;
  package_count: number;
  created_at: string;
  members: Buffer;
}
/** A package set that breaks a lifecycle rule, with the offending package (`name version`). */
export interface LifecycleSetHitTable {
  rule_id: string;
  set_id: string;
  package: string;
}

export interface EvaluationTable {
  eval_key: string;
  os_key: string;
  set_id: string;
  kernel: string;
  feed_generation: number;
  feed_release: string | null;
  finding_count: number;
  notes_json: string;
  evaluated_at: string;
}

export interface FindingTable {
  eval_key: string;
  cve_id: string;
  package_name: string;
  installed_version: string;
  arch: string;
  fixed_version: string | null;
  is_fix_available: Bool;
  severity: string;
  definition_id: string;
  advisory_id: string | null;
  notes_json: string;
}

export interface HostTable {
  host_id: string;
  site_id: string;
  hostname: string;
  set_id: string | null;
  eval_key: string | null;
  os_system: string;
  os_key: string | null;
  arch: string;
  kernel: string;
  packager: string;
  tag: string | null;
  client: string;
  header_hash: string;
  report_flags: string;
  report_count: number;
  first_report_at: string;
  last_report_at: string;
}

export interface HostPackageEventTable {
  host_id: string;
  name: string;
  version: string;
  arch: string;
  appeared_at: string;
  disappeared_at: string | null;
}
export interface HostFindingTable {
  host_id: string;
  cve_id: string;
  package_name: string;
  first_seen_at: string;
  fixed_at: string | null;
}
export interface CveTagTable {
  cve_id: string;
  tag: string;
  arch: string;
  reason: string;
  tagged_at: string;
  tagged_by: string;
}

export interface FindingExceptionTable {
  exception_id: string;
  site_id: string;
  cve_id: string;
  host_id: string | null;
  package_name: string | null;
  os_key: string | null;
  justification: string;
  expires_at: string;
  created_by: string;
  /** The person who recorded it (null: a system actor, or older than migration 0019 with no audit event); they may not accept it. */
  created_by_person_id: string | null;
  created_at: string;
  revoked_at: string | null;
  /** pending (waits for the CSIRT: the CVE is tagged), accepted (in effect), rejected. */
  status: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_reason: string | null;
}

/** Every change to a risk tag: its tagging, each edit of its level or reason, its removal. */
export interface CveTagChangeTable {
  change_id: string;
  cve_id: string;
  arch: string;
  action: string;
  tag_before: string | null;
  tag_after: string | null;
  reason_before: string | null;
  reason_after: string | null;
  changed_by: string;
  changed_at: string;
}

/** Tag levels whose exceptions take effect at once, without the CSIRT's review. */
export interface ExceptionAutoAcceptTable {
  tag: string;
  set_by: string;
  set_at: string;
}

export interface EnrolmentTokenTable {
  token_id: string;
  site_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface SiteReportPolicyTable {
  site_id: string;
  is_anonymous_allowed: Bool;
  updated_at: string;
}
export interface ReporterDnTable {
  dn: string;
  site_id: string;
  created_at: string;
}
export interface ReportQuarantineTable {
  quarantine_id: string;
  received_at: string;
  claimed_site: string;
  hostname: string;
  reason: string;
  /** Empty since 0011: the report is held in `report_gz`. */
  report_json: string;
  /** The report as gzip-compressed JSON (nullable in the database only because SQLite cannot add such a column NOT NULL). */
  report_gz: Buffer;
  /** The sender's address (IPv6 by its /64), for the per-sender bounds. */
  sender: string;
  /** Bytes stored (the compressed report). */
  size_bytes: number;
  /** pending, released or rejected. */
  status: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  released_site_id: string | null;
  reject_reason: string | null;
}

export interface LifecycleRuleTable {
  rule_id: string;
  name: string;
  /** `end-of-life`: matching packages (below `version` when set) are flagged; `minimum-version`: those below `version` are. */
  kind: string;
  package_pattern: string;
  version: string | null;
  effective_from: string;
  message: string;
  is_enabled: Bool;
  created_by: string;
  created_at: string;
  /** When `lifecycle_set_hit` was last filled for this rule from every stored set; null: not yet. */
  indexed_at: string | null;
}

export interface DeadlineRuleTable {
  rule_id: string;
  task_type: string;
  priority: string;
  amount: number;
  unit: string;
  measures: string;
  warn_fraction: number;
  csirt_fraction: number;
  source: string;
  valid_from: string;
  valid_to: string | null;
  changed_by: string;
}

export interface WorkCalendarTable {
  calendar_id: string;
  calendar_json: string;
  valid_from: string;
  valid_to: string | null;
  changed_by: string;
}

export interface ChecklistTemplateTable {
  template_id: string;
  name: string;
  description: string;
  is_ordered: Bool;
  scope_type: string;
  steps_json: string;
  is_builtin: Bool;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ChecklistInstanceTable {
  instance_id: string;
  template_id: string;
  title: string;
  scope_type: string;
  scope_id: string;
  ngi_id: string | null;
  steps_json: string;
  is_ordered: Bool;
  status: string;
  created_by: string;
  created_at: string;
  finished_at: string | null;
}

export interface TaskTable {
  task_id: string;
  scope_type: string;
  scope_id: string;
  ngi_id: string | null;
  task_type: string;
  priority: string;
  title: string;
  description: string;
  tlp: string;
  subject_type: string | null;
  subject_id: string | null;
  status: string;
  deadline_rule_id: string | null;
  measures: string;
  due_at: string;
  warn_at: string;
  csirt_at: string;
  warned_at: string | null;
  escalated_ngi_at: string | null;
  escalated_csirt_at: string | null;
  created_by: string;
  created_by_label: string;
  created_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  cancelled_by: string | null;
  cancelled_at: string | null;
  checklist_instance_id: string | null;
  checklist_step: number | null;
  helpdesk_ticket_id: string | null;
  helpdesk_state: string | null;
  helpdesk_checked_at: string | null;
  updated_at: string;
}

export interface TaskEventTable {
  event_id: string;
  task_id: string;
  kind: string;
  person_id: string | null;
  actor_label: string;
  via: string;
  body: string | null;
  at: string;
}

export interface TaskAttachmentTable {
  attachment_id: string;
  task_id: string;
  file_name: string;
  content_type: string;
  size: number;
  sha256: string;
  content: Uint8Array;
  added_by: string;
  added_at: string;
}

/** Response-time histograms (h0…h59, src/lib/response-times/histogram.ts) per month, scope, type, measure. */
export type TaskResponseRollupTable = {
  level: string;
  month: string;
  scope_type: string;
  scope_id: string;
  ngi_id: string;
  task_type: string;
  measure: string;
  n: number;
  deadline_n: number;
  within_n: number;
  min_minutes: number;
  max_minutes: number;
  sum_minutes: number;
} & { [bucket: `h${number}`]: number };

export interface OutboxMessageTable {
  message_id: string;
  channel: string;
  header_id: string;
  recipient: string;
  person_id: string | null;
  event_type: string;
  tlp: string;
  subject: string;
  body: string;
  reply_to: string | null;
  ref_type: string | null;
  ref_id: string | null;
  status: string;
  attempts: number;
  next_attempt_at: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface WebhookEndpointTable {
  endpoint_id: string;
  url: string;
  secret: string;
  event_types: string;
  description: string;
  created_by: string;
  created_at: string;
  disabled_at: string | null;
}

export interface NotificationPreferenceTable {
  person_id: string;
  /** null: the site's notification flag (registry) decides. */
  is_email_enabled: Bool | null;
  is_digest: Bool;
  updated_at: string;
}

export interface InboundMailTable {
  mail_id: string;
  header_message_id: string | null;
  sender: string;
  recipients: string;
  subject: string;
  body: string;
  status: string;
  reason: string | null;
  task_id: string | null;
  received_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

export interface Database {
  ngi: NgiTable;
  site: SiteTable;
  service_endpoint: ServiceEndpointTable;
  vo: VoTable;
  person: PersonTable;
  role_assignment: RoleAssignmentTable;
  account: AccountTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  login_failure: LoginFailureTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  audit_checkpoint: AuditCheckpointTable;
  job: JobTable;
  feed: FeedTable;
  feed_definition: FeedDefinitionTable;
  feed_cve: FeedCveTable;
  source_package_map: SourcePackageMapTable;
  patching_state: PatchingStateTable;
  package_set: PackageSetTable;
  evaluation: EvaluationTable;
  finding: FindingTable;
  host: HostTable;
  host_package_event: HostPackageEventTable;
  host_finding: HostFindingTable;
  cve_tag: CveTagTable;
  finding_exception: FindingExceptionTable;
  cve_tag_change: CveTagChangeTable;
  exception_auto_accept: ExceptionAutoAcceptTable;
  enrolment_token: EnrolmentTokenTable;
  site_report_policy: SiteReportPolicyTable;
  reporter_dn: ReporterDnTable;
  report_quarantine: ReportQuarantineTable;
  lifecycle_rule: LifecycleRuleTable;
  lifecycle_set_hit: LifecycleSetHitTable;
  deadline_rule: DeadlineRuleTable;
  work_calendar: WorkCalendarTable;
  checklist_template: ChecklistTemplateTable;
  checklist_instance: ChecklistInstanceTable;
  task: TaskTable;
  task_event: TaskEventTable;
  task_attachment: TaskAttachmentTable;
  task_response_rollup: TaskResponseRollupTable;
  outbox_message: OutboxMessageTable;
  webhook_endpoint: WebhookEndpointTable;
  notification_preference: NotificationPreferenceTable;
  inbound_mail: InboundMailTable;
}
