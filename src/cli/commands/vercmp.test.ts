import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InvalidError } from '../../core/errors.js';
import { runVercmpBatch } from './vercmp.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// The command registered on a bare program, run the way src/cli/main.ts runs commands.
const MAIN = `
import { Command, CommanderError } from 'commander';
import { register } from ${JSON.stringify(new URL('./vercmp.ts', import.meta.url).href)};
import { reportCliError } from ${JSON.stringify(new URL('../output.ts', import.meta.url).href)};
const program = new Command('vigil').exitOverride();
register(program);
try { await program.parseAsync(process.argv.slice(1), { from: 'user' }); }
catch (err) { process.exitCode = err instanceof CommanderError ? (err.exitCode === 0 ? 0 : 2) : reportCliError(err); }
`;

function vigil(args: string[], input = '') {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', MAIN, '--', ...args], { cwd: root, input, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function batch(kind: 'rpm' | 'deb', input: string[]): Promise<string> {
  let out = '';
  await runVercmpBatch(kind, Readable.from(input), async (s) => {
    out += s;
  });
  return out;
}

test('vercmp rpm prints -1 when a tilde pre-release meets its release', () => {
  const r = vigil(['vercmp', 'rpm', '1.0~rc1', '1.0']);

  assert.deepEqual(r, { code: 0, stdout: '-1\n', stderr: '' });
});

test('vercmp rpm compares full epoch:version-release strings', () => {
  assert.equal(vigil(['vercmp', 'rpm', '1:1.0-1.el9', '0:9.9-9.el9']).stdout, '1\n');
});

test('vercmp deb prints 0 for equivalent spellings', () => {
  assert.equal(vigil(['vercmp', 'deb', '0:1.0', '1.0-0']).stdout, '0\n');
});

test('vercmp deb with a version dpkg refuses fails with one line and exit 1', () => {
  const r = vigil(['vercmp', 'deb', '1.0-', '1.0']);

  assert.equal(r.code, 1);
  assert.match(r.stderr, /^vigil: invalid dpkg version '1\.0-': empty revision at position 4\n$/);
});

test('vercmp with an unknown kind is bad usage, exit 2', () => {
  assert.equal(vigil(['vercmp', 'apk', '1', '2']).code, 2);
});

test('vercmp with one version and no --batch is bad usage, exit 2', () => {
  const r = vigil(['vercmp', 'deb', '1']);

  assert.equal(r.code, 2);
  assert.match(r.stderr, /needs two versions/);
});

test('vercmp --batch reads stdin pairs and prints one result per line', () => {
  const r = vigil(['vercmp', 'deb', '--batch'], '1 2\n2\t1\n1.0  1.0-0\n');

  assert.deepEqual(r, { code: 0, stdout: '-1\n1\n0\n', stderr: '' });
});

test('batch lines split across chunks, even inside a character, are joined', async () => {
  const out = await batch('rpm', ['1.0~r', 'c1 1.', '0\n1.1.', '\u03b1 1.1.\u03b2', '\n2 1']);

  assert.equal(out, '-1\n0\n1\n');
});

test('a batch line with one version stops the run naming the line', async () => {
  await assert.rejects(batch('deb', ['1 2\n', '3\n']), (err: unknown) => err instanceof InvalidError && err.message.startsWith('stdin line 2:'));
});

test('a batch line longer than 64 KiB is refused without buffering it', async () => {
  const long = Array.from({ length: 20 }, () => '1'.repeat(5000));

  await assert.rejects(batch('rpm', long), /longer than 65536 characters/);
});

test('a batch of 200,000 pairs streams through', async () => {
  async function* lines() {
    for (let i = 0; i < 200; i++) yield Array.from({ length: 1000 }, (_, j) => `1.${i} 1.${j}\n`).join('');
  }
  let count = 0;

  await runVercmpBatch('rpm', lines(), async (s) => {
    count += s.split('\n').length - 1;
  });

  assert.equal(count, 200_000);
});
