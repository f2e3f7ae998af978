// One line per sub-command module; each exports `register(program)`.
import type { Command } from 'commander';

const modules: Array<{ register(program: Command): void }> = [];

export function registerCommands(program: Command): void {
  for (const m of modules) m.register(program);
}
