import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.js';

test('defaults give an embedded database on localhost with the demo on', () => {
  const c = loadConfig({ env: {} });

  assert.equal(c.sqlitePath, fileURLToPath(new URL('../../data/vigil.db', import.meta.url)));
  assert.equal(c.databaseUrl, undefined);
  assert.equal(c.host, '127.0.0.1');
  assert.equal(c.demo, true);
});

test('environment variables override the file, which overrides defaults', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-cfg-')), 'vigil.json');
  writeFileSync(file, JSON.stringify({ port: 9000, demo: false, logLevel: 'warn' }));

  const c = loadConfig({ file, env: { VIGIL_PORT: '9100', VIGIL_DATABASE_URL: 'postgres://u:p@db/vigil' } });

  assert.equal(c.port, 9100);
  assert.equal(c.demo, false);
  assert.equal(c.logLevel, 'warn');
  assert.equal(c.databaseUrl, 'postgres://u:p@db/vigil');
});

test('a bad value is refused with the setting and its variable named', () => {
  assert.throws(() => loadConfig({ env: { VIGIL_DEMO: 'perhaps' } }), /bad setting demo \(VIGIL_DEMO\)/);
  assert.throws(() => loadConfig({ env: { VIGIL_DATABASE_URL: 'mysql://x' } }), /bad setting databaseUrl/);
});

test('an unknown key in the file is refused, so typos do not pass silently', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'vigil-cfg-')), 'vigil.json');
  writeFileSync(file, JSON.stringify({ prot: 9000 }));

  assert.throws(() => loadConfig({ file, env: {} }), /bad setting/);
});
