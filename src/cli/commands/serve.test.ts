// Where `vigil serve` writes its log (issue 11, item 8): a terminal stays readable.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { logTarget } from './serve.js';

test('the log goes to a file beside the database in a terminal, to standard output otherwise, as told when set', () => {
  const sqlite = { sqlitePath: '/srv/vigil/data/vigil.db', databaseUrl: undefined, logFile: undefined };

  assert.deepEqual(logTarget(sqlite, true), { file: '/srv/vigil/data/vigil.log' });
  assert.deepEqual(logTarget(sqlite, false), { file: undefined });
  assert.deepEqual(logTarget({ ...sqlite, logFile: '-' }, true), { file: undefined });
  assert.deepEqual(logTarget({ ...sqlite, logFile: '/var/log/vigil/server.log' }, false), { file: '/var/log/vigil/server.log' });
  assert.match(logTarget({ ...sqlite, databaseUrl: 'postgres://db/vigil' }, true).file ?? '', /\/data\/vigil\.log$/);
});
