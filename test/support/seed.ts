// Test data made through the real services (so audit and scope rules apply), and actors that
// hold one role each.
import type { Services } from '../../src/server/services.js';
import { systemActor, type Actor } from '../../src/core/access.js';
import type { Role } from '../../src/core/roles.js';

export const admin = systemActor('test');

export interface SmallFederation {
  ngiA: string;
  ngiB: string;
  siteA1: string;
  siteA2: string;
  siteB1: string;
  vo: string;
}

/** Two NGIs, three sites, one VO. */
export async function smallFederation(s: Services): Promise<SmallFederation> {
  const ngiA = (await s.registry.createNgi(admin, { name: 'NGI_ALPHA', securityEmail: 'security@alpha.example.org' })).ngiId;
  const ngiB = (await s.registry.createNgi(admin, { name: 'NGI_BETA' })).ngiId;
  const siteA1 = (
    await s.registry.createSite(admin, { name: 'ALPHA-UNI-1', ngiId: ngiA, certificationStatus: 'certified', securityEmail: 'csirt@uni1.example.org' })
  ).siteId;
  const siteA2 = (await s.registry.createSite(admin, { name: 'ALPHA-LAB-2', ngiId: ngiA, certificationStatus: 'certified' })).siteId;
  const siteB1 = (await s.registry.createSite(admin, { name: 'BETA-HPC-1', ngiId: ngiB, certificationStatus: 'uncertified' })).siteId;
  const vo = (await s.registry.createVo(admin, { name: 'astro.example.org', securityEmail: 'sec@astro.example.org' })).voId;
  return { ngiA, ngiB, siteA1, siteA2, siteB1, vo };
}

let counter = 0;

/** A new person holding one role at one scope, and the Actor a request of theirs would have. */
export async function personWithRole(
  s: Services,
  role: Role,
  scopeType: 'federation' | 'ngi' | 'site' | 'vo',
  scopeId?: string,
  name?: string,
): Promise<{ personId: string; actor: Actor }> {
  counter++;
  const person = await s.people.createPerson(admin, {
    name: name ?? `Test ${role} ${counter}`,
    email: `p${counter}.${Date.now()}@example.org`,
    grant: { role, scopeType, scopeId },
  });
  return { personId: person.personId, actor: await s.identity.actorForPerson(person.personId, person.name) };
}
