// The `vigil` command. Each sub-command lives in commands/<name>.ts and registers itself here.
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.js';
import { reportCliError } from './output.js';

const program = new Command('vigil').description('Vigil: security operations for federated research infrastructures').showHelpAfterError().exitOverride();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // commander has already printed its message; help and version exit 0.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else {
    process.exitCode = reportCliError(err);
  }
}
