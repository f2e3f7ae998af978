// Configuration: defaults, then an optional JSON file, then environment variables.
// Checked once by a schema at start-up; a bad value stops Vigil with one line.
import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InvalidError } from '../core/errors.js';

export const ConfigSchema = Type.Object({
  host: Type.String({ default: '127.0.0.1' }),
  port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
  /** PostgreSQL connection URL; when absent, the embedded SQLite database is used. */
  databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  /** PostgreSQL schema for Vigil's tables (default: the connection's search_path, usually public). */
  databaseSchema: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' })),
  sqlitePath: Type.String({ default: './data/vigil.db' }),
  databasePoolSize: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
  /** Create the demo federation when the database is empty. Turn off in production. */
  demo: Type.Boolean({ default: true }),
  /** Password for the demo admin account; a random one is generated and printed when unset. */
  demoAdminPassword: Type.Optional(Type.String({ minLength: 12 })),
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  /** Trust X-Forwarded-* from a reverse proxy (needed for Secure cookies behind TLS termination). */
  trustProxy: Type.Boolean({ default: false }),
  /** Largest JSON body accepted, in bytes. */
  bodyLimit: Type.Integer({ minimum: 1024, maximum: 100 * 1024 * 1024, default: 1024 * 1024 }),
  /** Largest XML upload (GOCDB import), in bytes. */
  importBodyLimit: Type.Integer({ minimum: 1024, maximum: 512 * 1024 * 1024, default: 32 * 1024 * 1024 }),
  sessionTtlHours: Type.Integer({ minimum: 1, maximum: 24 * 30, default: 12 }),
  /** Failed logins allowed per account name (and 10x per client address) in the window. */
  loginMaxFailures: Type.Integer({ minimum: 1, maximum: 1000, default: 5 }),
  loginWindowMinutes: Type.Integer({ minimum: 1, maximum: 1440, default: 15 }),
  /** Poll interval of the background job worker; 0 disables the worker in this process. */
  jobPollMs: Type.Integer({ minimum: 0, maximum: 60000, default: 1000 }),
  /** GOCDB PI base URL for scheduled registry refresh, e.g. https://goc.example.org/gocdbpi/private/ */
  gocdbUrl: Type.Optional(Type.String({ pattern: '^https?://' })),
  gocdbRefreshHours: Type.Integer({ minimum: 0, maximum: 24 * 7, default: 0 }),
  /** Private key (PEM) that decrypts S/MIME-encrypted host reports (the Pakiti client's --encrypt). */
  reportDecryptionKey: Type.Optional(Type.String()),
  /** Largest host report, in bytes. */
  reportBodyLimit: Type.Integer({ minimum: 1024, maximum: 256 * 1024 * 1024, default: 16 * 1024 * 1024 }),
  /** CVE risk tags the CSIRT may set, comma-separated in the environment. */
  riskTags: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { default: ['EGI-Critical', 'EGI-High'], maxItems: 20 }),
  /** Directory of the built web UI. */
  webRoot: Type.Optional(Type.String()),
}, { additionalProperties: false });

export type Config = Static<typeof ConfigSchema>;

/** Environment variable for each setting (VIGIL_ + SCREAMING_SNAKE of the key). */
export const ENV_NAMES: Record<keyof Config, string> = Object.fromEntries(
  Object.keys(ConfigSchema.properties).map((k) => [k, 'VIGIL_' + k.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase()]),
) as Record<keyof Config, string>;

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ENV_NAMES)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    const schema = ConfigSchema.properties[key as keyof Config] as { type?: string };
    const kind = schema.type ?? (key === 'logLevel' ? 'string' : 'string');
    if (kind === 'integer') out[key] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
    else if (kind === 'array') out[key] = raw.split(',').map((v) => v.trim()).filter(Boolean);
    else if (kind === 'boolean') out[key] = ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase()) ? true
      : ['0', 'false', 'no', 'off'].includes(raw.toLowerCase()) ? false : raw;
    else out[key] = raw;
  }
  return out;
}

/** Loads and checks the configuration; throws InvalidError naming the first bad setting. */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Partial<Config> } = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.VIGIL_CONFIG;
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new InvalidError(`cannot read config file ${file}: ${(err as Error).message}`);
    }
  }
  const merged = { ...fromFile, ...fromEnv(env), ...options.overrides };
  const withDefaults = Value.Default(ConfigSchema, structuredClone(merged));
  const first = Value.Errors(ConfigSchema, withDefaults).First();
  if (first) {
    const key = first.path.replace(/^\//, '') as keyof Config;
    const where = ENV_NAMES[key] ? `${key} (${ENV_NAMES[key]})` : first.path || 'config';
    throw new InvalidError(`bad setting ${where}: ${first.message}`);
  }
  return withDefaults as Config;
}
