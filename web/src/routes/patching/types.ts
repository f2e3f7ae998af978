// Wire shapes of the patch monitoring API (GET /api/v1/hosts, /hosts/:id, /cves/:id, /cve-tags, /feeds).

export interface HostRow {
  hostId: string;
  hostname: string;
  siteId: string;
  siteName: string;
  ngiName: string;
  os: string;
  osKey: string | null;
  arch: string;
  kernel: string;
  lastReportAt: string;
  flags: string[];
  findingCount: number;
  taggedCveCount: number;
}

export interface HostFinding {
  cve: string;
  package: string;
  installedVersion: string;
  arch: string;
  fixedVersion: string | null;
  fixAvailable: boolean;
  severity: string | null;
  definitionId: string;
  advisoryId: string | null;
  tag: string | null;
  notes: string[];
  since: string | null;
  /** The accepted exception that covers the finding (it then leaves the exposure views). */
  exception?: { justification: string; expiresAt: string } | null;
  /** An exception waiting for the CSIRT's review: it excepts nothing yet. */
  pendingException?: { justification: string } | null;
}

export interface HostDetail {
  hostId: string;
  hostname: string;
  siteId: string;
  siteName: string;
  os: string;
  osKey: string | null;
  arch: string;
  kernel: string;
  packager: string;
  tag: string | null;
  client: string;
  flags: string[];
  firstReportAt: string;
  lastReportAt: string;
  reportCount: number;
  /** What the reader may do on the host's site: exception:manage, exception:review. */
  abilities?: string[];
  feedRelease: string | null;
  evaluationNotes: string[];
  /** Every note of the host and its findings as a sentence, by note. */
  noteSentences?: Record<string, string>;
  packages: Array<{ name: string; version: string; arch: string }>;
  findings: HostFinding[];
  findingHistory: Array<{ cve: string; package: string; firstSeenAt: string; fixedAt: string | null }>;
  packageEvents: Array<{ name: string; version: string; arch: string; appearedAt: string | null; disappearedAt: string | null }>;
}

export interface CveTag {
  cve: string;
  tag: string;
  arch: string | null;
  reason: string;
  taggedAt: string;
  taggedBy: string;
}

export interface CveSite {
  siteId: string;
  siteName: string;
  ngiName: string;
  hosts: number;
  securityContacts: string[];
}

export interface TagChange {
  action: 'tag' | 'edit' | 'untag';
  arch: string | null;
  tagBefore: string | null;
  tagAfter: string | null;
  reasonBefore: string | null;
  reasonAfter: string | null;
  changedBy: string;
  changedAt: string;
}

export type ExceptionStatus = 'pending' | 'accepted' | 'rejected';

/** GET /api/v1/exceptions */
export interface FindingException {
  exceptionId: string;
  siteId: string;
  siteName: string;
  cve: string;
  hostId: string | null;
  hostname: string | null;
  packageName: string | null;
  osKey: string | null;
  justification: string;
  expiresAt: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
  status: ExceptionStatus;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewReason: string | null;
  inEffect: boolean;
  abilities: string[];
}

export interface CveDetail {
  cve: string;
  tags: CveTag[];
  tagHistory?: TagChange[];
  packages: Array<{ package: string; fixedVersion: string | null; severity: string | null; advisoryId: string | null }>;
  sites: CveSite[];
  hostCount: number;
  allContacts: string[];
}

export interface Feed {
  feedId: string;
  name: string;
  format: string;
  source: string;
  release: string | null;
  isEnabled: boolean;
  refreshHours: number;
  lastRefreshAt: string | null;
  lastStatus: string;
  lastError: string | null;
  definitionCount: number;
  cveCount: number;
  /** debian-index feeds: binary → source names stored. */
  mappingCount: number;
  releases: string[];
  warnings: string[];
  /** Each warning in plain words: `alarm` when the feed may be broken, `note` when normal for such files. */
  warningMeanings?: Array<{ warning: string; kind: 'alarm' | 'note'; meaning: string }>;
  /** The refresh queued or running now, if any. */
  refresh?: JobProgress | null;
  createdAt: string;
  updatedAt: string;
}

/** A background job under way. */
export interface JobProgress {
  status: string;
  progress: number;
  message: string | null;
}

export interface FeedInput {
  name: string;
  format: 'oval' | 'osv' | 'csaf' | 'debian-index';
  source: string;
  release?: string;
  refreshHours?: number;
}

export interface EnrolmentToken {
  tokenId: string;
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export interface TimeToPatchSite {
  siteId: string;
  siteName: string;
  ngiName: string;
  vulnerableNow: number;
  fixed: number;
  medianHoursToFix: number | null;
}

/** GET /api/v1/cves/:cveId/time-to-patch (tagged CVEs only). */
export interface TimeToPatch {
  cve: string;
  tag: string;
  taggedAt: string;
  deadline: string;
  deadlineDays: number;
  asOf: string;
  vulnerableNow: number;
  medianHoursToFix: number | null;
  series: Array<{ date: string; vulnerableHosts: number }>;
  sites: TimeToPatchSite[];
  overdueSites: TimeToPatchSite[];
}

export type QuarantineStatus = 'pending' | 'released' | 'rejected';

export interface QuarantineEntry {
  quarantineId: string;
  receivedAt: string;
  claimedSite: string;
  hostname: string;
  reason: string;
  status: QuarantineStatus;
  reviewedBy: string | null;
  reviewedAt: string | null;
  releasedSiteId: string | null;
  releasedSiteName: string | null;
  rejectReason: string | null;
  hostId: string | null;
}

export interface PatchingSummaryGroup {
  id: string;
  name: string;
  hosts: number;
  vulnerable: number;
  silent: number;
  /** Per NGI: its sites; per site: 1. */
  sites: number;
  /** Sites with no host, or with every host silent 7+ days. */
  sitesNotReporting: number;
  /** Per site: no host ever reported, all silent, or reporting. */
  reporting?: 'none' | 'silent' | 'yes';
  /** A removed site that still has hosts. */
  removed?: boolean;
  byTag: Record<string, number>;
  byLifecycleRule: Record<string, number>;
}
export interface PatchingSummary {
  groupedBy: 'ngi' | 'site';
  items: PatchingSummaryGroup[];
}

export type LifecycleKind = 'end-of-life' | 'minimum-version';

/** GET /api/v1/lifecycle-rules (`hosts`: those it flags within the reader's reach; 0 when disabled or not yet in force). */
export interface LifecycleRule {
  ruleId: string;
  name: string;
  kind: LifecycleKind;
  packagePattern: string;
  version: string | null;
  effectiveFrom: string;
  message: string;
  isEnabled: boolean;
  createdBy: string;
  createdAt: string;
  hosts?: number;
}

/** POST /api/v1/lifecycle-rules; PATCH /api/v1/lifecycle-rules/:ruleId takes any of these (`version: null` clears it). */
export interface LifecycleRuleInput {
  name: string;
  kind: LifecycleKind;
  packagePattern: string;
  version?: string | null;
  effectiveFrom?: string;
  message: string;
}

/** GET /api/v1/lifecycle-rules/:ruleId/hosts */
export interface LifecycleRuleHost {
  hostId: string;
  hostname: string;
  siteId: string;
  siteName: string;
  lastReportAt: string;
  package: string;
}
