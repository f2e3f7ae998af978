// Wire shapes the API sends (src/modules/*/routes.ts and their views), with defaults a test
// overrides only where it matters. Typed by the UI's own wire types, so a drift shows in tsc.
import type { ApiToken, AuditEvent, Endpoint, Job, Ngi, NgiDetail, Page, Person, PersonDetail, RoleAssignment, Site, SiteDetail } from '../lib/types';
import type {
  CveDetail,
  CveTag,
  Feed,
  HostDetail,
  HostFinding,
  HostRow,
  PatchingSummary,
  PatchingSummaryGroup,
  QuarantineEntry,
} from '../routes/patching/types';

/** Recent enough that no host reads as silent. */
export const NOW = new Date().toISOString();
export const EARLIER = '2026-01-05T09:30:00.000Z';

export const page = <T>(items: T[], extra: Partial<Page<T>> = {}): Page<T> => ({ items, total: items.length, limit: 50, offset: 0, ...extra });

export const hostRow = (o: Partial<HostRow> = {}): HostRow => ({
  hostId: 'h-wn01',
  hostname: 'wn01.tromso.example.org',
  siteId: 's-tromso',
  siteName: 'NOR-TROMSO-GRID',
  ngiName: 'NGI_NO',
  os: 'Rocky Linux 9.4',
  osKey: 'rocky-9',
  arch: 'x86_64',
  kernel: '5.14.0-427.el9.x86_64',
  lastReportAt: NOW,
  flags: [],
  findingCount: 0,
  taggedCveCount: 0,
  ...o,
});

export const finding = (o: Partial<HostFinding> = {}): HostFinding => ({
  cve: 'CVE-2024-6387',
  package: 'openssh-server',
  installedVersion: '8.7p1-38.el9',
  arch: 'x86_64',
  fixedVersion: '8.7p1-38.el9_4.1',
  fixAvailable: true,
  severity: 'Important',
  definitionId: 'oval:org.rockylinux:def:1',
  advisoryId: 'RLSA-2024:4312',
  tag: null,
  notes: [],
  since: EARLIER,
  ...o,
});

export const hostDetail = (o: Partial<HostDetail> = {}): HostDetail => ({
  hostId: 'h-wn01',
  hostname: 'wn01.tromso.example.org',
  siteId: 's-tromso',
  siteName: 'NOR-TROMSO-GRID',
  os: 'Rocky Linux 9.4',
  osKey: 'rocky-9',
  arch: 'x86_64',
  kernel: '5.14.0-427.el9.x86_64',
  packager: 'rpm',
  tag: null,
  client: 'vigil-agent/1',
  flags: [],
  firstReportAt: EARLIER,
  lastReportAt: NOW,
  reportCount: 12,
  feedRelease: 'rocky-9',
  evaluationNotes: [],
  packages: [],
  findings: [],
  findingHistory: [],
  packageEvents: [],
  ...o,
});

export const cveTag = (o: Partial<CveTag> = {}): CveTag => ({
  cve: 'CVE-2024-6387',
  tag: 'EGI-Critical',
  arch: null,
  reason: 'Remote code execution as root in sshd (regreSSHion).',
  taggedAt: EARLIER,
  taggedBy: 'Carla CSIRT',
  ...o,
});

export const cveTags = (items: CveTag[] = []) => ({ allowedTags: ['EGI-Critical', 'EGI-High'], items });

export const cveDetail = (o: Partial<CveDetail> = {}): CveDetail => ({
  cve: 'CVE-2024-6387',
  tags: [],
  packages: [],
  sites: [],
  hostCount: 0,
  allContacts: [],
  ...o,
});

export const feed = (o: Partial<Feed> = {}): Feed => ({
  feedId: 'f-rocky9',
  name: 'Rocky Linux 9 OVAL',
  format: 'oval',
  source: 'https://example.org/rocky-9.oval.xml.bz2',
  release: 'rocky-9',
  isEnabled: true,
  refreshHours: 6,
  lastRefreshAt: EARLIER,
  lastStatus: 'ok',
  lastError: null,
  definitionCount: 1200,
  cveCount: 3400,
  mappingCount: 0,
  releases: ['rocky-9'],
  warnings: [],
  createdAt: EARLIER,
  updatedAt: EARLIER,
  ...o,
});

export const summaryGroup = (o: Partial<PatchingSummaryGroup> = {}): PatchingSummaryGroup => ({
  id: 'n-no',
  name: 'NGI_NO',
  hosts: 40,
  vulnerable: 12,
  silent: 2,
  sites: 5,
  sitesNotReporting: 1,
  byTag: {},
  byLifecycleRule: {},
  ...o,
});
export const summary = (items: PatchingSummaryGroup[], groupedBy: PatchingSummary['groupedBy'] = 'ngi'): PatchingSummary => ({ groupedBy, items });

export const quarantined = (o: Partial<QuarantineEntry> = {}): QuarantineEntry => ({
  quarantineId: 'q-1',
  receivedAt: EARLIER,
  claimedSite: 'NOR-TROMSØ',
  hostname: 'ce01.example.org',
  reason: 'The report names a site that does not exist.',
  status: 'pending',
  reviewedBy: null,
  reviewedAt: null,
  releasedSiteId: null,
  releasedSiteName: null,
  rejectReason: null,
  hostId: null,
  ...o,
});

export const site = (o: Partial<Site> = {}): Site => ({
  siteId: 's-tromso',
  gocdbKey: '1234G0',
  name: 'NOR-TROMSO-GRID',
  officialName: 'University of Tromsø grid site',
  description: null,
  ngiId: 'n-no',
  ngiName: 'NGI_NO',
  countryCode: 'NO',
  country: 'Norway',
  certificationStatus: 'certified',
  isProduction: true,
  securityEmail: 'security@tromso.example.org',
  contactEmail: 'grid@tromso.example.org',
  isNotified: true,
  homeUrl: null,
  timezone: 'Europe/Oslo',
  removedAt: null,
  createdAt: EARLIER,
  updatedAt: EARLIER,
  ...o,
});

export const endpoint = (o: Partial<Endpoint> = {}): Endpoint => ({
  endpointId: 'e-ce01',
  gocdbKey: null,
  siteId: 's-tromso',
  siteName: 'NOR-TROMSO-GRID',
  hostname: 'ce01.tromso.example.org',
  serviceType: 'ARC-CE',
  url: null,
  isInProduction: true,
  isMonitored: true,
  hostDn: null,
  createdAt: EARLIER,
  updatedAt: EARLIER,
  ...o,
});

export const role = (o: Partial<RoleAssignment> = {}): RoleAssignment => ({
  roleAssignmentId: 'r-1',
  personId: 'p-ola',
  personName: 'Ola Nordmann',
  personEmail: 'ola@tromso.example.org',
  role: 'site-security-officer',
  scopeType: 'site',
  scopeId: 's-tromso',
  scopeName: 'NOR-TROMSO-GRID',
  source: 'local',
  createdAt: EARLIER,
  ...o,
});

/** `abilities`: what the reader may do on the site, as the server decided (here: read it). */
export const siteDetail = (o: Partial<SiteDetail> = {}): SiteDetail => ({ ...site(), endpoints: [], contacts: [], abilities: ['registry:read'], ...o });

export const ngi = (o: Partial<Ngi> = {}): Ngi => ({
  ngiId: 'n-no',
  gocdbKey: null,
  name: 'NGI_NO',
  description: null,
  email: 'ngi@example.no',
  securityEmail: 'cert@ngi.example.no',
  siteCount: 1,
  removedAt: null,
  createdAt: EARLIER,
  updatedAt: EARLIER,
  ...o,
});

export const ngiDetail = (o: Partial<NgiDetail> = {}): NgiDetail => ({ ...ngi(), contacts: [], abilities: ['registry:read'], ...o });

export const person = (o: Partial<Person> = {}): Person => ({
  personId: 'p-ola',
  gocdbKey: null,
  name: 'Ola Nordmann',
  email: 'ola@tromso.example.org',
  dn: '/DC=org/DC=example/CN=Ola Nordmann',
  checkinSubject: null,
  identityVerified: true,
  hasAccount: true,
  createdAt: EARLIER,
  updatedAt: EARLIER,
  ...o,
});

export const personDetail = (o: Partial<PersonDetail> = {}): PersonDetail => ({ ...person(), roles: [], ...o });

export const apiToken = (o: Partial<ApiToken> = {}): ApiToken => ({
  tokenId: 't-1',
  personId: 'p-csirt',
  personName: 'Carla CSIRT',
  name: 'ci-bot',
  prefix: 'vgt_ab12',
  permissions: ['registry:read'],
  createdAt: EARLIER,
  expiresAt: '2999-01-01T00:00:00.000Z',
  revokedAt: null,
  lastUsedAt: null,
  ...o,
});

export const auditEvent = (o: Partial<AuditEvent> = {}): AuditEvent => ({
  seq: 41,
  at: EARLIER,
  actorId: 'p-ola',
  actorLabel: 'Ola Nordmann',
  action: 'site.update',
  objectType: 'site',
  objectId: 's-tromso-0000000000',
  before: { securityEmail: 'old@tromso.example.org' },
  after: { securityEmail: 'security@tromso.example.org' },
  hash: 'a3f9c2d81b7e44aa',
  ...o,
});

export const job = (o: Partial<Job> = {}): Job => ({
  jobId: 'j-0000abcdef',
  kind: 'gocdb-import',
  status: 'succeeded',
  attempts: 1,
  maxAttempts: 3,
  runAt: EARLIER,
  progress: 1,
  progressMessage: null,
  lastError: null,
  createdAt: EARLIER,
  finishedAt: EARLIER,
  ...o,
});
