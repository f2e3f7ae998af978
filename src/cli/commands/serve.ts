// vigil serve: the HTTP server, the background-job worker and (on an empty database) the demo.
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import pino from 'pino';
import { DEFAULT_SQLITE_PATH, type Config } from '../../config/config.js';
import { startWorker } from '../../core/jobs.js';
import { checkAuditKey } from '../../core/audit.js';
import { buildApp } from '../../server/app.js';
import { startDaemons } from '../../server/module-kit.js';
import { MODULES } from '../../modules/index.js';
import { jobHandlers, scheduleRecurringJobs } from '../../server/job-handlers.js';
import { seedDemoIfEmpty } from '../../server/demo.js';
import { withConfigOption, openContext } from '../context.js';

/** Where the log goes: `file` undefined means standard output. */
export function logTarget(config: Pick<Config, 'logFile' | 'sqlitePath' | 'databaseUrl'>, terminal: boolean): { file: string | undefined } {
  if (config.logFile === '-') return { file: undefined };
  if (config.logFile) return { file: resolve(config.logFile) };
  if (!terminal) return { file: undefined };
  const dir = !config.databaseUrl && config.sqlitePath !== ':memory:' ? dirname(config.sqlitePath) : dirname(DEFAULT_SQLITE_PATH);
  return { file: resolve(dir, 'vigil.log') };
}

export function register(program: Command): void {
  withConfigOption(program.command('serve').description('run the Vigil server (web UI, API, background jobs)'))
    .option('-p, --port <port>', 'listen port (VIGIL_PORT)')
    .option('--host <host>', 'listen address (VIGIL_HOST)')
    .option('--no-demo', 'never create the demo federation (VIGIL_DEMO=false)')
    .action(async (opts: { config?: string; port?: string; host?: string; demo: boolean }) => {
      if (opts.port) process.env.VIGIL_PORT = opts.port;
      if (opts.host) process.env.VIGIL_HOST = opts.host;
      if (!opts.demo) process.env.VIGIL_DEMO = 'false';
      const { config, services, notes, close } = await openContext(opts);
      // A process holding another audit key than the one that sealed the chain must not write.
      await checkAuditKey(services.dbHandle.db, services.audit.keys).catch(async (err: unknown) => {
        await close();
        throw err;
      });
      const log = logTarget(config, process.stdout.isTTY === true);
      const app = await buildApp(services, config, log.file ? { logStream: pino.destination({ dest: log.file, mkdir: true, sync: false }) } : {});
      for (const note of notes) app.log.warn(note);
      app.log.info({ keyId: services.audit.keys.keyId, algorithm: services.audit.keys.algorithm }, 'audit checkpoints are signed with this key');

      if (config.demo) {
        const demo = await seedDemoIfEmpty(services, config.demoAdminPassword);
        if (demo) {
          process.stderr.write(
            `\nDemo federation created: ${demo.sites} sites in ${demo.ngis} NGIs.\n` +
              `Sign in as ${demo.username} with password ${demo.password}\n` +
              `(other demo accounts: ${demo.otherAccounts.join(', ')}; same password)\n` +
              'Turn the demo off in production with VIGIL_DEMO=false.\n\n',
          );
        }
      }
      // Rules from before lifecycle hits were kept per set (migration 0005) are indexed now, not on first read.
      await services.lifecycle.indexPending();
      await scheduleRecurringJobs(services, config);
      const scheduler = setInterval(() => {
        scheduleRecurringJobs(services, config).catch((err: unknown) => app.log.error({ err }, 'scheduling recurring jobs failed'));
      }, 60_000);
      const worker =
        config.jobPollMs > 0
          ? startWorker(services.jobs, jobHandlers(services, config), config.jobPollMs, (job, err) =>
              app.log.error({ err, jobId: job.job_id, kind: job.kind }, 'job failed'),
            )
          : undefined;
      const daemons = await startDaemons(MODULES, services, config, (level, msg, extra) => app.log[level](extra ?? {}, msg));

      let closing = false;
      const shutdown = async (signal: string) => {
        if (closing) return;
        closing = true;
        app.log.info({ signal }, 'shutting down: finishing in-flight requests');
        // close() stops accepting, lets in-flight requests finish, then runs onClose hooks.
        clearInterval(scheduler);
        await app.close();
        await worker?.stop();
        await Promise.all(daemons.map((d) => d.stop()));
        await close();
        process.exit(0);
      };
      process.on('SIGTERM', () => void shutdown('SIGTERM'));
      process.on('SIGINT', () => void shutdown('SIGINT'));

      const address = await app.listen({ port: config.port, host: config.host });
      process.stderr.write(
        `Vigil listening on ${address} (${services.dbHandle.dialect})\n${log.file ? `Log: ${log.file} (set VIGIL_LOG_FILE=- for this terminal)\n` : ''}`,
      );
    });
}
