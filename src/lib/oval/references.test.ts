// Issue 11, item 1: the CVE list shows each CVE's links and CVSS as the feeds give them.
import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { test } from 'node:test';
import { parseOval } from './parse.js';

const fixture = (name: string) => createReadStream(new URL(`../../../test/fixtures/feeds/${name}`, import.meta.url), { highWaterMark: 512 });

test("a Red Hat definition keeps its references' links and each CVE's CVSS", async () => {
  const feed = await parseOval(fixture('rhel-9.oval.xml'), { release: 'rhel:9' });
  const d = feed.definitions[0]!;

  assert.deepEqual(d.references?.[0], { url: 'https://access.redhat.com/errata/RHSA-2024:3061', source: 'RHSA', id: 'RHSA-2024:3061' });
  assert.ok(d.references?.some((r) => r.url === 'https://access.redhat.com/security/cve/CVE-2023-3817'));
  assert.deepEqual(d.cvss?.['CVE-2023-3446'], { score: 5.3, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L' });
});

test("an Ubuntu CVE definition keeps the CVE's page and its cvss_score and cvss_vector", async () => {
  const feed = await parseOval(fixture('ubuntu-jammy.cve.oval.xml'), { release: 'ubuntu:22.04' });
  const d = feed.definitions.find((x) => x.cves.includes('CVE-2024-2398'))!;

  assert.ok(d.references?.some((r) => r.url === 'https://ubuntu.com/security/CVE-2024-2398'));
  assert.deepEqual(d.cvss?.['CVE-2024-2398'], { score: 8.6, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N' });
});
