// A report must name an RFC 1123 host: hosts are keyed on the name, which then reaches views,
// CSV exports and mails. Any other name is refused before anything is stored.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testApp, type TestApp } from '../../../test/support/app.js';
import { admin, smallFederation } from '../../../test/support/seed.js';

const BAD = '=cmd|calc!A0';

let t: TestApp;
let token: string;

before(async () => {
  t = await testApp();
  const fed = await smallFederation(t.services);
  token = (await t.services.reporters.createToken(admin, fed.siteA1, 'ci')).token;
});
after(() => t.close());

const stored = async () => ({
  hosts: (await t.db.db.selectFrom('host').select('hostname').execute()).length,
  held: (await t.db.db.selectFrom('report_quarantine').select('hostname').execute()).length,
});

test('a JSON report naming no valid host name is refused with 422 problem+json naming the host, and nothing is stored', async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/reports',
    headers: { authorization: `Bearer ${token}` },
    payload: {
      schema: 'vigil.report/1',
      host: BAD,
      site: 'ALPHA-UNI-1',
      system: 'Rocky Linux release 9.3 (Blue Onyx)',
      kernel: '5.14.0-362.8.1.el9_3.x86_64',
      arch: 'x86_64',
      packager: 'rpm',
      agent: { name: 'vigil-agent', version: '1.0.0' },
      packages: [{ name: 'bash', version: '0:5.1.8-6.el9_1', arch: 'x86_64' }],
    },
  });

  assert.equal(res.statusCode, 422);
  assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
  assert.match(res.json().detail, /is not a valid host name/);
  assert.deepEqual(await stored(), { hosts: 0, held: 0 });
});

test("a Pakiti report naming no valid host name gets the protocol's ERROR, and nothing is stored", async () => {
  const body = `#\nhost: ${BAD}\nkernel: 6.1.0-18-amd64\npackager: dpkg\nsystem: Debian GNU/Linux 12\narch: x86_64\n#\nlibssl3\t3.0.11-1~deb12u2\tamd64\n#\n`;

  const res = await t.app.inject({
    method: 'POST',
    url: '/feed/?protocol=5',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
    payload: body,
  });

  assert.equal(res.statusCode, 500);
  assert.match(res.body, /^ERROR/);
  assert.deepEqual(await stored(), { hosts: 0, held: 0 });
});
