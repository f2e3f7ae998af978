// vigil tasks escalate | list: run the escalation sweep now (or as of a given time), list open
// tasks. The server sweeps every minute by itself; this is for operators and tests.
import type { Command } from 'commander';
import { fixedClock, systemClock } from '../../core/clock.js';
import { systemActor } from '../../core/access.js';
import { InvalidError } from '../../core/errors.js';
import { printJson, printTable } from '../output.js';
import { withConfigOption, withContext } from '../context.js';

export function register(program: Command): void {
  const tasks = program.command('tasks').description('site tasks');
  withConfigOption(tasks.command('escalate').description('send the warnings and escalations due now: each step once, however often it runs'))
    .option('--at <time>', 'sweep as of this ISO 8601 time instead of now: the steps due then are taken (and their messages sent) now')
    .option('--json', 'print the counts as JSON')
    .action(async (opts: { config?: string; at?: string; json?: boolean }) => {
      const at = opts.at === undefined ? undefined : new Date(opts.at);
      if (at && Number.isNaN(at.getTime())) throw new InvalidError(`--at: not an ISO 8601 time: ${opts.at}`);
      const taken = await withContext(opts, ({ services }) => services.escalation.sweep(), { mustExist: true, clock: at ? fixedClock(at) : systemClock });
      if (opts.json) printJson(taken);
      else process.stdout.write(`${taken.warning} warnings, ${taken['escalated-ngi']} escalated to NGIs, ${taken['escalated-csirt']} escalated to the CSIRT\n`);
    });
  withConfigOption(tasks.command('list').description('open tasks, soonest due first'))
    .option('--overdue', 'only overdue tasks')
    .option('--json', 'print them as JSON')
    .action(async (opts: { config?: string; overdue?: boolean; json?: boolean }) => {
      const page = await withContext(
        opts,
        ({ services }) => services.tasks.list(systemActor('cli'), { status: 'open', overdue: opts.overdue, limit: 200, offset: 0 }),
        { mustExist: true },
      );
      if (opts.json) printJson(page);
      else
        printTable(
          page.items.map((t) => ({
            due: t.dueAt.slice(0, 16).replace('T', ' '),
            to: t.scope.name,
            type: t.taskType,
            status: t.overdue ? 'OVERDUE' : t.status,
            title: t.title,
          })),
          ['due', 'to', 'type', 'status', 'title'],
        );
    });
}
