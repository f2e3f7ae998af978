// vigil user add | disable | enable | reset-password | end-sessions: local accounts.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { InvalidError } from '../../core/errors.js';
import { systemActor } from '../../core/access.js';
import { isRole, ROLE_SCOPES, ROLES } from '../../core/roles.js';
import { printJson } from '../output.js';
import { withConfigOption, withContext } from '../context.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** `federation`, `ngi:NGI_X`, `site:SITE-NAME` or `vo:vo.example.org`. */
function parseScope(text: string): { scopeType: 'federation' | 'ngi' | 'site' | 'vo'; name: string } {
  if (text === 'federation') return { scopeType: 'federation', name: '' };
  const m = /^(ngi|site|vo):(.+)$/.exec(text);
  if (!m) throw new InvalidError(`bad --scope ${text}: use federation, ngi:NAME, site:NAME or vo:NAME`);
  return { scopeType: m[1] as 'ngi' | 'site' | 'vo', name: m[2]! };
}

export function register(program: Command): void {
  const user = program.command('user').description('local accounts');
  withConfigOption(
    user.command('add').description('create a person with a local account and a scoped role').argument('<username>', 'account name used to sign in'),
  )
    .requiredOption('--name <name>', 'full name')
    .option('--email <email>', 'e-mail address')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'read-only')
    .option('--scope <scope>', 'federation, ngi:NAME, site:NAME or vo:NAME', 'federation')
    .option('--password-stdin', 'read the password from standard input (otherwise one is generated and printed)')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        username: string,
        opts: { config?: string; name: string; email?: string; role: string; scope: string; passwordStdin?: boolean; json?: boolean },
      ) => {
        if (!isRole(opts.role)) throw new InvalidError(`unknown role ${opts.role}; use one of ${ROLES.join(', ')}`);
        const scope = parseScope(opts.scope);
        if (!(ROLE_SCOPES[opts.role] as readonly string[]).includes(scope.scopeType))
          throw new InvalidError(`${opts.role} is held at ${ROLE_SCOPES[opts.role].join(' or ')} scope`);
        const generated = !opts.passwordStdin;
        const password = generated ? randomBytes(12).toString('base64url') : await readStdin();
        const actor = systemActor('cli user add');
        const result = await withContext(opts, async ({ services }) => {
          const scopeId = scope.scopeType === 'federation' ? undefined : await services.registry.resolveScopeId(scope.scopeType, scope.name);
          const person = await services.people.createPerson(actor, {
            name: opts.name,
            email: opts.email ?? null,
            grant: { role: opts.role, scopeType: scope.scopeType, scopeId },
          });
          const account = await services.identity.createAccount(actor, { personId: person.personId, username, password });
          return { personId: person.personId, accountId: account.accountId, username, role: opts.role, scope: opts.scope };
        });
        if (opts.json) return printJson({ ...result, ...(generated ? { password } : {}) });
        process.stderr.write(`created ${username} (${opts.role} at ${opts.scope})\n`);
        if (generated) process.stdout.write(`password: ${password}\n`);
      },
    );

  const admin = (verb: string, description: string) =>
    withConfigOption(user.command(verb).description(description).argument('<username>', 'the account name')).option('--json', 'print the result as JSON');

  admin('disable', 'refuse every credential of an account (password, sessions, API tokens); ends its sessions').action(
    async (username: string, opts: { config?: string; json?: boolean }) => {
      const account = await withContext(opts, async ({ services: { identity } }) => {
        const actor = systemActor('cli user disable');
        return identity.disableAccount(actor, (await identity.getAccountByUsername(actor, username)).accountId);
      });
      if (opts.json) return printJson(account);
      process.stderr.write(`${username} is disabled\n`);
    },
  );

  admin('enable', 'let a disabled account sign in again').action(async (username: string, opts: { config?: string; json?: boolean }) => {
    const account = await withContext(opts, async ({ services: { identity } }) => {
      const actor = systemActor('cli user enable');
      return identity.enableAccount(actor, (await identity.getAccountByUsername(actor, username)).accountId);
    });
    if (opts.json) return printJson(account);
    process.stderr.write(`${username} is enabled\n`);
  });

  admin('reset-password', 'set a new password (generated and printed unless --password-stdin); ends every session')
    .option('--password-stdin', 'read the new password from standard input')
    .action(async (username: string, opts: { config?: string; json?: boolean; passwordStdin?: boolean }) => {
      const password = opts.passwordStdin ? await readStdin() : undefined;
      const result = await withContext(opts, async ({ services: { identity } }) => {
        const actor = systemActor('cli user reset-password');
        return identity.resetPassword(actor, (await identity.getAccountByUsername(actor, username)).accountId, password);
      });
      if (opts.json) return printJson(result);
      process.stderr.write(`password of ${username} reset; ${result.sessionsEnded} session(s) ended\n`);
      if (result.password) process.stdout.write(`password: ${result.password}\n`);
    });

  admin('end-sessions', 'sign an account out everywhere (API tokens stay; revoke them or disable the account)').action(
    async (username: string, opts: { config?: string; json?: boolean }) => {
      const result = await withContext(opts, async ({ services: { identity } }) => {
        const actor = systemActor('cli user end-sessions');
        return identity.endSessions(actor, (await identity.getAccountByUsername(actor, username)).accountId);
      });
      if (opts.json) return printJson(result);
      process.stderr.write(`${result.sessionsEnded} session(s) of ${username} ended\n`);
    },
  );
}
