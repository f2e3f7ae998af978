import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from './config.js';
import { trustedPeer } from './trust-proxy.js';

test('trustProxy takes a comma-separated list of proxy addresses and CIDRs from the environment', () => {
  const c = loadConfig({ env: { VIGIL_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,2001:db8::/32' } });

  assert.deepEqual(c.trustProxy, ['127.0.0.1', '10.0.0.0/8', '2001:db8::/32']);
});

test('trustProxy is off by default and with false', () => {
  assert.equal(loadConfig({ env: {} }).trustProxy, false);
  assert.equal(loadConfig({ env: { VIGIL_TRUST_PROXY: 'false' } }).trustProxy, false);
});

test("trustProxy true, which would believe any client's X-Forwarded-For, stops start-up with one line", () => {
  assert.throws(
    () => loadConfig({ env: { VIGIL_TRUST_PROXY: 'true' } }),
    /bad setting trustProxy \(VIGIL_TRUST_PROXY\): true would believe X-Forwarded-For from any client/,
  );
  assert.throws(() => loadConfig({ env: {}, overrides: { trustProxy: true as never } }), /true would believe/);
  assert.throws(() => loadConfig({ env: { VIGIL_TRUST_PROXY: '0.0.0.0/0' } }), /trusts every address/);
});

test('a trustProxy entry that is no address or CIDR is named', () => {
  assert.throws(() => loadConfig({ env: { VIGIL_TRUST_PROXY: '10.0.0.1,proxy.example.org' } }), /proxy\.example\.org is not an IP address or CIDR/);
  assert.throws(() => loadConfig({ env: { VIGIL_TRUST_PROXY: '10.0.0.0/33' } }), /bad prefix length/);
});

const peers = [
  ['10.1.2.3', true],
  ['::ffff:10.1.2.3', true],
  ['127.0.0.1', true],
  ['2001:db8:5::1', true],
  ['11.0.0.1', false],
  ['192.0.2.1', false],
  ['2001:db9::1', false],
  [undefined, false],
] as const;
for (const [peer, want] of peers) {
  test(`with 10.0.0.0/8, loopback and 2001:db8::/32 trusted, peer ${peer} is ${want ? '' : 'not '}a trusted proxy`, () => {
    assert.equal(trustedPeer(['10.0.0.0/8', 'loopback', '2001:db8::/32'])(peer), want);
  });
}
