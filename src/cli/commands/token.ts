// vigil token create: issue an API token for automation.
import type { Command } from 'commander';
import { InvalidError, NotFoundError } from '../../core/errors.js';
import { printJson } from '../output.js';
import { withConfigOption, withContext } from '../context.js';

export function register(program: Command): void {
  const token = program.command('token').description('API tokens');
  withConfigOption(token.command('create').description('create an API token owned by an account; prints it once'))
    .requiredOption('--user <username>', 'the account that owns the token')
    .requiredOption('--name <name>', 'what the token is for, e.g. ci-import')
    .option('--permission <permission...>', "permissions the token carries (a subset of the owner's)", ['registry:read'])
    .option('--days <days>', 'lifetime in days (1-366)', '90')
    .option('--json', 'print the token and its record as JSON')
    .action(async (opts: { config?: string; user: string; name: string; permission: string[]; days: string; json?: boolean }) => {
      const days = Number(opts.days);
      if (!Number.isInteger(days)) throw new InvalidError(`--days must be a whole number, not ${opts.days}`);
      const created = await withContext(opts, async ({ services }) => {
        const personId = await services.identity.personOfAccount(opts.user);
        if (!personId) throw new NotFoundError('account', opts.user);
        const actor = await services.identity.actorForPerson(personId, `${opts.user} (cli)`);
        return services.identity.createToken(actor, { name: opts.name, permissions: opts.permission, expiresInDays: days });
      });
      if (opts.json) return printJson(created);
      process.stderr.write(`token ${created.record.prefix} for ${opts.user}, expires ${created.record.expiresAt}; it is shown only now:\n`);
      process.stdout.write(created.token + '\n');
    });
}
