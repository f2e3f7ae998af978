import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, existsSync } from 'node:fs';
import { parseOval } from '../../lib/oval/index.js';
import type { Definition } from '../../lib/vuln-model/index.js';
import { createOvalDiskStore } from './oval-disk-store.js';

const fixture = (name: string) => () => createReadStream(new URL(`../../../test/fixtures/feeds/${name}`, import.meta.url), { highWaterMark: 512 });
const FIXTURES = [
  ['rhel-9.oval.xml', 'rhel:9'],
  ['rhel-8-module.oval.xml', 'rhel:8'],
  ['almalinux-9.oval.xml', 'almalinux:9'],
  ['debian-12.oval.xml', 'debian:12'],
  ['ubuntu-jammy.cve.oval.xml', 'ubuntu:22.04'],
] as const;
const definition = (id: string, cves: string[], release = 'rhel:9'): Definition => ({
  id,
  format: 'oval',
  vendor: 'redhat',
  cves,
  severity: 'high',
  notes: [],
  affected: [{ release, package: 'openssl', nameKind: 'binary', scheme: 'rpm', fixState: 'fixed', fixed: '1:3.0.7-27.el9' }],
});

test('table entries put across many transactions are all found after the flush, the last of an id winning', () => {
  const store = createOvalDiskStore();

  for (let i = 0; i < 12_000; i++) store.putObject(`oval:x:obj:${i}`, { kind: 'rpminfo_object', name: `pkg-${i}`, varRef: undefined });
  store.putObject('oval:x:obj:7', { kind: 'rpminfo_object', name: 'replaced', varRef: undefined });
  store.putTest('oval:x:tst:1', { kind: 'rpminfo_test', objectRef: 'oval:x:obj:1', stateRefs: ['oval:x:ste:1', 'oval:x:ste:2'] });
  store.putState('oval:x:ste:1', { kind: 'rpminfo_state', evr: { op: 'less than', value: '0:1.2-3' } });
  store.putVariable('oval:x:var:1', ['libcurl4', 'curl']);
  store.flush();

  try {
    assert.deepEqual(
      [store.findObject('oval:x:obj:11999')?.name, store.findObject('oval:x:obj:7')?.name, store.findObject('oval:x:obj:12000')],
      ['pkg-11999', 'replaced', undefined],
    );
    assert.deepEqual(store.findTest('oval:x:tst:1'), { kind: 'rpminfo_test', objectRef: 'oval:x:obj:1', stateRefs: ['oval:x:ste:1', 'oval:x:ste:2'] });
    assert.deepEqual(store.findState('oval:x:ste:1')?.evr, { op: 'less than', value: '0:1.2-3' });
    assert.deepEqual(store.findVariable('oval:x:var:1'), ['libcurl4', 'curl']);
  } finally {
    store.close();
  }
});

test('every fixture reads to the same definitions and counts with the disk store as with the in-memory one', async () => {
  for (const [name, release] of FIXTURES) {
    const inMemory = await parseOval(fixture(name), { release });
    const store = createOvalDiskStore();
    const streamed: Definition[] = [];

    const onDisk = await parseOval(fixture(name), { release, store, onDefinition: (d) => streamed.push(d) });
    store.close();

    assert.ok(inMemory.definitions.length > 0, name);
    assert.deepEqual(streamed, inMemory.definitions, name);
    assert.deepEqual(onDisk.stats, inMemory.stats, name);
  }
});

test('spooled definitions come back a page at a time in id order, one per id, with distinct CVEs and releases counted', () => {
  const store = createOvalDiskStore();
  store.addDefinition(definition('oval:x:def:2', ['CVE-2024-1', 'CVE-2024-2']));
  store.addDefinition(definition('oval:x:def:1', ['CVE-2024-2'], 'almalinux:9'));
  store.addDefinition(definition('oval:x:def:3', []));
  store.addDefinition(definition('oval:x:def:2', ['CVE-2024-3']));

  const pages = [...store.definitionPages(2)];
  const summary = store.summary();
  store.close();

  assert.deepEqual(
    pages.map((p) => p.map((d) => d.definitionId)),
    [['oval:x:def:1', 'oval:x:def:2'], ['oval:x:def:3']],
  );
  assert.deepEqual((JSON.parse(pages[0]![1]!.bodyJson) as Definition).cves, ['CVE-2024-3']);
  assert.deepEqual(summary, { definitions: 4, cves: 3, releases: ['almalinux:9', 'rhel:9'] });
});

test('closing deletes the temporary file, and a second close does nothing', () => {
  const store = createOvalDiskStore();
  store.putVariable('oval:x:var:1', ['a']);

  store.close();
  store.close();

  assert.equal(existsSync(store.dir), false);
});
