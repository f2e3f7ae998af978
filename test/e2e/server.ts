// Starts the real Vigil server (`vigil serve`, test/support/server-process.ts) on a temp SQLite
// database and a free port, for the browser tests; stops it and removes the database after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer as startProcess, vigilCommand } from '../support/server-process.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO_PASSWORD = 'demo-password-123';

export interface VigilServer {
  url: string;
  /** The server's SQLite file, for tests that arrange history the API cannot (a tag made days ago). */
  sqlitePath: string;
  /** Server output so far, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Seed the demo federation (default true). Without it, one federation admin `admin` is created. */
  demo?: boolean;
  /** More settings for the server, asked for when it starts (e.g. the port of a mail server the suite started). */
  env?: () => Promise<Record<string, string>>;
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
  const result = spawnSync(process.execPath, [...vigilCommand, ...args], { cwd: ROOT, env, input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vigil ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
}

export async function startServer(options: ServerOptions = {}): Promise<VigilServer> {
  ensureWebBuild();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
  const demo = options.demo ?? true;
  const env = {
    VIGIL_SQLITE_PATH: join(dir, 'vigil.db'),
    VIGIL_DEMO_ADMIN_PASSWORD: DEMO_PASSWORD,
    VIGIL_DEMO: demo ? 'true' : 'false',
    ...(await options.env?.()),
  };
  try {
    if (!demo)
      cli(
        ['user', 'add', 'admin', '--name', 'Registry Administrator', '--role', 'federation-admin', '--password-stdin'],
        { ...process.env, ...env },
        DEMO_PASSWORD,
      );
    const server = await startProcess(env);
    return {
      url: server.url,
      sqlitePath: env.VIGIL_SQLITE_PATH,
      output: () => server.output().slice(-4000),
      close: async () => {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Signs in over the API (for test set-up): returns a fetch bound to that session. */
export async function apiSession(url: string, username: string, password = DEMO_PASSWORD) {
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`API sign-in as ${username} failed: ${login.status} ${await login.text()}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const me = (await login.json()) as { personId: string; csrfToken: string; grants: Array<{ role: string; scopeType: string; scopeId: string }> };
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { headers: { cookie } });
    if (!response.ok) throw new Error(`GET ${path} as ${username}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<T>;
  };
  const post = async <T>(path: string, body: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path} as ${username}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<T>;
  };
  return { me, get, post };
}
