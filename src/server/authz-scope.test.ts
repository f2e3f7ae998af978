// The service check, route by route: every role asks each route about one object inside its
// scope, one at a neighbouring site of the same NGI and one outside (another NGI, another VO,
// another person), and gets exactly the answer its scope gives. Patch data of a site a role
// does not serve is not found (404), never merely forbidden. A route without a case fails the
// first test, so each new route must state what its scope is.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testApp, type TestApp } from '../../test/support/app.js';
import { admin, personWithRole, smallFederation, type SmallFederation } from '../../test/support/seed.js';
import { ROLES, type Role } from '../core/roles.js';
import { rockyReport } from '../../test/support/reports.js';

type Where = 'inside' | 'neighbour' | 'outside';
interface Req {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  payload?: unknown;
  headers?: Record<string, string>;
}
interface Res {
  statusCode: number;
  body: string;
}

/**
 * How far a role's scope reaches for a case:
 * - own: patch data and site-level changes: a site role its own site, an NGI role its NGI's sites;
 * - registry: registry reads: a site role also its NGI's other sites (to find their contacts);
 * - vo: a VO role its own VO;
 * - self: the actor's own things (another person's only with account:manage);
 * - any: the object has no scope narrower than the federation (the route check decides).
 */
type Reach = 'own' | 'registry' | 'vo' | 'self' | 'any';

interface Case {
  /** Roles the route admits at all (the route-level permission). */
  roles: readonly Role[];
  reach: Reach;
  /** Which objects are asked about (neighbour only where a site has neighbours). */
  wheres?: readonly Where[];
  request(where: Where, role: Role): Promise<Req> | Req;
  /** Did the answer show or do it? Default: a 2xx status. Lists: the object's marker is in the body. */
  shown?(res: Res, where: Where): boolean;
  /** Out of scope, the object's existence must not leak: 404 for a single object. */
  hidden?: boolean;
  /** VO roles are asked about their own VO (inside) and another VO (outside) instead of sites. */
  voScoped?: boolean;
}

const ALL = ROLES;
const FED_ADMIN: Role[] = ['federation-admin'];
const FEDERATION_ROLES: Role[] = ['federation-admin', 'csirt'];
const PATCH_READERS: Role[] = ['federation-admin', 'csirt', 'ngi-security-officer', 'site-security-officer', 'site-admin', 'read-only'];
const SITE_OPERATORS: Role[] = ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'site-admin'];
const EXCEPTION_MANAGERS: Role[] = ['federation-admin', 'ngi-security-officer', 'site-security-officer'];
const REVIEWERS: Role[] = ['federation-admin', 'csirt', 'ngi-security-officer'];
const AUDIT_READERS: Role[] = ['federation-admin', 'csirt', 'ngi-security-officer', 'site-security-officer', 'site-admin', 'vo-manager'];
const SITES: readonly Where[] = ['inside', 'neighbour', 'outside'];
const TASK_READERS: Role[] = ['federation-admin', 'csirt', 'ngi-security-officer', 'site-security-officer', 'site-admin', 'vo-manager'];
const TASK_OPENERS: Role[] = ['federation-admin', 'csirt', 'ngi-security-officer'];

/** Where each role is held: federation roles at the federation, NGI roles at NGI_ALPHA, site roles at ALPHA-UNI-1, VO roles at the first VO. */
const HOME: Record<Role, 'federation' | 'ngi' | 'site' | 'vo'> = {
  'federation-admin': 'federation',
  csirt: 'federation',
  'ngi-security-officer': 'ngi',
  'site-security-officer': 'site',
  'site-admin': 'site',
  'read-only': 'site',
  'vo-manager': 'vo',
  'vo-endorser': 'vo',
};

function reaches(role: Role, where: Where, c: Case): boolean {
  const home = HOME[role];
  const reach = c.voScoped && home === 'vo' ? 'vo' : c.reach;
  switch (reach) {
    case 'any':
      return true;
    case 'self':
      return where === 'inside' || role === 'federation-admin';
    case 'vo':
      return home === 'federation' || (home === 'vo' && where !== 'outside');
    case 'registry':
      return home === 'federation' || ((home === 'ngi' || home === 'site') && where !== 'outside');
    case 'own':
      return home === 'federation' || (home === 'ngi' && where !== 'outside') || (home === 'site' && where === 'inside');
  }
}

let t: TestApp;
let fx: SmallFederation & { vo2: string };
const sessions = new Map<Role, { cookie: string; csrf: string; personId: string }>();
let counter = 0;
/** What the last request made, for lists whose entries the request itself created. */
let lastMarker = '';
const unique = (prefix: string) => `${prefix}-${++counter}`;

const CVE = 'CVE-2023-3446';
const siteOf = (w: Where) => (w === 'inside' ? fx.siteA1 : w === 'neighbour' ? fx.siteA2 : fx.siteB1);
const siteNameOf = (w: Where) => (w === 'inside' ? 'ALPHA-UNI-1' : w === 'neighbour' ? 'ALPHA-LAB-2' : 'BETA-HPC-1');
const ngiOf = (w: Where) => (w === 'outside' ? fx.ngiB : fx.ngiA);
const ngiNameOf = (w: Where) => (w === 'outside' ? 'NGI_BETA' : 'NGI_ALPHA');
const voOf = (w: Where) => (w === 'outside' ? fx.vo2 : fx.vo);
const hostnameOf = (w: Where) => `host-${w}.example.org`;
const hostIds = new Map<Where, string>();
const endpointIds = new Map<Where, string>();
let ruleId = '';
let feedId = '';
const taskIds = new Map<Where, string>();
const attachmentIds = new Map<Where, string>();
let proc19 = '';
/** A template of the site's own steps only: an NGI officer may start it at their sites. */
let siteTemplate = '';

/** A new open task addressed to the where-site. */
async function freshTask(w: Where, title = unique('task')): Promise<string> {
  return (
    await t.services.tasks.create(admin, {
      targets: [{ type: 'site', id: siteOf(w) }],
      taskType: 'request',
      priority: 'urgent',
      title,
      description: '',
      tlp: 'AMBER',
    })
  ).items[0]!.taskId;
}

/** A message given up by the sender, to replay. */
async function deadMessage(): Promise<string> {
  const id = unique('dead');
  await t.db.db
    .insertInto('outbox_message')
    .values({
      message_id: id,
      channel: 'email',
      header_id: `<${id}@example.org>`,
      recipient: 'x@example.org',
      person_id: null,
      event_type: 'task.created',
      tlp: 'AMBER',
      subject: 's',
      body: 'b',
      reply_to: null,
      ref_type: null,
      ref_id: null,
      status: 'dead',
      attempts: 8,
      next_attempt_at: new Date().toISOString(),
      locked_by: null,
      locked_until: null,
      last_error: '550 no such user',
      created_at: new Date().toISOString(),
      sent_at: null,
    })
    .execute();
  return id;
}

/** A message to the reply address without a token: held for review. */
async function heldMail(): Promise<string> {
  const raw = Buffer.from(`From: someone@example.net\r\nTo: vigil@localhost\r\nSubject: hello\r\nMessage-ID: <${unique('m')}@example.net>\r\n\r\nhello\r\n`);
  return (await t.services.inbound.receive(raw)).mailId!;
}

const includes = (marker: (w: Where) => string) => (res: Res, w: Where) => res.statusCode === 200 && res.body.includes(marker(w));

/** A report held in quarantine, naming the where-site with the enrolment token of another site. */
async function quarantined(w: Where): Promise<string> {
  const other = w === 'outside' ? fx.siteA1 : fx.siteB1;
  const { token } = await t.services.reporters.createToken(admin, other, unique('q'));
  await t.services.intake.accept(
    rockyReport(`${unique('q')}.example.org`, siteNameOf(w)),
    { bearer: token, address: `192.0.2.${counter % 250}` },
    'store-only',
    'test',
  );
  const row = await t.db.db
    .selectFrom('report_quarantine')
    .select('quarantine_id')
    .orderBy('received_at', 'desc')
    .orderBy('quarantine_id', 'desc')
    .where('claimed_site', '=', siteNameOf(w))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return row.quarantine_id;
}

/** A pending exception at the where-site: to a tagged CVE, so it waits for review (not CVE: accepted, it would hide the hosts other cases list). */
async function pendingException(w: Where): Promise<string> {
  await t.services.tags.tag(admin, { cve: 'CVE-2099-0004', tag: 'EGI-Critical', reason: 'test' });
  const e = await t.services.exceptions.create(admin, {
    siteId: siteOf(w),
    cve: 'CVE-2099-0004',
    justification: 'rebuilt locally with the fix',
    expiresAt: inAMonth(),
  });
  assert.equal(e.status, 'pending');
  return e.exceptionId;
}

/** An account that is neither an actor of this test nor its admin, to disable, enable, reset. */
async function spareAccount(): Promise<string> {
  const person = await t.services.people.createPerson(admin, { name: unique('Spare'), email: `${unique('s')}@example.org` });
  return (await t.services.identity.createAccount(admin, { personId: person.personId, username: unique('spare'), password: 'correct horse battery staple' }))
    .accountId;
}

async function freshEndpoint(w: Where) {
  return (await t.services.registry.createEndpoint(admin, { siteId: siteOf(w), hostname: `${unique('ep')}.example.org`, serviceType: 'CREAM-CE' })).endpointId;
}

async function tokenOf(owner: 'mine' | 'theirs', role: Role) {
  const personId = owner === 'mine' ? sessions.get(role)!.personId : sessions.get('vo-endorser' === role ? 'read-only' : 'vo-endorser')!.personId;
  const actor = await t.services.identity.actorForPerson(personId, 'test');
  return (await t.services.identity.createToken(actor, { name: unique('tok'), permissions: ['token:own'], expiresInDays: 1 })).record;
}

const CASES: Record<string, Case> = {
  'GET /api/v1/auth/session': { roles: ALL, reach: 'any', wheres: ['inside'], request: () => ({ method: 'GET', url: '/api/v1/auth/session' }) },
  'GET /api/v1/tokens': {
    roles: ALL,
    reach: 'self',
    wheres: ['inside', 'outside'],
    request: async (w, role) => {
      lastMarker = (await tokenOf(w === 'inside' ? 'mine' : 'theirs', role)).prefix;
      return { method: 'GET', url: '/api/v1/tokens' };
    },
    shown: (res) => res.statusCode === 200 && res.body.includes(lastMarker),
  },
  'POST /api/v1/tokens': {
    roles: ALL,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'POST', url: '/api/v1/tokens', payload: { name: unique('t'), permissions: ['token:own'], expiresInDays: 1 } }),
  },
  'POST /api/v1/tokens/:tokenId/revoke': {
    roles: ALL,
    reach: 'self',
    wheres: ['inside', 'outside'],
    hidden: true,
    request: async (w, role) => ({ method: 'POST', url: `/api/v1/tokens/${(await tokenOf(w === 'inside' ? 'mine' : 'theirs', role)).tokenId}/revoke` }),
  },
  'POST /api/v1/accounts': {
    roles: FED_ADMIN,
    reach: 'any',
    wheres: ['inside'],
    request: async () => {
      const person = await t.services.people.createPerson(admin, { name: unique('Account holder'), email: `${unique('a')}@example.org` });
      return {
        method: 'POST',
        url: '/api/v1/accounts',
        payload: { personId: person.personId, username: unique('acct'), password: 'correct horse battery staple' },
      };
    },
  },

  'GET /api/v1/accounts': {
    roles: FED_ADMIN,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'GET', url: '/api/v1/accounts' }),
    shown: includes(() => 'u-site-admin'),
  },
  'POST /api/v1/accounts/:accountId/disable': {
    roles: FED_ADMIN,
    reach: 'any',
    wheres: ['inside'],
    request: async () => ({ method: 'POST', url: `/api/v1/accounts/${await spareAccount()}/disable` }),
  },
  'POST /api/v1/accounts/:accountId/enable': {
    roles: FED_ADMIN,
    reach: 'any',
    wheres: ['inside'],
    request: async () => ({ method: 'POST', url: `/api/v1/accounts/${await spareAccount()}/enable` }),
  },
  'POST /api/v1/accounts/:accountId/reset-password': {
    roles: FED_ADMIN,
    reach: 'any',
    wheres: ['inside'],
    request: async () => ({
      method: 'POST',
      url: `/api/v1/accounts/${await spareAccount()}/reset-password`,
      payload: { password: 'another correct horse battery' },
    }),
  },
  'POST /api/v1/accounts/:accountId/end-sessions': {
    roles: FED_ADMIN,
    reach: 'any',
    wheres: ['inside'],
    request: async () => ({ method: 'POST', url: `/api/v1/accounts/${await spareAccount()}/end-sessions` }),
  },
  'GET /api/v1/audit/checkpoints': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'GET', url: '/api/v1/audit/checkpoints' }),
  },

  'GET /api/v1/ngis': {
    roles: ALL,
    reach: 'registry',
    wheres: ['inside', 'outside'],
    request: () => ({ method: 'GET', url: '/api/v1/ngis' }),
    shown: includes(ngiNameOf),
  },
  'POST /api/v1/ngis': {
    roles: FED_ADMIN,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'POST', url: '/api/v1/ngis', payload: { name: unique('NGI_NEW') } }),
  },
  'GET /api/v1/ngis/:ngiId': {
    roles: ALL,
    reach: 'registry',
    wheres: ['inside', 'outside'],
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/ngis/${ngiOf(w)}` }),
  },
  'PATCH /api/v1/ngis/:ngiId': {
    roles: FED_ADMIN,
    reach: 'own',
    wheres: ['inside', 'outside'],
    request: (w) => ({ method: 'PATCH', url: `/api/v1/ngis/${ngiOf(w)}`, payload: { description: unique('d') } }),
  },
  'GET /api/v1/sites': {
    roles: ALL,
    reach: 'registry',
    wheres: SITES,
    request: () => ({ method: 'GET', url: '/api/v1/sites?limit=100' }),
    shown: includes(siteNameOf),
  },
  'POST /api/v1/sites': {
    roles: ['federation-admin', 'ngi-security-officer'],
    reach: 'own',
    wheres: ['inside', 'outside'],
    request: (w) => ({ method: 'POST', url: '/api/v1/sites', payload: { name: unique('NEW-SITE').toUpperCase(), ngiId: ngiOf(w) } }),
  },
  'GET /api/v1/sites/:siteId': {
    roles: ALL,
    reach: 'registry',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/sites/${siteOf(w)}` }),
  },
  'PATCH /api/v1/sites/:siteId': {
    roles: SITE_OPERATORS,
    reach: 'own',
    wheres: SITES,
    request: (w) => ({ method: 'PATCH', url: `/api/v1/sites/${siteOf(w)}`, payload: { description: unique('d') } }),
  },
  'GET /api/v1/endpoints': {
    roles: ALL,
    reach: 'registry',
    wheres: SITES,
    request: () => ({ method: 'GET', url: '/api/v1/endpoints?limit=200' }),
    shown: includes((w) => `ep-${w}.example.org`),
  },
  'POST /api/v1/endpoints': {
    roles: SITE_OPERATORS,
    reach: 'own',
    wheres: SITES,
    request: (w) => ({
      method: 'POST',
      url: '/api/v1/endpoints',
      payload: { siteId: siteOf(w), hostname: `${unique('new')}.example.org`, serviceType: 'CREAM-CE' },
    }),
  },
  'GET /api/v1/endpoints/:endpointId': {
    roles: ALL,
    reach: 'registry',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/endpoints/${endpointIds.get(w)}` }),
  },
  'PATCH /api/v1/endpoints/:endpointId': {
    roles: SITE_OPERATORS,
    reach: 'own',
    wheres: SITES,
    request: async (w) => ({ method: 'PATCH', url: `/api/v1/endpoints/${await freshEndpoint(w)}`, payload: { url: 'https://ce.example.org:8443/' } }),
  },
  'DELETE /api/v1/endpoints/:endpointId': {
    roles: SITE_OPERATORS,
    reach: 'own',
    wheres: SITES,
    request: async (w) => ({ method: 'DELETE', url: `/api/v1/endpoints/${await freshEndpoint(w)}` }),
  },
  'GET /api/v1/vos': {
    roles: ALL,
    reach: 'vo',
    wheres: ['inside', 'outside'],
    request: () => ({ method: 'GET', url: '/api/v1/vos' }),
    shown: includes((w) => (w === 'outside' ? 'bio.example.org' : 'astro.example.org')),
  },
  'POST /api/v1/vos': {
    roles: FED_ADMIN,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'POST', url: '/api/v1/vos', payload: { name: `${unique('vo')}.example.org` } }),
  },
  'GET /api/v1/vos/:voId': {
    roles: ALL,
    reach: 'vo',
    wheres: ['inside', 'outside'],
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/vos/${voOf(w)}` }),
  },
  'PATCH /api/v1/vos/:voId': {
    roles: ['federation-admin', 'vo-manager'],
    reach: 'vo',
    wheres: ['inside', 'outside'],
    request: (w) => ({ method: 'PATCH', url: `/api/v1/vos/${voOf(w)}`, payload: { description: unique('d') } }),
  },
  'GET /api/v1/people': {
    roles: ALL,
    reach: 'registry',
    wheres: SITES,
    request: () => ({ method: 'GET', url: '/api/v1/people?limit=200' }),
    shown: includes((w) => `Contact ${w}`),
  },
  'POST /api/v1/people': {
    voScoped: true,
    roles: ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'vo-manager'],
    reach: 'own',
    wheres: SITES,
    request: (w, role) => ({
      method: 'POST',
      url: '/api/v1/people',
      payload: {
        name: unique('Person'),
        email: `${unique('p')}@example.org`,
        grant: HOME[role] === 'vo' ? { role: 'read-only', scopeType: 'vo', scopeId: voOf(w) } : { role: 'read-only', scopeType: 'site', scopeId: siteOf(w) },
      },
    }),
  },
  'GET /api/v1/people/:personId': {
    roles: ALL,
    reach: 'registry',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/people/${contactIds.get(w)}` }),
  },
  'PATCH /api/v1/people/:personId': {
    roles: FED_ADMIN,
    reach: 'any',
    wheres: SITES,
    request: (w) => ({ method: 'PATCH', url: `/api/v1/people/${contactIds.get(w)}`, payload: { name: `Contact ${w}` } }),
  },
  'GET /api/v1/roles': {
    roles: ALL,
    reach: 'registry',
    wheres: SITES,
    request: (w) => ({ method: 'GET', url: `/api/v1/roles?scopeId=${siteOf(w)}` }),
    shown: includes((w) => `Contact ${w}`),
  },
  'POST /api/v1/roles': {
    voScoped: true,
    roles: ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'vo-manager'],
    reach: 'own',
    wheres: SITES,
    request: async (w, role) => {
      const person = await t.services.people.createPerson(admin, { name: unique('Grantee'), email: `${unique('g')}@example.org` });
      const grant =
        HOME[role] === 'vo' ? { role: 'read-only', scopeType: 'vo', scopeId: voOf(w) } : { role: 'read-only', scopeType: 'site', scopeId: siteOf(w) };
      return { method: 'POST', url: '/api/v1/roles', payload: { personId: person.personId, ...grant } };
    },
  },
  'DELETE /api/v1/roles/:roleAssignmentId': {
    voScoped: true,
    roles: ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'vo-manager'],
    reach: 'own',
    wheres: SITES,
    request: async (w, role) => {
      const scope = HOME[role] === 'vo' ? { scopeType: 'vo' as const, scopeId: voOf(w) } : { scopeType: 'site' as const, scopeId: siteOf(w) };
      const person = await t.services.people.createPerson(admin, {
        name: unique('Holder'),
        email: `${unique('h')}@example.org`,
        grant: { role: 'read-only', ...scope },
      });
      const assignment = await t.db.db
        .selectFrom('role_assignment')
        .select('role_assignment_id')
        .where('person_id', '=', person.personId)
        .executeTakeFirstOrThrow();
      return { method: 'DELETE', url: `/api/v1/roles/${assignment.role_assignment_id}` };
    },
  },
  'POST /api/v1/imports/gocdb': {
    roles: FED_ADMIN,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'POST', url: '/api/v1/imports/gocdb?dryRun=true', payload: gocdbXml, headers: { 'content-type': 'application/xml' } }),
  },
  'GET /api/v1/audit': {
    voScoped: true,
    roles: AUDIT_READERS,
    reach: 'registry',
    wheres: SITES,
    request: (w, role) => ({
      method: 'GET',
      url: HOME[role] === 'vo' ? `/api/v1/audit?objectType=vo&objectId=${voOf(w)}` : `/api/v1/audit?objectType=site&objectId=${siteOf(w)}`,
    }),
  },
  'GET /api/v1/audit/verify': { roles: FEDERATION_ROLES, reach: 'any', wheres: ['inside'], request: () => ({ method: 'GET', url: '/api/v1/audit/verify' }) },
  'GET /api/v1/jobs': { roles: FEDERATION_ROLES, reach: 'any', wheres: ['inside'], request: () => ({ method: 'GET', url: '/api/v1/jobs' }) },

  // Patch monitoring: a site role reads its own site's data only.
  'GET /api/v1/hosts': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: '/api/v1/hosts?limit=100' }),
    shown: includes(hostnameOf),
  },
  'GET /api/v1/hosts/:hostId': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/hosts/${hostIds.get(w)}` }),
  },
  'GET /api/v1/hosts.csv': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/hosts.csv?siteId=${siteOf(w)}` }),
    shown: includes(hostnameOf),
  },
  'GET /api/v1/patching/summary': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    request: (w) => ({ method: 'GET', url: `/api/v1/patching/summary?ngiId=${ngiOf(w)}` }),
    shown: includes(siteNameOf),
  },
  'GET /api/v1/report-quarantine': {
    roles: REVIEWERS,
    reach: 'own',
    wheres: ['inside', 'outside'],
    request: () => ({ method: 'GET', url: '/api/v1/report-quarantine?limit=200' }),
    shown: (res, w) =>
      res.statusCode === 200 && (JSON.parse(res.body) as { items: Array<{ claimedSite: string }> }).items.some((i) => i.claimedSite === siteNameOf(w)),
  },
  'POST /api/v1/report-quarantine/:quarantineId/release': {
    roles: REVIEWERS,
    reach: 'own',
    wheres: ['inside', 'outside'],
    hidden: true,
    request: async (w) => ({ method: 'POST', url: `/api/v1/report-quarantine/${await quarantined(w)}/release`, payload: { siteId: siteOf(w) } }),
  },
  'POST /api/v1/report-quarantine/:quarantineId/reject': {
    roles: REVIEWERS,
    reach: 'own',
    wheres: ['inside', 'outside'],
    hidden: true,
    request: async (w) => ({ method: 'POST', url: `/api/v1/report-quarantine/${await quarantined(w)}/reject`, payload: { reason: 'not ours' } }),
  },
  // The CVE list and the package search, for one site: a site out of reach is not found.
  'GET /api/v1/cves': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/cves?siteId=${siteOf(w)}` }),
    shown: (res) => res.statusCode === 200 && res.body.includes(CVE),
  },
  'GET /api/v1/cves.csv': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/cves.csv?siteId=${siteOf(w)}` }),
    shown: (res) => res.statusCode === 200 && res.body.includes(CVE),
  },
  'GET /api/v1/packages/search': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: '/api/v1/packages/search?name=openssl&limit=200' }),
    shown: includes(hostnameOf),
  },
  'GET /api/v1/cves/:cveId': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: `/api/v1/cves/${CVE}` }),
    shown: includes(siteNameOf),
  },
  'GET /api/v1/cves/:cveId/time-to-patch': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: `/api/v1/cves/${CVE}/time-to-patch` }),
    shown: includes(siteNameOf),
  },
  'GET /api/v1/cve-tags': { roles: PATCH_READERS, reach: 'any', wheres: ['inside'], request: () => ({ method: 'GET', url: '/api/v1/cve-tags' }) },
  'POST /api/v1/cve-tags': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'POST', url: '/api/v1/cve-tags', payload: { cve: `CVE-2099-${1000 + ++counter}`, tag: 'EGI-High', reason: 'test' } }),
  },
  'DELETE /api/v1/cve-tags/:cveId/:tag': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: async () => {
      const cve = `CVE-2099-${1000 + ++counter}`;
      await t.services.tags.tag(admin, { cve, tag: 'EGI-High', reason: 'test' });
      return { method: 'DELETE', url: `/api/v1/cve-tags/${cve}/EGI-High` };
    },
  },
  'PATCH /api/v1/cve-tags/:cveId/:tag': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: async () => {
      const cve = `CVE-2099-${1000 + ++counter}`;
      await t.services.tags.tag(admin, { cve, tag: 'EGI-High', reason: 'test' });
      return { method: 'PATCH', url: `/api/v1/cve-tags/${cve}/EGI-High`, payload: { reason: 'edited' } };
    },
  },
  'GET /api/v1/cve-tags/:cveId/history': {
    roles: PATCH_READERS,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'GET', url: `/api/v1/cve-tags/${CVE}/history` }),
  },
  // Exceptions to the tagged CVE wait for the CSIRT's review (exception:review, federation roles).
  'POST /api/v1/exceptions/:exceptionId/accept': {
    roles: FEDERATION_ROLES,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: async (w) => ({ method: 'POST', url: `/api/v1/exceptions/${await pendingException(w)}/accept` }),
  },
  'POST /api/v1/exceptions/:exceptionId/reject': {
    roles: FEDERATION_ROLES,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: async (w) => ({ method: 'POST', url: `/api/v1/exceptions/${await pendingException(w)}/reject`, payload: { reason: 'not justified' } }),
  },
  'GET /api/v1/exception-policy': {
    roles: PATCH_READERS,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'GET', url: '/api/v1/exception-policy' }),
  },
  'PUT /api/v1/exception-policy': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'PUT', url: '/api/v1/exception-policy', payload: { autoAcceptTags: [] } }),
  },
  'GET /api/v1/exceptions': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: '/api/v1/exceptions' }),
    shown: includes((w) => `justified at ${w}`),
  },
  'POST /api/v1/exceptions': {
    roles: EXCEPTION_MANAGERS,
    reach: 'own',
    wheres: SITES,
    request: (w) => ({
      method: 'POST',
      url: '/api/v1/exceptions',
      payload: { siteId: siteOf(w), cve: 'CVE-2099-0001', justification: 'compensating control in place', expiresAt: inAMonth() },
    }),
  },
  'POST /api/v1/exceptions/:exceptionId/revoke': {
    roles: EXCEPTION_MANAGERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: async (w) => {
      const e = await t.services.exceptions.create(admin, {
        siteId: siteOf(w),
        cve: 'CVE-2099-0002',
        justification: 'compensating control in place',
        expiresAt: inAMonth(),
      });
      return { method: 'POST', url: `/api/v1/exceptions/${e.exceptionId}/revoke` };
    },
  },
  'GET /api/v1/feeds': { roles: PATCH_READERS, reach: 'any', wheres: ['inside'], request: () => ({ method: 'GET', url: '/api/v1/feeds' }) },
  'POST /api/v1/feeds': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'POST', url: '/api/v1/feeds', payload: { name: unique('feed'), format: 'oval', source: ovalPath, release: 'rhel:9' } }),
  },
  'POST /api/v1/feeds/:feedId/refresh': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'POST', url: `/api/v1/feeds/${feedId}/refresh` }),
  },
  'PUT /api/v1/feed-files/:fileName': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({
      method: 'PUT',
      url: `/api/v1/feed-files/${unique('feed')}.json`,
      payload: Buffer.from('[]'),
      headers: { 'content-type': 'application/octet-stream' },
    }),
  },
  'GET /api/v1/sites/:siteId/enrolment-tokens': {
    roles: SITE_OPERATORS,
    reach: 'own',
    wheres: SITES,
    request: (w) => ({ method: 'GET', url: `/api/v1/sites/${siteOf(w)}/enrolment-tokens` }),
  },
  'POST /api/v1/sites/:siteId/enrolment-tokens': {
    roles: SITE_OPERATORS,
    reach: 'own',
    wheres: SITES,
    request: (w) => ({ method: 'POST', url: `/api/v1/sites/${siteOf(w)}/enrolment-tokens`, payload: { name: unique('tok') } }),
  },
  'POST /api/v1/sites/:siteId/enrolment-tokens/:tokenId/revoke': {
    roles: SITE_OPERATORS,
    reach: 'own',
    wheres: SITES,
    request: async (w) => ({
      method: 'POST',
      url: `/api/v1/sites/${siteOf(w)}/enrolment-tokens/${(await t.services.reporters.createToken(admin, siteOf(w), unique('tok'))).tokenId}/revoke`,
    }),
  },
  'GET /api/v1/sites/:siteId/report-policy': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    request: (w) => ({ method: 'GET', url: `/api/v1/sites/${siteOf(w)}/report-policy` }),
  },
  'PUT /api/v1/sites/:siteId/report-policy': {
    roles: FEDERATION_ROLES,
    reach: 'own',
    wheres: SITES,
    request: (w) => ({ method: 'PUT', url: `/api/v1/sites/${siteOf(w)}/report-policy`, payload: { anonymousAllowed: true } }),
  },
  'GET /api/v1/sites/:siteId/reporter-dns': {
    roles: SITE_OPERATORS,
    reach: 'own',
    wheres: SITES,
    request: (w) => ({ method: 'GET', url: `/api/v1/sites/${siteOf(w)}/reporter-dns` }),
    shown: includes((w) => `CN=reporter at ${w}`),
  },
  'DELETE /api/v1/sites/:siteId/reporter-dns': {
    roles: SITE_OPERATORS,
    reach: 'own',
    wheres: SITES,
    request: async (w) => {
      const dn = `/DC=org/DC=example/CN=${unique('mapped')}`;
      await t.services.reporters.mapDn(admin, siteOf(w), dn);
      return { method: 'DELETE', url: `/api/v1/sites/${siteOf(w)}/reporter-dns?dn=${encodeURIComponent(dn)}` };
    },
  },
  'POST /api/v1/sites/:siteId/reporter-dns': {
    roles: SITE_OPERATORS,
    reach: 'own',
    wheres: SITES,
    // A site's own operators enrol only DNs of the site's registered endpoints.
    request: async (w) => {
      const hostname = `${unique('reporter')}.example.org`;
      await t.services.registry.createEndpoint(admin, { siteId: siteOf(w), hostname, serviceType: 'CREAM-CE' });
      return { method: 'POST', url: `/api/v1/sites/${siteOf(w)}/reporter-dns`, payload: { dn: `/DC=org/DC=example/CN=${hostname}` } };
    },
  },
  'GET /api/hosts.php': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: `/api/hosts.php?cveName=${CVE}` }),
    shown: includes(hostnameOf),
  },
  'GET /pakiti/api/hosts.php': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: `/pakiti/api/hosts.php?cveName=${CVE}` }),
    shown: includes(hostnameOf),
  },
  'GET /api/v1/probe/sites/:siteName': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/probe/sites/${siteNameOf(w)}` }),
  },
  'GET /api/v1/lifecycle-rules': { roles: PATCH_READERS, reach: 'any', wheres: ['inside'], request: () => ({ method: 'GET', url: '/api/v1/lifecycle-rules' }) },
  'POST /api/v1/lifecycle-rules': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({
      method: 'POST',
      url: '/api/v1/lifecycle-rules',
      payload: { name: unique('rule'), kind: 'end-of-life', packagePattern: 'python2*', message: 'Python 2 is end of life' },
    }),
  },
  'PATCH /api/v1/lifecycle-rules/:ruleId': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'PATCH', url: `/api/v1/lifecycle-rules/${ruleId}`, payload: { message: 'openssl is watched' } }),
  },
  'PUT /api/v1/lifecycle-rules/:ruleId/enabled': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'PUT', url: `/api/v1/lifecycle-rules/${ruleId}/enabled`, payload: { enabled: true } }),
  },
  'GET /api/v1/lifecycle-rules/:ruleId/hosts': {
    roles: PATCH_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: `/api/v1/lifecycle-rules/${ruleId}/hosts?limit=100` }),
    shown: includes(hostnameOf),
  },

  // Site tasks: a task is the addressed site's (and its NGI's, and the CSIRT's), no one else's.
  'GET /api/v1/tasks': {
    roles: TASK_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: '/api/v1/tasks?status=all&limit=200' }),
    shown: includes((w) => `task at ${w}`),
  },
  'POST /api/v1/tasks': {
    roles: TASK_OPENERS,
    reach: 'own',
    wheres: SITES,
    request: (w) => ({
      method: 'POST',
      url: '/api/v1/tasks',
      payload: { targets: [{ type: 'site', id: siteOf(w) }], taskType: 'request', priority: 'urgent', title: unique('t') },
    }),
  },
  'GET /api/v1/tasks/:taskId': {
    roles: TASK_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/tasks/${taskIds.get(w)}` }),
  },
  'POST /api/v1/tasks/:taskId/acknowledge': {
    roles: TASK_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: async (w) => ({ method: 'POST', url: `/api/v1/tasks/${await freshTask(w)}/acknowledge`, payload: {} }),
  },
  'POST /api/v1/tasks/:taskId/resolve': {
    roles: TASK_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: async (w) => ({ method: 'POST', url: `/api/v1/tasks/${await freshTask(w)}/resolve`, payload: { comment: 'done' } }),
  },
  'POST /api/v1/tasks/:taskId/cancel': {
    roles: TASK_OPENERS,
    reach: 'own',
    wheres: SITES,
    request: async (w) => ({ method: 'POST', url: `/api/v1/tasks/${await freshTask(w)}/cancel`, payload: { reason: 'not needed' } }),
  },
  'POST /api/v1/tasks/:taskId/comments': {
    roles: TASK_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'POST', url: `/api/v1/tasks/${taskIds.get(w)}/comments`, payload: { body: unique('comment') } }),
  },
  'POST /api/v1/tasks/:taskId/attachments': {
    roles: TASK_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'POST', url: `/api/v1/tasks/${taskIds.get(w)}/attachments`, payload: { fileName: 'log.txt', contentBase64: 'aGVsbG8=' } }),
  },
  'GET /api/v1/tasks/:taskId/attachments/:attachmentId': {
    roles: TASK_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/tasks/${taskIds.get(w)}/attachments/${attachmentIds.get(w)}` }),
  },
  'GET /api/v1/task-attention': { roles: TASK_READERS, reach: 'any', wheres: ['inside'], request: () => ({ method: 'GET', url: '/api/v1/task-attention' }) },
  'GET /api/v1/deadline-rules': { roles: TASK_READERS, reach: 'any', wheres: ['inside'], request: () => ({ method: 'GET', url: '/api/v1/deadline-rules' }) },
  'PUT /api/v1/deadline-rules': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({
      method: 'PUT',
      url: '/api/v1/deadline-rules',
      payload: { taskType: 'request', priority: 'urgent', amount: 2, unit: 'working-days', measures: 'resolve', source: unique('policy') },
    }),
  },
  'GET /api/v1/work-calendar': { roles: TASK_READERS, reach: 'any', wheres: ['inside'], request: () => ({ method: 'GET', url: '/api/v1/work-calendar' }) },
  'PUT /api/v1/work-calendar': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({
      method: 'PUT',
      url: '/api/v1/work-calendar',
      payload: { timeZone: 'UTC', week: { '1': [[420, 900]], '2': [[420, 900]] }, holidays: ['2026-12-25'] },
    }),
  },
  'GET /api/v1/checklist-templates': {
    roles: TASK_READERS,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'GET', url: '/api/v1/checklist-templates' }),
  },
  'POST /api/v1/checklist-templates': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({
      method: 'POST',
      url: '/api/v1/checklist-templates',
      payload: { name: unique('template'), scopeType: 'site', steps: [{ title: 'one', description: '', party: 'addressee', amount: 1, unit: 'days' }] },
    }),
  },
  'GET /api/v1/checklists': {
    roles: TASK_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: '/api/v1/checklists' }),
    shown: includes((w) => `checklist at ${w}`),
  },
  'POST /api/v1/checklists': {
    roles: TASK_OPENERS,
    reach: 'own',
    wheres: SITES,
    request: (w) => ({
      method: 'POST',
      url: '/api/v1/checklists',
      payload: { templateId: siteTemplate, title: unique('hardening'), target: { type: 'site', id: siteOf(w) } },
    }),
  },
  'GET /api/v1/response-times': {
    roles: TASK_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: '/api/v1/response-times' }),
    shown: includes(siteNameOf),
  },
  'GET /api/v1/response-times.csv': {
    roles: TASK_READERS,
    reach: 'own',
    wheres: SITES,
    request: () => ({ method: 'GET', url: '/api/v1/response-times.csv' }),
    shown: includes(siteOf),
  },
  'GET /api/v1/probe/tasks/:siteName': {
    roles: TASK_READERS,
    reach: 'own',
    wheres: SITES,
    hidden: true,
    request: (w) => ({ method: 'GET', url: `/api/v1/probe/tasks/${siteNameOf(w)}` }),
  },
  // Notifications: one's own settings; the outbox, webhooks and held mail are the CSIRT's.
  'GET /api/v1/me/notification-settings': {
    roles: ALL,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'GET', url: '/api/v1/me/notification-settings' }),
  },
  'PUT /api/v1/me/notification-settings': {
    roles: ALL,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'PUT', url: '/api/v1/me/notification-settings', payload: { email: true, digest: false } }),
  },
  'GET /api/v1/outbox-messages': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'GET', url: '/api/v1/outbox-messages' }),
  },
  'POST /api/v1/outbox-messages/:messageId/replay': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: async () => ({ method: 'POST', url: `/api/v1/outbox-messages/${await deadMessage()}/replay` }),
  },
  'GET /api/v1/webhook-endpoints': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'GET', url: '/api/v1/webhook-endpoints' }),
  },
  'POST /api/v1/webhook-endpoints': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: () => ({ method: 'POST', url: '/api/v1/webhook-endpoints', payload: { url: 'https://hooks.example.org/vigil', eventTypes: ['task.created'] } }),
  },
  'DELETE /api/v1/webhook-endpoints/:webhookId': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: async () => ({
      method: 'DELETE',
      url: `/api/v1/webhook-endpoints/${(await t.services.notifications.addWebhook(admin, { url: 'https://hooks.example.org/x', eventTypes: [], description: '' })).endpointId}`,
    }),
  },
  'GET /api/v1/inbound-mail': { roles: FEDERATION_ROLES, reach: 'any', wheres: ['inside'], request: () => ({ method: 'GET', url: '/api/v1/inbound-mail' }) },
  'POST /api/v1/inbound-mail/:mailId/discard': {
    roles: FEDERATION_ROLES,
    reach: 'any',
    wheres: ['inside'],
    request: async () => ({ method: 'POST', url: `/api/v1/inbound-mail/${await heldMail()}/discard` }),
  },
};

const feedDir = new URL('../../test/fixtures/feeds/', import.meta.url).pathname.replace(/\/$/, '');
const ovalPath = `${feedDir}/rhel-9.oval.xml`;
const uploadDir = mkdtempSync(join(tmpdir(), 'vigil-scope-uploads-'));
const gocdbXml = readFileSync(new URL('../../test/fixtures/gocdb/get_site.xml', import.meta.url), 'utf8');
const inAMonth = () => new Date(Date.now() + 30 * 86_400_000).toISOString();
const contactIds = new Map<Where, string>();

before(async () => {
  // Uploads go to the first directory: a scratch one, not the fixtures.
  t = await testApp({ config: { feedDirectories: [uploadDir, feedDir] } });
  const base = await smallFederation(t.services);
  const vo2 = (await t.services.registry.createVo(admin, { name: 'bio.example.org' })).voId;
  fx = { ...base, vo2 };
  const homeScope: Record<Role, ['federation' | 'ngi' | 'site' | 'vo', string | undefined]> = {
    'federation-admin': ['federation', undefined],
    csirt: ['federation', undefined],
    'ngi-security-officer': ['ngi', fx.ngiA],
    'site-security-officer': ['site', fx.siteA1],
    'site-admin': ['site', fx.siteA1],
    'read-only': ['site', fx.siteA1],
    'vo-manager': ['vo', fx.vo],
    'vo-endorser': ['vo', fx.vo],
  };
  for (const role of ROLES) {
    const { personId } = await personWithRole(t.services, role, ...homeScope[role]);
    const username = `u-${role}`;
    await t.services.identity.createAccount(admin, { personId, username, password: 'correct horse battery' });
    const s = await t.services.identity.login(username, 'correct horse battery', '127.0.0.1');
    sessions.set(role, { cookie: `vigil_session=${s.sessionToken}`, csrf: s.csrfToken, personId });
  }

  // One of each object at the home site, its neighbour and another NGI's site.
  await t.services.feeds.importFrom(admin, { format: 'oval', source: ovalPath, release: 'rhel:9' });
  await t.services.tags.tag(admin, { cve: CVE, tag: 'EGI-High', reason: 'test' });
  for (const w of SITES) {
    await t.services.reporters.setAnonymous(admin, siteOf(w), true);
    await t.services.intake.accept(rockyReport(hostnameOf(w), siteNameOf(w)), {}, 'store-only', 'test');
    const host = await t.db.db.selectFrom('host').select('host_id').where('hostname', '=', hostnameOf(w)).executeTakeFirstOrThrow();
    hostIds.set(w, host.host_id);
    endpointIds.set(
      w,
      (await t.services.registry.createEndpoint(admin, { siteId: siteOf(w), hostname: `ep-${w}.example.org`, serviceType: 'CREAM-CE' })).endpointId,
    );
    contactIds.set(
      w,
      (
        await t.services.people.createPerson(admin, {
          name: `Contact ${w}`,
          email: `contact-${w}@example.org`,
          grant: { role: 'site-security-officer', scopeType: 'site', scopeId: siteOf(w) },
        })
      ).personId,
    );
    await t.services.exceptions.create(admin, { siteId: siteOf(w), cve: 'CVE-2099-0003', justification: `justified at ${w}`, expiresAt: inAMonth() });
    await quarantined(w === 'neighbour' ? 'inside' : w);
    await t.services.reporters.mapDn(admin, siteOf(w), `/DC=org/DC=example/CN=reporter at ${w}`);
  }
  ruleId = (await t.services.lifecycle.create(admin, { name: 'openssl watch', kind: 'end-of-life', packagePattern: 'openssl', message: 'test rule' })).ruleId;
  feedId = (await t.services.feeds.list())[0]!.feedId;
  proc19 = (await t.services.checklists.listTemplates()).find((c) => c.name.startsWith('PROC19'))!.templateId;
  siteTemplate = (
    await t.services.checklists.saveTemplate(admin, {
      name: 'Site hardening',
      description: '',
      ordered: false,
      scopeType: 'site',
      steps: [{ title: 'Disable password logins', description: '', party: 'addressee', amount: 5, unit: 'working-days' }],
    })
  ).templateId;
  for (const w of SITES) {
    const taskId = await freshTask(w, `task at ${w}`);
    taskIds.set(w, taskId);
    attachmentIds.set(
      w,
      (await t.services.tasks.addAttachment(admin, taskId, { fileName: 'ev.txt', contentType: 'text/plain', content: Buffer.from('evidence') })).attachmentId,
    );
    await t.services.tasks.acknowledge(admin, await freshTask(w), undefined, 'api');
    await t.services.checklists.start(admin, { templateId: proc19, title: `checklist at ${w}`, target: { type: 'site', id: siteOf(w) } });
  }
});
after(async () => {
  await t.close();
  rmSync(uploadDir, { recursive: true, force: true });
});

const keyOf = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
const nonPublic = () => t.app.vigilRoutes.filter((r) => r.permission !== 'public' && r.url !== '/api/v1/auth/logout');

test('every route that needs a credential has a scope case', () => {
  const missing = nonPublic()
    .map(keyOf)
    .filter((k) => !(k in CASES));
  const stale = Object.keys(CASES).filter((k) => !t.app.vigilRoutes.some((r) => keyOf(r) === k));

  assert.deepEqual(missing, [], `routes without a scope case: ${missing.join(', ')}`);
  assert.deepEqual(stale, [], `cases without a route: ${stale.join(', ')}`);
});

test('each role reaches exactly the objects its scope holds, route by route', async () => {
  const wrong: string[] = [];
  for (const route of nonPublic()) {
    const c = CASES[keyOf(route)];
    if (!c) continue;
    for (const role of ROLES) {
      for (const where of c.wheres ?? ['inside', 'outside']) {
        const req = await c.request(where, role);
        const s = sessions.get(role)!;
        const res = await t.app.inject({
          method: req.method,
          url: req.url,
          payload: req.payload as string,
          headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...req.headers },
        });
        const shown = c.shown ? c.shown(res, where) : res.statusCode >= 200 && res.statusCode < 300;
        const expected = c.roles.includes(role) && reaches(role, where, c);
        if (shown !== expected) wrong.push(`${role} ${keyOf(route)} ${where}: got ${res.statusCode}, expected ${expected ? 'allowed' : 'denied'}`);
        // A reader of this kind of data who is outside the object's scope is told it does not exist.
        else if (!expected && c.hidden && c.roles.includes(role) && res.statusCode !== 404)
          wrong.push(`${role} ${keyOf(route)} ${where}: got ${res.statusCode}, expected 404`);
      }
    }
  }

  assert.deepEqual(wrong, []);
});

test("a site role reads a neighbouring site's registry history but none of its patch events", async () => {
  const history = async (role: Role, w: Where) => {
    const s = sessions.get(role)!;
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/audit?objectType=site&objectId=${siteOf(w)}&limit=200`, headers: { cookie: s.cookie } });
    return res.body;
  };

  const own = await history('site-admin', 'inside');
  const neighbour = await history('site-admin', 'neighbour');
  const byNgiOfficer = await history('ngi-security-officer', 'neighbour');

  assert.match(own, /justified at inside/);
  assert.match(own, /CN=reporter at inside/);
  assert.match(neighbour, /site\.create/);
  assert.doesNotMatch(neighbour, /justified at neighbour|CN=reporter at neighbour|enrolment-token|report-policy/);
  assert.match(byNgiOfficer, /justified at neighbour/);
});

test('a CVE page lists only the vulnerable packages of hosts the reader sees', async () => {
  const old = { ...rockyReport('kernel-old.example.org', 'BETA-HPC-1', [{ name: 'kernel-core', version: '0:5.14.0-362.8.1.el9_3', arch: 'x86_64' }]) };
  await t.services.intake.accept({ ...old, kernel: '5.14.0-362.8.1.el9_3.x86_64' }, {}, 'store-only', 'test');
  const page = async (role: Role) => {
    const s = sessions.get(role)!;
    return (await t.app.inject({ method: 'GET', url: '/api/v1/cves/CVE-2023-52434', headers: { cookie: s.cookie } })).json() as {
      packages: Array<{ package: string }>;
      sites: unknown[];
    };
  };

  const csirt = await page('csirt');
  const siteAdmin = await page('site-admin');

  assert.deepEqual(
    csirt.packages.map((p) => p.package),
    ['kernel-core'],
  );
  assert.deepEqual([siteAdmin.packages, siteAdmin.sites], [[], []]);
});
