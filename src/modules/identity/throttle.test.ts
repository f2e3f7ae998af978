import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServices } from '../../server/services.js';
import { fixedClock } from '../../core/clock.js';
import { RateLimitedError, UnauthenticatedError } from '../../core/errors.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/database.js';
import { onPostgres, pgUrl, testDatabase } from '../../../test/support/db.js';
import { admin, personWithRole } from '../../../test/support/seed.js';
import { createIdentityService } from './service.js';
import { verifyPassword } from './passwords.js';
import { addressKey } from './throttle.js';

const config = { sessionTtlHours: 12, loginMaxFailures: 5, loginWindowMinutes: 15 };
const PASSWORD = 'a long enough password';
const WRONG = 'not the password at all';

/** An identity service whose password checks are counted, and an account `ada`. */
async function setup() {
  const db = await testDatabase();
  const clock = fixedClock(new Date('2026-03-01T10:00:00Z'));
  const s = createServices(db, config, clock);
  const verifications = { count: 0 };
  const identity = createIdentityService({
    db: db.db,
    clock,
    audit: s.audit,
    ...config,
    verify: (password, stored) => {
      verifications.count++;
      return verifyPassword(password, stored);
    },
  });
  const { personId } = await personWithRole(s, 'read-only', 'federation');
  await identity.createAccount(admin, { personId, username: 'ada', password: PASSWORD });
  return { db, clock, identity, verifications };
}

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof RateLimitedError ? 429 : e instanceof UnauthenticatedError ? 401 : Promise.reject(e)),
  );

test('20 concurrent wrong passwords for one account: at most loginMaxFailures reach the password check, the rest 429', async () => {
  const { db, identity, verifications } = await setup();

  const results = await Promise.all(Array.from({ length: 20 }, () => outcome(identity.login('ada', WRONG, '192.0.2.7'))));

  assert.equal(results.filter((r) => r === 401).length, config.loginMaxFailures);
  assert.equal(results.filter((r) => r === 429).length, 20 - config.loginMaxFailures);
  assert.ok(verifications.count <= config.loginMaxFailures, `${verifications.count} verifications`);
  await db.close();
});

test('two server processes on one database share the limit: 2 × 10 concurrent guesses reach verification at most loginMaxFailures times', async () => {
  const sqlitePath = onPostgres ? undefined : join(mkdtempSync(join(tmpdir(), 'vigil-throttle-')), 'vigil.db');
  const db = await testDatabase({ sqlitePath });
  const other = onPostgres ? openDatabase({ databaseUrl: pgUrl, pgSchema: db.schema, poolSize: 5 }) : openDatabase({ sqlitePath: sqlitePath! });
  const clock = fixedClock(new Date('2026-03-01T10:00:00Z'));
  const verifications = { count: 0 };
  const verify = (password: string, stored: string) => {
    verifications.count++;
    return verifyPassword(password, stored);
  };
  const s = createServices(db, config, clock);
  const servers = [db, other].map((handle) => createIdentityService({ db: handle.db, clock, audit: s.audit, ...config, verify }));
  const { personId } = await personWithRole(s, 'read-only', 'federation');
  await servers[0]!.createAccount(admin, { personId, username: 'ada', password: PASSWORD });

  const results = await Promise.all(servers.flatMap((identity) => Array.from({ length: 10 }, () => outcome(identity.login('ada', WRONG, '192.0.2.7')))));

  assert.equal(results.filter((r) => r === 401).length, config.loginMaxFailures);
  assert.equal(verifications.count, config.loginMaxFailures);
  await other.close();
  await db.close();
});

test("the owner signs in from their own address while an attacker's address is throttled", async () => {
  const { db, identity } = await setup();
  for (let i = 0; i < config.loginMaxFailures; i++) await assert.rejects(identity.login('ada', WRONG, '192.0.2.66'), UnauthenticatedError);

  const attacker = outcome(identity.login('ada', PASSWORD, '192.0.2.66'));
  const owner = await identity.login('ada', PASSWORD, '198.51.100.10');

  assert.equal(await attacker, 429);
  assert.ok(owner.sessionToken);
  await db.close();
});

test('a throttled address waits out the window and is then let through', async () => {
  const { db, identity, clock } = await setup();
  for (let i = 0; i < config.loginMaxFailures; i++) await assert.rejects(identity.login('ada', WRONG, '192.0.2.66'), UnauthenticatedError);

  const refused = await identity.login('ada', PASSWORD, '192.0.2.66').catch((e: RateLimitedError) => e);
  clock.advance(16 * 60_000);
  const later = await identity.login('ada', PASSWORD, '192.0.2.66');

  assert.ok(refused instanceof RateLimitedError);
  assert.ok(refused.retryAfterSeconds > 0 && refused.retryAfterSeconds <= 15 * 60);
  assert.ok(later.sessionToken);
  await db.close();
});

test('one address spraying many account names is stopped by its address limit', async () => {
  const { db, identity, verifications } = await setup();

  const results: unknown[] = [];
  for (let i = 0; i < 60; i++) results.push(await outcome(identity.login(`user${i}`, WRONG, '203.0.113.5')));

  assert.equal(results.filter((r) => r === 401).length, config.loginMaxFailures * 10);
  assert.equal(verifications.count, config.loginMaxFailures * 10);
  assert.equal(await outcome(identity.login('ada', PASSWORD, '203.0.113.5')), 429);
  await db.close();
});

test("an attack on one account from many addresses backs off, capped, and the owner's known address still signs in", async () => {
  const { db, identity, clock } = await setup();
  await identity.login('ada', PASSWORD, '198.51.100.10'); // the owner's usual address
  let address = 0;
  const fromNewAddress = (password: string) => outcome(identity.login('ada', password, `10.9.${Math.floor(address / 250)}.${address++ % 250}`));
  for (let i = 0; i < 3 * config.loginMaxFailures; i++) assert.equal(await fromNewAddress(WRONG), 401);

  const backedOff = await fromNewAddress(WRONG);
  const owner = await identity.login('ada', PASSWORD, '198.51.100.10');
  for (let i = 0; i < 30; i++) {
    clock.advance(15 * 60_000);
    await fromNewAddress(WRONG);
  }
  const refused = await identity.login('ada', PASSWORD, '192.0.2.200').catch((e: RateLimitedError) => e);
  clock.advance(15 * 60_000);
  const newAddressAfterCap = await fromNewAddress(PASSWORD);

  assert.equal(backedOff, 429);
  assert.ok(owner.sessionToken);
  assert.ok(refused instanceof RateLimitedError && refused.retryAfterSeconds <= 15 * 60, 'the wait never exceeds the cap');
  assert.equal(newAddressAfterCap, 'ok');
  await db.close();
});

const keys = [
  ['192.0.2.1', '192.0.2.1'],
  ['::ffff:192.0.2.1', '192.0.2.1'],
  ['2001:db8:1:2:aaaa::1', '2001:db8:1:2::/64'],
  ['2001:db8:1:2:bbbb:cccc:dddd:eeee', '2001:db8:1:2::/64'],
  ['2001:db8::1', '2001:db8:0:0::/64'],
  ['::1', '0:0:0:0::/64'],
  ['fe80::1%eth0', 'fe80:0:0:0::/64'],
] as const;
for (const [ip, want] of keys) test(`addressKey(${ip}) is ${want}`, () => assert.equal(addressKey(ip), want));

test('the hourly purge drops stale counters and keeps recent sign-in addresses', async () => {
  const { db, identity, clock } = await setup();
  await identity.login('ada', PASSWORD, '198.51.100.10');
  await assert.rejects(identity.login('ada', WRONG, '192.0.2.66'), UnauthenticatedError);

  clock.advance(2 * 86_400_000);
  await identity.purgeExpiredSessions();

  const buckets = await db.db.selectFrom('login_failure').select('bucket').execute();
  assert.deepEqual(
    buckets.map((b) => b.bucket),
    ['known:ada|198.51.100.10'],
  );
  await db.close();
});
