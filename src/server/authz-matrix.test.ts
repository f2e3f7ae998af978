// Every route × every role against one table of expected outcomes. A route missing from the
// table fails the test, so each new route must state who may call it.
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testApp, type TestApp } from '../../test/support/app.js';
import { smallFederation, personWithRole } from '../../test/support/seed.js';
import { ROLES, type Role } from '../core/roles.js';

const ALL: readonly Role[] = ROLES;
const PUBLIC = 'public' as const;
const FED: Role[] = ['federation-admin'];
const PATCH_READERS: Role[] = ['federation-admin', 'csirt', 'ngi-security-officer', 'site-security-officer', 'site-admin', 'read-only'];
const SITE_OPERATORS: Role[] = ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'site-admin'];
/** The CSIRT reviews every quarantined report, an NGI security officer those naming its NGI's sites. */
const QUARANTINE_REVIEWERS: Role[] = ['federation-admin', 'csirt', 'ngi-security-officer'];
/** Those answering for a scope's tasks: the security roles, a site's administrators, a VO's managers. */
const TASK_READERS: Role[] = ['federation-admin', 'csirt', 'ngi-security-officer', 'site-security-officer', 'site-admin', 'vo-manager'];
const TASK_OPENERS: Role[] = ['federation-admin', 'csirt', 'ngi-security-officer'];
const CSIRT: Role[] = ['federation-admin', 'csirt'];
type Expected = readonly Role[] | typeof PUBLIC;

/** Who may call each route (the effective outcome, route check and service check together). */
const MATRIX: Record<string, Expected> = {
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /metrics': PUBLIC,
  'GET /openapi.json': PUBLIC,
  'GET /api/docs*': PUBLIC,
  'GET /*': PUBLIC,
  'POST /api/v1/auth/login': PUBLIC,
  'POST /api/v1/auth/logout': ALL,
  'GET /api/v1/auth/session': ALL,
  'GET /api/v1/tokens': ALL,
  'POST /api/v1/tokens': ALL,
  'POST /api/v1/tokens/:tokenId/revoke': ALL,
  'POST /api/v1/accounts': FED,
  'GET /api/v1/accounts': FED,
  'POST /api/v1/accounts/:accountId/disable': FED,
  'POST /api/v1/accounts/:accountId/enable': FED,
  'POST /api/v1/accounts/:accountId/reset-password': FED,
  'POST /api/v1/accounts/:accountId/end-sessions': FED,
  'GET /api/v1/ngis': ALL,
  'POST /api/v1/ngis': FED,
  'GET /api/v1/ngis/:ngiId': ALL,
  'PATCH /api/v1/ngis/:ngiId': FED,
  'GET /api/v1/sites': ALL,
  'POST /api/v1/sites': ['federation-admin', 'ngi-security-officer'],
  'GET /api/v1/sites/:siteId': ALL,
  'PATCH /api/v1/sites/:siteId': ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'site-admin'],
  'GET /api/v1/endpoints': ALL,
  'POST /api/v1/endpoints': ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'site-admin'],
  'GET /api/v1/endpoints/:endpointId': ALL,
  'PATCH /api/v1/endpoints/:endpointId': ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'site-admin'],
  'DELETE /api/v1/endpoints/:endpointId': ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'site-admin'],
  'GET /api/v1/vos': ALL,
  'POST /api/v1/vos': FED,
  'GET /api/v1/vos/:voId': ALL,
  'PATCH /api/v1/vos/:voId': ['federation-admin', 'vo-manager'],
  'GET /api/v1/people': ALL,
  'POST /api/v1/people': ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'vo-manager'],
  'GET /api/v1/people/:personId': ALL,
  'PATCH /api/v1/people/:personId': FED,
  'GET /api/v1/roles': ALL,
  'POST /api/v1/roles': ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'vo-manager'],
  'DELETE /api/v1/roles/:roleAssignmentId': ['federation-admin', 'ngi-security-officer', 'site-security-officer', 'vo-manager'],
  'POST /api/v1/imports/gocdb': FED,
  'GET /api/v1/audit': ['federation-admin', 'csirt', 'ngi-security-officer', 'site-security-officer', 'site-admin', 'vo-manager'],
  'GET /api/v1/audit/verify': ['federation-admin', 'csirt'],
  'GET /api/v1/audit/checkpoints': ['federation-admin', 'csirt'],
  'GET /api/v1/jobs': ['federation-admin', 'csirt'],
  // Patch monitoring. Reports authenticate with site enrolment tokens (or a site's anonymous
  // policy) inside the service, not with user credentials.
  'POST /feed/': PUBLIC,
  'POST /feed': PUBLIC,
  'POST /pakiti/feed/': PUBLIC,
  'POST /pakiti/feed': PUBLIC,
  'POST /api/v1/reports': PUBLIC,
  'GET /api/v1/hosts': PATCH_READERS,
  'GET /api/v1/hosts/:hostId': PATCH_READERS,
  'GET /api/v1/hosts.csv': PATCH_READERS,
  'GET /api/v1/patching/summary': PATCH_READERS,
  'GET /api/v1/report-quarantine': QUARANTINE_REVIEWERS,
  'POST /api/v1/report-quarantine/:quarantineId/release': QUARANTINE_REVIEWERS,
  'POST /api/v1/report-quarantine/:quarantineId/reject': QUARANTINE_REVIEWERS,
  'GET /api/v1/cves': PATCH_READERS,
  'GET /api/v1/cves.csv': PATCH_READERS,
  'GET /api/v1/packages/search': PATCH_READERS,
  'GET /api/v1/cves/:cveId': PATCH_READERS,
  'GET /api/v1/cve-tags': PATCH_READERS,
  'GET /api/v1/cves/:cveId/time-to-patch': PATCH_READERS,
  'POST /api/v1/cve-tags': ['federation-admin', 'csirt'],
  'DELETE /api/v1/cve-tags/:cveId/:tag': ['federation-admin', 'csirt'],
  'PATCH /api/v1/cve-tags/:cveId/:tag': ['federation-admin', 'csirt'],
  'GET /api/v1/cve-tags/:cveId/history': PATCH_READERS,
  'GET /api/v1/exceptions': PATCH_READERS,
  'POST /api/v1/exceptions/:exceptionId/accept': ['federation-admin', 'csirt'],
  'POST /api/v1/exceptions/:exceptionId/reject': ['federation-admin', 'csirt'],
  'GET /api/v1/exception-policy': PATCH_READERS,
  'PUT /api/v1/exception-policy': ['federation-admin', 'csirt'],
  'POST /api/v1/exceptions': ['federation-admin', 'ngi-security-officer', 'site-security-officer'],
  'POST /api/v1/exceptions/:exceptionId/revoke': ['federation-admin', 'ngi-security-officer', 'site-security-officer'],
  'GET /api/v1/feeds': PATCH_READERS,
  'POST /api/v1/feeds': ['federation-admin', 'csirt'],
  'POST /api/v1/feeds/:feedId/refresh': ['federation-admin', 'csirt'],
  'PUT /api/v1/feed-files/:fileName': ['federation-admin', 'csirt'],
  'GET /api/v1/sites/:siteId/enrolment-tokens': SITE_OPERATORS,
  'POST /api/v1/sites/:siteId/enrolment-tokens': SITE_OPERATORS,
  'POST /api/v1/sites/:siteId/enrolment-tokens/:tokenId/revoke': SITE_OPERATORS,
  'GET /api/v1/sites/:siteId/report-policy': PATCH_READERS,
  'PUT /api/v1/sites/:siteId/report-policy': ['federation-admin', 'csirt'],
  'GET /api/v1/sites/:siteId/reporter-dns': SITE_OPERATORS,
  'POST /api/v1/sites/:siteId/reporter-dns': SITE_OPERATORS,
  'DELETE /api/v1/sites/:siteId/reporter-dns': SITE_OPERATORS,
  'GET /api/hosts.php': PATCH_READERS,
  'GET /pakiti/api/hosts.php': PATCH_READERS,
  'GET /api/v1/probe/sites/:siteName': PATCH_READERS,
  'GET /agent/:file': PUBLIC,
  'GET /api/v1/lifecycle-rules': PATCH_READERS,
  'POST /api/v1/lifecycle-rules': ['federation-admin', 'csirt'],
  'PATCH /api/v1/lifecycle-rules/:ruleId': ['federation-admin', 'csirt'],
  'PUT /api/v1/lifecycle-rules/:ruleId/enabled': ['federation-admin', 'csirt'],
  'GET /api/v1/lifecycle-rules/:ruleId/hosts': PATCH_READERS,
  // Site tasks: each task is checked against its addressee's scope in the service.
  'GET /api/v1/tasks': TASK_READERS,
  'POST /api/v1/tasks': TASK_OPENERS,
  'GET /api/v1/tasks/:taskId': TASK_READERS,
  'POST /api/v1/tasks/:taskId/acknowledge': TASK_READERS,
  'POST /api/v1/tasks/:taskId/resolve': TASK_READERS,
  'POST /api/v1/tasks/:taskId/cancel': TASK_OPENERS,
  'POST /api/v1/tasks/:taskId/comments': TASK_READERS,
  'POST /api/v1/tasks/:taskId/attachments': TASK_READERS,
  'GET /api/v1/tasks/:taskId/attachments/:attachmentId': TASK_READERS,
  'GET /api/v1/task-attention': TASK_READERS,
  'GET /api/v1/deadline-rules': TASK_READERS,
  'PUT /api/v1/deadline-rules': CSIRT,
  'GET /api/v1/work-calendar': TASK_READERS,
  'PUT /api/v1/work-calendar': CSIRT,
  'GET /api/v1/checklist-templates': TASK_READERS,
  'POST /api/v1/checklist-templates': CSIRT,
  'GET /api/v1/checklists': TASK_READERS,
  'POST /api/v1/checklists': TASK_OPENERS,
  'GET /api/v1/response-times': TASK_READERS,
  'GET /api/v1/response-times.csv': TASK_READERS,
  'GET /api/v1/probe/tasks/:siteName': TASK_READERS,
  // Notifications: one's own settings; the outbox, webhooks and held mail are the CSIRT's.
  'GET /api/v1/me/notification-settings': ALL,
  'PUT /api/v1/me/notification-settings': ALL,
  'GET /api/v1/outbox-messages': CSIRT,
  'POST /api/v1/outbox-messages/:messageId/replay': CSIRT,
  'GET /api/v1/webhook-endpoints': CSIRT,
  'POST /api/v1/webhook-endpoints': CSIRT,
  'DELETE /api/v1/webhook-endpoints/:webhookId': CSIRT,
  'GET /api/v1/inbound-mail': CSIRT,
  'POST /api/v1/inbound-mail/:mailId/discard': CSIRT,
};

let t: TestApp;
const sessions = new Map<Role, { cookie: string; csrf: string }>();
let ids: Awaited<ReturnType<typeof smallFederation>>;

before(async () => {
  // With a built web UI, as in production, so its static route is enumerated too.
  const webRoot = mkdtempSync(join(tmpdir(), 'vigil-web-'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Vigil</title>');
  t = await testApp({ config: { webRoot } });
  ids = await smallFederation(t.services);
  const scopeOf: Record<Role, ['federation' | 'ngi' | 'site' | 'vo', string | undefined]> = {
    'federation-admin': ['federation', undefined],
    csirt: ['federation', undefined],
    'read-only': ['federation', undefined],
    'ngi-security-officer': ['ngi', ids.ngiA],
    'site-security-officer': ['site', ids.siteA1],
    'site-admin': ['site', ids.siteA1],
    'vo-manager': ['vo', ids.vo],
    'vo-endorser': ['vo', ids.vo],
  };
  for (const role of ROLES) {
    const [scopeType, scopeId] = scopeOf[role];
    const { personId } = await personWithRole(t.services, role, scopeType, scopeId);
    const username = `u-${role}`;
    await t.services.identity.createAccount((await import('../../test/support/seed.js')).admin, { personId, username, password: 'correct horse battery' });
    const s = await t.services.identity.login(username, 'correct horse battery', '127.0.0.1');
    sessions.set(role, { cookie: `vigil_session=${s.sessionToken}`, csrf: s.csrfToken });
  }
});
after(() => t.close());

const keyOf = (r: { method: string; url: string }) => (r.url.startsWith('/api/docs') ? `${r.method} /api/docs*` : `${r.method} ${r.url}`);

/** A concrete URL for a route pattern; ids that exist where a service decides visibility. */
function concrete(url: string): string {
  if (url === '/api/v1/audit') return `/api/v1/audit?objectType=site&objectId=${ids.siteA1}`;
  return url.replace(/:(\w+)/g, 'no-such-id').replace('/*', '/index.html');
}

test('every route is in the matrix and every matrix row is a route', () => {
  const routes = new Set(t.app.vigilRoutes.map(keyOf));

  const missing = [...routes].filter((k) => !(k in MATRIX));
  const stale = Object.keys(MATRIX).filter((k) => !routes.has(k));

  assert.deepEqual(missing, [], `routes without a row in the matrix: ${missing.join(', ')}`);
  assert.deepEqual(stale, [], `matrix rows without a route: ${stale.join(', ')}`);
});

test('every route declares its access', () => {
  const undeclared = t.app.vigilRoutes.filter((r) => r.permission === undefined).map(keyOf);

  assert.deepEqual(undeclared, []);
});

test('each role is allowed exactly where the matrix says', async () => {
  const wrong: string[] = [];
  for (const route of t.app.vigilRoutes) {
    const expected = MATRIX[keyOf(route)];
    if (expected === PUBLIC || expected === undefined || route.url.startsWith('/api/docs')) continue;
    for (const role of ROLES) {
      if (route.url === '/api/v1/auth/logout') continue; // would end the session used below; checked separately
      const s = sessions.get(role)!;
      const res = await t.app.inject({ method: route.method as 'GET', url: concrete(route.url), headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      const allowed = res.statusCode !== 403 && res.statusCode !== 401;
      if (allowed !== expected.includes(role))
        wrong.push(`${role} ${route.method} ${route.url}: got ${res.statusCode}, expected ${expected.includes(role) ? 'allowed' : 'denied'}`);
    }
  }

  assert.deepEqual(wrong, []);
});

test('without credentials every non-public route answers 401 and public ones do not', async () => {
  const wrong: string[] = [];
  for (const route of t.app.vigilRoutes) {
    const expected = MATRIX[keyOf(route)];
    const res = await t.app.inject({ method: route.method as 'GET', url: concrete(route.url) });
    if ((res.statusCode === 401) !== (expected !== PUBLIC)) wrong.push(`${route.method} ${route.url}: ${res.statusCode}`);
  }

  assert.deepEqual(wrong, []);
});

test('logout is open to every signed-in role', async () => {
  for (const role of ROLES) {
    const s = sessions.get(role)!;
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    assert.equal(res.statusCode, 204, role);
  }
});
