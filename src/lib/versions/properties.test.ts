// Property tests: both orders are total preorders (antisymmetric, transitive), equivalent
// spellings compare equal, and the pre-tokenised keys agree with the direct comparison.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { debVersionKey } from './dpkg-key.js';
import { compareDebVersions, compareValidDebVersions, debVersionBounds } from './dpkg-vercmp.js';
import { compareKeys } from './order-key.js';
import { rpmVersionKey } from './rpm-key.js';
import { rpmvercmp } from './rpm-vercmp.js';

const piece = fc.oneof(
  fc.constantFrom('0', '00', '1', '9', '10', '010', 'a', 'b', 'Z', 'rc', 'el9', 'git', 'p'),
  fc.constantFrom('.', '_', '+', '-', '~', '^', '~~', '..', ':'),
  fc.stringMatching(/^[0-9]{15,40}$/),
);
const rpmVersion = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
const debVersion = fc
  .tuple(
    fc.option(fc.constantFrom('0', '1', '2', '01', '10')),
    fc.array(piece, { minLength: 1, maxLength: 8 }),
    fc.option(fc.array(piece, { minLength: 1, maxLength: 4 })),
  )
  .map(
    ([epoch, up, rev]) =>
      `${epoch === null ? '' : `${epoch}:`}${up.join('').replace(/\^/g, '')}${rev === null ? '' : `-${rev.join('').replace(/[-:^]/g, '.')}`}`,
  )
  .filter((v) => {
    try {
      debVersionBounds(v);
      return true;
    } catch {
      return false;
    }
  });

const orders = [
  { name: 'rpmvercmp', arb: rpmVersion, cmp: rpmvercmp, key: rpmVersionKey },
  { name: 'dpkg', arb: debVersion, cmp: compareDebVersions, key: debVersionKey },
] as const;

for (const { name, arb, cmp, key } of orders) {
  test(`${name} is antisymmetric`, () => {
    fc.assert(
      fc.property(arb, arb, (a, b) => cmp(a, b) === -cmp(b, a)),
      { numRuns: 5000 },
    );
  });

  test(`${name} is transitive`, () => {
    fc.assert(
      fc.property(arb, arb, arb, (a, b, c) => {
        const [x, y, z] = [a, b, c].sort(cmp);
        return cmp(x as string, z as string) <= 0 && cmp(x as string, y as string) <= 0 && cmp(y as string, z as string) <= 0;
      }),
      { numRuns: 5000 },
    );
  });

  test(`${name} pre-tokenised keys agree with the direct comparison`, () => {
    fc.assert(
      fc.property(arb, arb, (a, b) => compareKeys(key(a), key(b)) === cmp(a, b)),
      { numRuns: 20000 },
    );
  });
}

test('dpkg: the comparison that skips the check agrees with the checking one on valid versions', () => {
  fc.assert(
    fc.property(debVersion, debVersion, (a, b) => compareValidDebVersions(a, b) === compareDebVersions(a, b)),
    { numRuns: 20000 },
  );
});

test('rpm: leading zeros and the choice of separator do not matter', () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 99999 }), { minLength: 1, maxLength: 6 }), fc.constantFrom('.', '_', '+', '%', '..'), (nums, sep) => {
      const plain = nums.join('.');
      const spelled = nums.map((n) => `00${n}`).join(sep);
      return rpmvercmp(plain, spelled) === 0 && rpmVersionKey(plain) === rpmVersionKey(spelled);
    }),
  );
});

test('dpkg: a zero epoch, a zero revision and leading zeros do not matter', () => {
  fc.assert(
    fc.property(fc.array(fc.nat({ max: 99999 }), { minLength: 1, maxLength: 6 }), (nums) => {
      const plain = nums.join('.');
      const spelled = `0:${nums.map((n) => `0${n}`).join('.')}-0`;
      return compareDebVersions(plain, spelled) === 0 && debVersionKey(plain) === debVersionKey(spelled);
    }),
  );
});

test('the properties can fail: a broken order is caught', () => {
  const broken = (a: string, b: string) => (a.length < b.length ? -1 : rpmvercmp(a, b));

  assert.throws(() =>
    fc.assert(
      fc.property(rpmVersion, rpmVersion, (a, b) => broken(a, b) === -broken(b, a)),
      { numRuns: 5000 },
    ),
  );
});
