// The access rules on their own: reach per permission, token narrowing, named and shared
// targets, not found versus forbidden, and who may grant which role.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { can, canGrant, inReach, reach, requireAccess, type Actor, type ObjectKind, type Target } from './access.js';
import { ForbiddenError, NotFoundError } from './errors.js';
import type { Permission, Role } from './roles.js';

const siteA1: Target = { type: 'site', siteId: 'a1', ngiId: 'A' };
const siteA2: Target = { type: 'site', siteId: 'a2', ngiId: 'A' };
const siteB1: Target = { type: 'site', siteId: 'b1', ngiId: 'B' };

function actor(role: Role, scope: { type: 'federation' | 'ngi' | 'site' | 'vo'; id?: string; ngiId?: string }, tokenPermissions?: Permission[]): Actor {
  return {
    kind: 'person',
    personId: 'p1',
    label: role,
    grants: [{ role, scopeType: scope.type, scopeId: scope.id ?? '', ngiId: scope.ngiId }],
    tokenPermissions: tokenPermissions ? new Set(tokenPermissions) : undefined,
  };
}
const siteAdmin = actor('site-admin', { type: 'site', id: 'a1', ngiId: 'A' });

test('a site role reads the registry of its NGI but the patch data of its own site only', () => {
  assert.equal(can(siteAdmin, 'registry:read', siteA2), true);
  assert.equal(can(siteAdmin, 'patching:read', siteA1), true);
  assert.equal(can(siteAdmin, 'patching:read', siteA2), false);
  assert.equal(can(siteAdmin, 'registry:read', siteB1), false);
});

test('reach is computed per permission', () => {
  const registry = reach(siteAdmin, 'registry:read');
  const patching = reach(siteAdmin, 'patching:read');

  assert.deepEqual([registry.ngiIds, registry.siteIds], [['A'], []]);
  assert.deepEqual([patching.ngiIds, patching.siteIds], [[], ['a1']]);
  assert.equal(inReach(patching, siteA2), false);
});

test("a token narrowed to patching:read still reaches the hosts of its owner's site", () => {
  const token = actor('site-admin', { type: 'site', id: 'a1', ngiId: 'A' }, ['patching:read']);

  assert.deepEqual(reach(token, 'patching:read').siteIds, ['a1']);
  assert.equal(reach(token, 'registry:read').ngiIds.length, 0);
  assert.equal(can(token, 'enrolment:manage', siteA1), false);
});

test('a named target admits only the people named, and only with the permission held somewhere', () => {
  const named: Target = { type: 'named', personIds: ['p1'] };
  const other = { ...actor('csirt', { type: 'federation' }), personId: 'p2' };

  assert.equal(can(actor('csirt', { type: 'federation' }), 'patching:read', named), true);
  assert.equal(can(other, 'patching:read', named), false);
  assert.equal(can(actor('vo-endorser', { type: 'vo', id: 'v' }), 'patching:read', named), false);
});

test('a shared target admits each of its audiences', () => {
  const shared: Target = { type: 'any', of: [siteB1, { type: 'named', personIds: ['p9'] }] };

  assert.equal(can(actor('site-admin', { type: 'site', id: 'b1', ngiId: 'B' }), 'patching:read', shared), true);
  assert.equal(can(siteAdmin, 'patching:read', shared), false);
});

test('an object the actor may not read is not found; one read but not changeable is forbidden', async () => {
  const kind: ObjectKind = { label: 'site', read: 'registry:read', scopeOf: async (id) => ({ a2: siteA2, b1: siteB1 })[id] };

  await assert.rejects(requireAccess(siteAdmin, 'site:write', { kind, id: 'b1' }), NotFoundError);
  await assert.rejects(requireAccess(siteAdmin, 'site:write', { kind, id: 'a2' }), ForbiddenError);
  await assert.rejects(requireAccess(siteAdmin, 'site:write', { kind, id: 'nowhere' }), NotFoundError);
});

test('a granter grants only the roles its own role may grant, inside its own scope', () => {
  const officer = actor('site-security-officer', { type: 'site', id: 'a1', ngiId: 'A' });

  assert.equal(canGrant(officer, 'site-admin', siteA1), true);
  assert.equal(canGrant(officer, 'site-admin', siteA2), false);
  assert.equal(canGrant(officer, 'site-security-officer', siteA1), false);
});
