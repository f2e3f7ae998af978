// What a part of Vigil is to the server: its services, its HTTP routes, its background jobs
// (with typed payloads) and the recurring ones it schedules. The server, the CLI and the job
// worker are built from the list in src/modules/index.ts; no central file names a module's
// services, routes or jobs. See docs/architecture.md, "Adding a module".
import { hostname } from 'node:os';
import type { FastifyPluginAsync } from 'fastify';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { DbHandle, Db, Dialect } from '../db/database.js';
import type { Clock } from '../core/clock.js';
import { createAudit, type Audit } from '../core/audit.js';
import type { AuditKeys } from '../core/audit-keys.js';
import { ephemeralAuditKeys } from '../core/audit-keys.js';
import { createJobQueue, type JobContext, type JobHandler, type JobQueue } from '../core/jobs.js';
import { newId } from '../core/ids.js';
import { InvalidError } from '../core/errors.js';
import type { Config } from '../config/config.js';
import type { Parsers } from './parse-pool.js';

/** The settings services read; the rest of Config is the HTTP server's and the CLI's. */
export type ServiceConfig = Pick<Config, 'sessionTtlHours' | 'loginMaxFailures' | 'loginWindowMinutes'> &
  Partial<
    Pick<
      Config,
      | 'riskTags'
      | 'quarantineSenderMaxReports'
      | 'quarantineSenderMaxBytes'
      | 'quarantineMaxReports'
      | 'quarantineMaxBytes'
      | 'feedDirectories'
      | 'feedUrlPrefixes'
      | 'feedUploadLimit'
      | 'sqlitePath'
      | 'databaseUrl'
      | 'publicUrl'
      | 'host'
      | 'port'
      | 'smtpUrl'
      | 'mailFrom'
      | 'mailReplyAddress'
      | 'inboundMailLimit'
      | 'helpdeskUrl'
      | 'helpdeskToken'
    >
  > &
  /** The audit chain's keys (loadAuditKeys); tests may leave them out and get keys held in memory. */
  { auditKeys?: AuditKeys };

/** What every module's services are built on: the shared mechanisms, each existing once. */
export interface Kernel {
  dbHandle: DbHandle;
  db: Db;
  dialect: Dialect;
  clock: Clock;
  audit: Audit;
  jobs: JobQueue;
  config: ServiceConfig;
}

export function createKernel(dbHandle: DbHandle, config: ServiceConfig, clock: Clock): Kernel {
  const { db, dialect } = dbHandle;
  return {
    dbHandle,
    db,
    dialect,
    clock,
    config,
    audit: createAudit(clock, config.auditKeys ?? ephemeralAuditKeys()),
    jobs: createJobQueue({ db, dialect, clock, workerId: `${hostname()}:${process.pid}:${newId().slice(-8)}` }),
  };
}

/** What routes are given besides the services: the HTTP settings and the worker-thread parsers. */
export interface RouteContext {
  config: Pick<Config, 'trustProxy' | 'importBodyLimit' | 'sessionTtlHours' | 'reportBodyLimit'> & Partial<Pick<Config, 'reportDecryptionKey'>>;
  parsers: Parsers;
}

/** A background job kind: its payload is checked against the schema before the handler runs. */
export interface JobKind<P extends TSchema = TSchema, S = unknown> {
  type: string;
  payload: P;
  run(payload: Static<P>, ctx: JobContext, services: S, config: Config): Promise<void>;
}

export const defineJob = <P extends TSchema, S>(job: JobKind<P, S>): JobKind<P, S> => job;

/**
 * A part of Vigil. `S` is what it adds to the services; `Needs` the services of modules listed
 * before it that it builds on (checked at start: `after` names them).
 */
export interface VigilModule<S extends object = object, Needs extends object = object, All = unknown> {
  name: string;
  after?: readonly string[];
  services(kernel: Kernel, needs: Needs): S;
  /** Schemas its routes (and the API reference) name by $id. */
  schemas?: readonly TSchema[];
  /** Its HTTP surface, as one Fastify plugin; given every module's services. */
  routes?(services: All, ctx: RouteContext): FastifyPluginAsync;
  jobs?: ReadonlyArray<JobKind<TSchema, All>>;
  /** Queues its recurring jobs (every process calls this at start and each minute). */
  schedule?(services: All, config: Config): Promise<void>;
  /** Gauges it adds to /metrics, read at each scrape. */
  metrics?(services: All): MetricGauge[];
  /** Loops every server process runs beside its HTTP server (the outbox sender, the reply listener). */
  daemons?(services: All, config: Config, log: DaemonLog): Promise<Daemon[]>;
}

export interface MetricGauge {
  name: string;
  help: string;
  labelNames: readonly string[];
  read(): Promise<Array<{ labels: Record<string, string>; value: number }>>;
}

export interface Daemon {
  name: string;
  stop(): Promise<void>;
}
export type DaemonLog = (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;

/** Starts every module's daemons, in list order; stops those started if one fails to start. */
export async function startDaemons<All>(
  modules: ReadonlyArray<VigilModule<object, never, All>>,
  services: All,
  config: Config,
  log: DaemonLog,
): Promise<Daemon[]> {
  const started: Daemon[] = [];
  try {
    for (const m of modules) started.push(...((await m.daemons?.(services, config, log)) ?? []));
  } catch (err) {
    await Promise.all(started.map((d) => d.stop()));
    throw err;
  }
  return started;
}

/** Builds the kernel and every module's services, in list order. */
export function buildServices(modules: ReadonlyArray<VigilModule<object, never, unknown>>, kernel: Kernel): Record<string, unknown> {
  const built: Record<string, unknown> = { ...kernel };
  const seen = new Set<string>();
  for (const m of modules) {
    for (const need of m.after ?? []) if (!seen.has(need)) throw new Error(`module ${m.name} must be listed after ${need}`);
    for (const [key, value] of Object.entries(m.services(kernel, built as never))) {
      if (key in built) throw new Error(`module ${m.name} adds service ${key}, which another module already added`);
      built[key] = value;
    }
    seen.add(m.name);
  }
  return built;
}

/** Every module's job handlers by type; a payload that does not match its schema fails the job. */
export function jobHandlersOf<All>(modules: ReadonlyArray<VigilModule<object, never, All>>, services: All, config: Config): Record<string, JobHandler> {
  const handlers: Record<string, JobHandler> = {};
  for (const m of modules) {
    for (const job of m.jobs ?? []) {
      if (handlers[job.type]) throw new Error(`job type ${job.type} is defined twice`);
      handlers[job.type] = async (payload, ctx) => {
        if (!Value.Check(job.payload, payload)) throw new InvalidError(`job ${job.type}: payload does not match its schema`);
        await job.run(payload, ctx, services, config);
      };
    }
  }
  return handlers;
}
