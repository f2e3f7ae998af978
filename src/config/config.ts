// Configuration: defaults, then an optional JSON file, then environment variables.
// Checked once by a schema at start-up; a bad value stops Vigil with one line.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { InvalidError } from '../core/errors.js';
import { proxyEntryProblem, TRUST_ALL_REFUSED } from './trust-proxy.js';

export const ConfigSchema = Type.Object(
  {
    host: Type.String({ default: '127.0.0.1' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
    /** PostgreSQL connection URL; when absent, the embedded SQLite database is used. */
    databaseUrl: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
    /** PostgreSQL schema for Vigil's tables (default: the connection's search_path, usually public). */
    databaseSchema: Type.Optional(Type.String({ pattern: '^[a-z_][a-z0-9_]{0,62}$' })),
    /** The embedded database file (default DEFAULT_SQLITE_PATH: data/vigil.db in the installation). */
    sqlitePath: Type.String({ minLength: 1 }),
    databasePoolSize: Type.Integer({ minimum: 1, maximum: 200, default: 10 }),
    /** Create the demo federation when the database is empty. Turn off in production. */
    demo: Type.Boolean({ default: true }),
    /** Password for the demo admin account; a random one is generated and printed when unset. */
    demoAdminPassword: Type.Optional(Type.String({ minLength: 12 })),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    /** Where the server's JSON log lines go: a file, or `-` for standard output. Unset: standard
     *  output under a service manager or in a container; vigil.log beside the database when
     *  standard output is a terminal, so `npm start` stays readable (the banner names the file). */
    logFile: Type.Optional(Type.String({ minLength: 1 })),
    /** Reverse proxies (addresses, CIDRs, `loopback`…; comma-separated in the environment) whose
     *  X-Forwarded-For/-Proto and client-certificate headers are believed; false for none.
     *  `true` (believe any client) is refused: see trust-proxy.ts. */
    trustProxy: Type.Union([Type.Literal(false), Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 64 })], { default: false }),
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
    /** Largest host report, in bytes. 8 MiB: 50,000 packages (the parsers' limit) weigh ~5 MB as
     *  indented JSON, ~2.7 MB as a protocol-4 form, ~1.7 MB as protocol 5; a real host 0.1-0.5 MB. */
    reportBodyLimit: Type.Integer({ minimum: 1024, maximum: 256 * 1024 * 1024, default: 8 * 1024 * 1024 }),
    /** Largest feed file uploaded over the API, in bytes. Red Hat's OVAL for one release is ~20 MB
     *  as .bz2 and ~200 MB unpacked; 1 GiB leaves room without letting one upload fill a disk. */
    feedUploadLimit: Type.Integer({ minimum: 1024, maximum: 8 * 1024 * 1024 * 1024, default: 1024 * 1024 * 1024 }),
    /** Bounds on reports held in quarantine (naming an unknown site, or another site than their
     *  credential's): per sender address (IPv6 by /64) over 24 hours, and pending in total. */
    quarantineSenderMaxReports: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 20 }),
    quarantineSenderMaxBytes: Type.Integer({ minimum: 1024, maximum: 1024 * 1024 * 1024, default: 20 * 1024 * 1024 }),
    quarantineMaxReports: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 2000 }),
    quarantineMaxBytes: Type.Integer({ minimum: 1024, maximum: 64 * 1024 * 1024 * 1024, default: 500 * 1024 * 1024 }),
    /** Audit chain HMAC key (at least 32 characters), or a file holding it; when neither is set,
     *  one is generated into auditKeyDir. Never stored in the database (docs/audit.md). */
    auditKey: Type.Optional(Type.String({ minLength: 32, maxLength: 1024 })),
    auditKeyFile: Type.Optional(Type.String({ minLength: 1 })),
    /** Ed25519 or ECDSA P-256 private key (PEM file) signing audit checkpoints; generated when unset. */
    auditSigningKeyFile: Type.Optional(Type.String({ minLength: 1 })),
    /** Where generated audit keys are kept (mode 0600); default: the SQLite database's directory. */
    auditKeyDir: Type.Optional(Type.String({ minLength: 1 })),
    /** Minutes between signed checkpoints of the audit chain's head; 0 turns them off. */
    auditCheckpointMinutes: Type.Integer({ minimum: 0, maximum: 7 * 24 * 60, default: 60 }),
    /** CVE risk tags the CSIRT may set, comma-separated in the environment. */
    riskTags: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { default: ['EGI-Critical', 'EGI-High'], maxItems: 20 }),
    /**
     * Directories feeds registered over the API may be read from (absolute; comma-separated in the
     * environment). Default: `feeds` beside the SQLite database; none with PostgreSQL.
     */
    feedDirectories: Type.Optional(Type.Array(Type.String({ pattern: '^/', maxLength: 1000 }), { maxItems: 50 })),
    /** URL prefixes feeds registered over the API may be fetched from, each ending in `/`, e.g. https://security.access.redhat.com/data/. Default: none. */
    feedUrlPrefixes: Type.Optional(Type.Array(Type.String({ pattern: '^https?://[^/?#@\\s]+/([^?#\\s]*/)?$', maxLength: 1000 }), { maxItems: 50 })),
    /** Directory of the built web UI. */
    webRoot: Type.Optional(Type.String()),
    /** The address people open Vigil at, for links in notifications; default http://<host>:<port>. */
    publicUrl: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 })),
    /** Outgoing mail server: smtp://[user:password@]host:587 (STARTTLS) or smtps://host:465. Unset: e-mails wait in the outbox. */
    smtpUrl: Type.Optional(Type.String({ pattern: '^smtps?://', maxLength: 1000 })),
    /** Refuse to send mail unless the connection is encrypted (STARTTLS or smtps). */
    smtpRequireTls: Type.Boolean({ default: true }),
    /** The From of notifications. */
    mailFrom: Type.String({ default: 'Vigil <vigil@localhost>', maxLength: 300 }),
    /** Replies to notifications: the base address whose sub-addresses carry each task's signed token (vigil+t.<task>.<mac>@tasks.example.org). Unset: no reply address. */
    mailReplyAddress: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._-]{1,20}@[A-Za-z0-9.-]{1,200}$' })),
    /** Vigil's own SMTP listener for replies (0: off), and the address it listens on. */
    inboundSmtpPort: Type.Integer({ minimum: 0, maximum: 65535, default: 0 }),
    inboundSmtpHost: Type.String({ default: '127.0.0.1' }),
    /** Largest inbound message accepted, in bytes. */
    inboundMailLimit: Type.Integer({ minimum: 1024, maximum: 25 * 1024 * 1024, default: 2 * 1024 * 1024 }),
    /** S/MIME signing of outgoing mail with the federation's certificate (PEM files). */
    smimeCertFile: Type.Optional(Type.String({ minLength: 1 })),
    smimeKeyFile: Type.Optional(Type.String({ minLength: 1 })),
    smimeChainFile: Type.Optional(Type.String({ minLength: 1 })),
    /** Messages the outbox sends at once, and how long a process holds a claimed message before another may retry it. */
    outboxConcurrency: Type.Integer({ minimum: 1, maximum: 64, default: 4 }),
    outboxLeaseSeconds: Type.Integer({ minimum: 1, maximum: 3600, default: 120 }),
    outboxPollMs: Type.Integer({ minimum: 0, maximum: 60000, default: 1000 }),
    /** The helpdesk (Zammad) tasks may be mirrored to: its URL and API token. */
    helpdeskUrl: Type.Optional(Type.String({ pattern: '^https?://', maxLength: 500 })),
    helpdeskToken: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);

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
    else if (kind === 'array')
      out[key] = raw
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
    else if (kind === 'boolean')
      out[key] = ['1', 'true', 'yes', 'on'].includes(raw.toLowerCase()) ? true : ['0', 'false', 'no', 'off'].includes(raw.toLowerCase()) ? false : raw;
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
  const envValues = fromEnv(env);
  const merged: Record<string, unknown> = { ...fromFile, ...envValues, ...options.overrides };
  const sqliteFromFile = options.overrides?.sqlitePath === undefined && envValues.sqlitePath === undefined ? file : undefined;
  merged.sqlitePath = sqlitePathOf(merged.sqlitePath, sqliteFromFile);
  if (merged.trustProxy !== undefined) merged.trustProxy = checkTrustProxy(merged.trustProxy);
  const withDefaults = Value.Default(ConfigSchema, structuredClone(merged));
  const first = Value.Errors(ConfigSchema, withDefaults).First();
  if (first) {
    const key = first.path.replace(/^\//, '') as keyof Config;
    const where = ENV_NAMES[key] ? `${key} (${ENV_NAMES[key]})` : first.path || 'config';
    throw new InvalidError(`bad setting ${where}: ${first.message}`);
  }
  return withDefaults as Config;
}

/** Where the installation keeps its embedded database unless told otherwise: beside the code,
 *  not in the working directory, so `vigil probe site X` run anywhere reads the same database. */
export const DEFAULT_SQLITE_PATH = fileURLToPath(new URL('../../data/vigil.db', import.meta.url));

/** The SQLite path: the installation's default when unset, a relative path from a config file
 *  taken from that file's directory (from the environment: the working directory, as usual). */
function sqlitePathOf(value: unknown, fromFile: string | undefined): unknown {
  if (value === undefined) return DEFAULT_SQLITE_PATH;
  if (typeof value !== 'string' || value === ':memory:' || isAbsolute(value) || !fromFile) return value;
  return resolve(dirname(fromFile), value);
}

/** trustProxy from a file (false, a list, or a comma-separated string) or the environment. */
function checkTrustProxy(value: unknown): unknown {
  const bad = (why: string) => new InvalidError(`bad setting trustProxy (${ENV_NAMES.trustProxy}): ${why}`);
  let v = value;
  if (typeof v === 'string') {
    const word = v.trim().toLowerCase();
    v = ['', '0', 'false', 'no', 'off'].includes(word)
      ? false
      : ['1', 'true', 'yes', 'on'].includes(word)
        ? true
        : v
            .split(',')
            .map((e) => e.trim())
            .filter(Boolean);
  }
  if (v === true) throw bad(TRUST_ALL_REFUSED);
  if (Array.isArray(v)) {
    for (const entry of v) {
      const problem = typeof entry === 'string' ? proxyEntryProblem(entry) : 'entries must be strings';
      if (problem) throw bad(problem);
    }
  }
  return v;
}
