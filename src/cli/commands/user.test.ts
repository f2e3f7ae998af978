// `vigil user disable | enable | reset-password | end-sessions`, end to end on a temporary SQLite file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../db/database.js';
import { createServices } from '../../server/services.js';
import { vigilCommand } from '../../../test/support/server-process.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const PASSWORD = 'a long enough password';

function vigil(dbPath: string, args: string[], input?: string) {
  const r = spawnSync(process.execPath, [...vigilCommand, ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, VIGIL_SQLITE_PATH: dbPath, VIGIL_DATABASE_URL: '', VIGIL_LOG_LEVEL: 'silent' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same database seen from this process, as a server would see it. */
async function withServices<T>(dbPath: string, body: (s: ReturnType<typeof createServices>) => Promise<T>): Promise<T> {
  const handle = openDatabase({ sqlitePath: dbPath });
  try {
    return await body(createServices(handle, { sessionTtlHours: 12, loginMaxFailures: 5, loginWindowMinutes: 15 }));
  } finally {
    await handle.close();
  }
}

test('vigil user disable, enable, reset-password and end-sessions act on the account and are audited', async () => {
  const db = join(mkdtempSync(join(tmpdir(), 'vigil-cli-user-')), 'vigil.db');
  assert.equal(vigil(db, ['user', 'add', 'ada', '--name', 'Ada Lovelace', '--password-stdin'], `${PASSWORD}\n`).code, 0);
  const token = JSON.parse(vigil(db, ['token', 'create', '--user', 'ada', '--name', 'ci', '--json']).stdout).token as string;

  const disable = vigil(db, ['user', 'disable', 'ada']);
  const tokenWhileDisabled = await withServices(db, (s) => s.identity.fromApiToken(token));
  const enable = vigil(db, ['user', 'enable', 'ada']);
  const session = await withServices(db, (s) => s.identity.login('ada', PASSWORD, '10.0.0.1'));
  const reset = vigil(db, ['user', 'reset-password', 'ada']);
  const generated = /^password: (\S+)$/m.exec(reset.stdout)?.[1];
  const sessionAfterReset = await withServices(db, (s) => s.identity.fromSession(session.sessionToken));
  const setFromStdin = vigil(db, ['user', 'reset-password', 'ada', '--password-stdin'], 'a chosen new passphrase\n');
  const fresh = await withServices(db, (s) => s.identity.login('ada', 'a chosen new passphrase', '10.0.0.1'));
  const end = vigil(db, ['user', 'end-sessions', 'ada', '--json']);
  const freshAfterEnd = await withServices(db, (s) => s.identity.fromSession(fresh.sessionToken));
  const audit = vigil(db, ['audit', 'verify']);

  assert.equal(disable.code, 0, disable.stderr);
  assert.equal(tokenWhileDisabled, undefined);
  assert.equal(enable.code, 0, enable.stderr);
  assert.equal(reset.code, 0, reset.stderr);
  assert.ok(generated && generated.length >= 20);
  assert.equal(sessionAfterReset, undefined);
  assert.equal(setFromStdin.code, 0, setFromStdin.stderr);
  assert.equal(setFromStdin.stdout, '', 'a password given on stdin is not printed');
  assert.equal(JSON.parse(end.stdout).sessionsEnded, 1);
  assert.equal(freshAfterEnd, undefined);
  assert.equal(audit.code, 0, audit.stderr);
});

test('vigil user commands answer one line and exit 1 for an unknown account or a weak password', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'vigil-cli-user-')), 'vigil.db');
  vigil(db, ['user', 'add', 'ada', '--name', 'Ada Lovelace', '--password-stdin'], `${PASSWORD}\n`);

  const unknown = vigil(db, ['user', 'disable', 'nobody']);
  const weak = vigil(db, ['user', 'reset-password', 'ada', '--password-stdin'], 'short\n');

  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, 'vigil: account nobody not found\n');
  assert.equal(weak.code, 1);
  assert.equal(weak.stderr, 'vigil: password must be at least 12 characters\n');
});
