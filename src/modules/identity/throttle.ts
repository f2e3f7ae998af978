// Sign-in throttling (OWASP Authentication Cheat Sheet, "Login Throttling"): attempts are counted
// in the database BEFORE the password is hashed, each by one atomic statement, so the limits hold
// under concurrency and across every server process sharing the database.
//
//   ip:<address>               every account from one address (spraying); 10 × loginMaxFailures
//                              per window; a successful sign-in gives its attempt back
//   pair:<account>|<address>   one account from one address; loginMaxFailures per window; reset
//                              by a successful sign-in. An attacker's address is stopped here
//                              without touching the owner's own address.
//   acct:<account>             one account from every address: after 3 × loginMaxFailures
//                              consecutive failures each further attempt waits 1 s, 2 s, 4 s, …
//                              up to loginWindowMinutes, never longer. Addresses the account
//                              signed in from in the last 30 days skip this back-off, so a
//                              distributed attack cannot lock the owner out.
import { isIPv6 } from 'node:net';
import type { Db } from '../../db/database.js';
import type { Clock } from '../../core/clock.js';
import { RateLimitedError } from '../../core/errors.js';
import * as repo from './repo.js';

export interface ThrottleDeps {
  db: Db;
  clock: Clock;
  loginMaxFailures: number;
  loginWindowMinutes: number;
}

/** A site NAT hides many people behind one address. */
const IP_FACTOR = 10;
/** Consecutive failures on one account, from all addresses, before the back-off starts. */
const ACCOUNT_FACTOR = 3;
const KNOWN_MS = 30 * 86_400_000;
/** A day without attempts forgets an account's consecutive failures. */
const QUIET_MS = 86_400_000;
const KNOWN = 'known:';

/**
 * The address a limit is keyed on: IPv4 as is (IPv4-mapped IPv6 unwrapped), IPv6 by its /64,
 * since one subscriber usually holds a whole /64.
 * @example addressKey('2001:db8:1:2:aaaa::1') === '2001:db8:1:2::/64'
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const bare = ip.split('%')[0]!;
  if (!isIPv6(bare)) return ip;
  const [head = '', tail] = bare.toLowerCase().split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export interface Admission {
  /** The password was right: give back the address's attempt, reset the account's counters. */
  succeeded(): Promise<void>;
}

export function createLoginThrottle(deps: ThrottleDeps) {
  const { db, clock } = deps;
  const windowMs = deps.loginWindowMinutes * 60_000;
  const capMs = windowMs;
  const accountFree = deps.loginMaxFailures * ACCOUNT_FACTOR;
  const refuse = (untilMs: number, now: Date) =>
    new RateLimitedError('too many failed sign-ins; try again later', Math.max(1, Math.ceil((untilMs - now.getTime()) / 1000)));

  /** Counts an attempt in a window bucket; the error when the count is over `max`. */
  async function countIn(bucket: string, max: number, now: Date): Promise<RateLimitedError | undefined> {
    const windowStart = new Date(now.getTime() - windowMs).toISOString();
    const row = await repo.countAttempt(db, bucket, now.toISOString(), windowStart);
    return row.failures > max ? refuse(Date.parse(row.window_start) + windowMs, now) : undefined;
  }

  /** Takes the account's next back-off slot, or the error saying how long to wait. */
  async function claimBackoff(bucket: string, now: Date): Promise<RateLimitedError | undefined> {
    const nowIso = now.toISOString();
    const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
    const waits: string[] = [];
    for (let k = 0; 1000 * 2 ** k < capMs; k++) waits.push(at(1000 * 2 ** k));
    const schedule = { now: nowIso, quietStart: new Date(now.getTime() - QUIET_MS).toISOString(), free: accountFree, waits, capUntil: at(capMs) };
    for (let round = 0; round < 2; round++) {
      await repo.ensureBucket(db, bucket, nowIso);
      if ((await repo.takeBackoffSlot(db, bucket, schedule)) !== undefined) return undefined;
      const row = await repo.findBucket(db, bucket);
      if (row?.blocked_until && row.blocked_until > nowIso) return refuse(Date.parse(row.blocked_until), now);
      // The row went away in between (a successful sign-in cleared it): try once more.
    }
    return refuse(now.getTime() + 1000, now);
  }

  return {
    /** Counts a sign-in attempt; throws RateLimitedError (before any hashing) when over a limit. */
    async admit(username: string, clientIp: string): Promise<Admission> {
      const now = clock.now();
      const account = username.toLowerCase();
      const address = addressKey(clientIp);
      const ipBucket = `ip:${address}`;
      const pairBucket = `pair:${account}|${address}`;
      const accountBucket = `acct:${account}`;
      const knownBucket = `${KNOWN}${account}|${address}`;

      // A refused attempt counts only against the limit that refused it.
      const overIp = await countIn(ipBucket, deps.loginMaxFailures * IP_FACTOR, now);
      if (overIp) throw overIp;
      const overPair = await countIn(pairBucket, deps.loginMaxFailures, now);
      if (overPair) {
        await repo.releaseAttempt(db, ipBucket);
        throw overPair;
      }
      const known = await repo.findBucket(db, knownBucket);
      if (!known || Date.parse(known.window_start) < now.getTime() - KNOWN_MS) {
        const backoff = await claimBackoff(accountBucket, now);
        if (backoff) {
          await repo.releaseAttempt(db, ipBucket);
          await repo.releaseAttempt(db, pairBucket);
          throw backoff;
        }
      }

      return {
        async succeeded() {
          await repo.releaseAttempt(db, ipBucket);
          await repo.clearBucket(db, pairBucket);
          await repo.clearBucket(db, accountBucket);
          await repo.markBucket(db, knownBucket, clock.now().toISOString());
        },
      };
    },

    async purge(): Promise<void> {
      const now = clock.now().getTime();
      await repo.purgeBuckets(db, new Date(now - Math.max(windowMs, QUIET_MS)).toISOString(), new Date(now - KNOWN_MS).toISOString(), KNOWN);
    },
  };
}
