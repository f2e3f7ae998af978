// One line per sub-command module; each exports `register(program)`.
import type { Command } from 'commander';
import * as serve from './serve.js';
import * as migrate from './migrate.js';
import * as user from './user.js';
import * as token from './token.js';
import * as importCmd from './import.js';
import * as audit from './audit.js';
import * as vercmp from './vercmp.js';
import * as feeds from './feeds.js';
import * as probe from './probe.js';
import * as agent from './agent.js';
import * as evaluate from './evaluate.js';
import * as tasks from './tasks.js';

const modules: Array<{ register(program: Command): void }> = [serve, migrate, user, token, importCmd, audit, vercmp, feeds, probe, agent, evaluate, tasks];

export function registerCommands(program: Command): void {
  for (const m of modules) m.register(program);
}
