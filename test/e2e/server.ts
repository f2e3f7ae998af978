// Starts the real Vigil server (node --import tsx src/cli/main.ts serve) on a temp SQLite
// database and a free port, for the browser tests; stops it and removes the database after.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO_PASSWORD = 'demo-password-123';

export interface VigilServer {
  url: string;
  /** Server output so far, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Seed the demo federation (default true). Without it, one federation admin `admin` is created. */
  demo?: boolean;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The server serves dist/web only if it exists when it starts: build it once if missing. */
export function ensureWebBuild(): void {
  if (existsSync(join(ROOT, 'dist/web/index.html'))) return;
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0 || !existsSync(join(ROOT, 'dist/web/index.html'))) {
    throw new Error(`dist/web is missing and building it failed; run \`npm run build\` first.\n${result.stderr}${result.stdout}`);
  }
}

function cli(args: string[], env: NodeJS.ProcessEnv, input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, env, input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vigil ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
}

async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} before it was ready:\n${output()}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the server was not ready within ${timeoutMs} ms:\n${output()}`);
}

export async function startServer(options: ServerOptions = {}): Promise<VigilServer> {
  ensureWebBuild();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const port = await freePort();
  const demo = options.demo ?? true;
  const env: NodeJS.ProcessEnv = {
    ...process.env, VIGIL_SQLITE_PATH: join(dir, 'vigil.db'), VIGIL_PORT: String(port), VIGIL_DEMO_ADMIN_PASSWORD: DEMO_PASSWORD,
    VIGIL_LOG_LEVEL: 'warn', VIGIL_DEMO: demo ? 'true' : 'false',
  };
  if (!demo) cli(['user', 'add', 'admin', '--name', 'Registry Administrator', '--role', 'federation-admin', '--password-stdin'], env, DEMO_PASSWORD);

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (c) => { log += String(c); });
  child.stderr?.on('data', (c) => { log += String(c); });
  const url = `http://127.0.0.1:${port}`;
  const output = () => log.slice(-4000);

  const close = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, output);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, output, close };
}

/** Signs in over the API (for test set-up): returns a fetch bound to that session. */
export async function apiSession(url: string, username: string, password = DEMO_PASSWORD) {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!login.ok) throw new Error(`API sign-in as ${username} failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const me = await login.json() as { personId: string; grants: Array<{ role: string; scopeType: string; scopeId: string }> };
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { headers: { cookie } });
    if (!response.ok) throw new Error(`GET ${path} as ${username}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<T>;
  };
  return { me, get };
}
