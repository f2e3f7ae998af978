// The demo federation: on an empty database, a populated system a newcomer can explore at
// once, with an account for each role whose holder holds that one role only (README, "Demo
// accounts"). Turned off with VIGIL_DEMO=false.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { demoFederation, type DemoScope } from '../lib/demo/federation.js';
import { systemActor } from '../core/access.js';
import type { Services } from './services.js';
import { seedDemoHosts } from './demo-hosts.js';
import { seedDemoTasks } from './demo-tasks.js';

export interface DemoResult {
  ngis: number;
  sites: number;
  username: string;
  password: string;
  otherAccounts: string[];
}

/** Seeds the demo on an empty database. With PostgreSQL an advisory lock makes processes that
 *  start together take turns, so only the first one seeds. */
export async function seedDemoIfEmpty(s: Services, adminPassword?: string): Promise<DemoResult | undefined> {
  if (s.dbHandle.dialect !== 'postgres') return seed(s, adminPassword);
  return s.dbHandle.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${DEMO_LOCK_KEY})`.execute(conn);
    try {
      return await seed(s, adminPassword);
    } finally {
      await sql`select pg_advisory_unlock(${DEMO_LOCK_KEY})`.execute(conn);
    }
  });
}

const DEMO_LOCK_KEY = 0x76696769; // 'vigi'

async function seed(s: Services, adminPassword?: string): Promise<DemoResult | undefined> {
  const { db } = s.dbHandle;
  const anyNgi = await db.selectFrom('ngi').select('ngi_id').limit(1).executeTakeFirst();
  const anyAccount = await db.selectFrom('account').select('account_id').limit(1).executeTakeFirst();
  if (anyNgi || anyAccount) return undefined;

  const actor = systemActor('demo set-up');
  const demo = demoFederation();
  await s.importGocdb(actor, [{ ngis: demo.ngis, sites: demo.sites, endpoints: demo.endpoints, contacts: [], skipped: [], ignoredElements: 0, warnings: [] }], {
    source: 'demo',
  });
  for (const vo of demo.vos)
    await s.registry.createVo(actor, { name: vo.name, description: vo.description, securityEmail: vo.securityEmail, homepageUrl: vo.homeUrl });

  const scopeId = async (scope: DemoScope) => (scope.type === 'federation' ? undefined : s.registry.resolveScopeId(scope.type, scope.name));
  const personIds = new Map<string, string>();
  for (const p of demo.people) {
    const person = await s.people.createPerson(actor, {
      name: `${p.forename} ${p.surname}`,
      email: p.email,
      dn: p.certDn,
      checkinSubject: p.checkinSubject ?? null,
    });
    personIds.set(p.key, person.personId);
  }
  for (const r of demo.roles) {
    const personId = personIds.get(r.personKey)!;
    await s.people.grantRole(actor, { personId, role: r.role, scopeType: r.scope.type, scopeId: await scopeId(r.scope) });
  }

  const password = adminPassword ?? randomBytes(9).toString('base64url');
  const adminPerson = await s.people.createPerson(actor, {
    name: 'Vigil Administrator',
    email: 'admin@vigil.example.org',
    grant: { role: 'federation-admin', scopeType: 'federation' },
  });
  await s.identity.createAccount(actor, { personId: adminPerson.personId, username: 'admin', password });
  const otherAccounts: string[] = [];
  for (const account of demo.accounts) {
    await s.identity.createAccount(actor, { personId: personIds.get(account.personKey)!, username: account.username, password });
    otherAccounts.push(account.username);
  }
  await seedDemoHosts(s);
  await seedDemoTasks(s);
  return { ngis: demo.ngis.length, sites: demo.sites.length, username: 'admin', password, otherAccounts };
}
