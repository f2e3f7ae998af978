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
  job: JobTable;
}
