// Issue 11, item 1: the CVE list shows each CVE's links and CVSS as the feeds give them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseOsvRecord } from './parse.js';

const record = (name: string) => JSON.parse(readFileSync(new URL(`../../../test/fixtures/feeds/osv/${name}`, import.meta.url), 'utf8')) as unknown;

test("an OSV record keeps its references and its CVSS v3 vector's score for its CVEs", () => {
  const d = parseOsvRecord(record('UBUNTU-CVE-2024-2398.json'))!;

  assert.deepEqual(d.references?.[0], { url: 'https://ubuntu.com/security/CVE-2024-2398', source: 'REPORT' });
  // The vector's own score (the OVAL of the same CVE says 8.6: the feeds disagree, each is shown as given).
  assert.deepEqual(d.cvss?.['CVE-2024-2398'], { score: 5.8, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N' });
});

test('an OSV reference that is not an http(s) URL is dropped', () => {
  const rec = record('UBUNTU-CVE-2024-2398.json') as { references: unknown[] };
  rec.references = [
    { type: 'WEB', url: 'javascript:alert(1)' },
    { type: 'WEB', url: 'https://example.org/a' },
  ];

  const d = parseOsvRecord(rec)!;

  assert.deepEqual(d.references, [{ url: 'https://example.org/a', source: 'WEB' }]);
});
