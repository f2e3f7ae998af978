// The parts of Vigil, in the order their services are built (a module comes after those it
// builds on). The server, the CLI and the job worker are built from this list; a new part adds
// its module here and its services' type to ModuleServices. See docs/architecture.md.
import type { VigilModule } from '../server/module-kit.js';
import type { Services } from '../server/services.js';
import { identityModule, type IdentityServices } from './identity/module.js';
import { registryModule, type RegistryServices } from './registry/module.js';
import { auditModule, type AuditServices } from './audit/module.js';
import { patchingModule, type PatchingServices } from './patching/module.js';
import { notificationsModule, type NotificationServices } from './notifications/module.js';
import { tasksModule, type TaskServices } from './tasks/module.js';

export type ModuleServices = IdentityServices & RegistryServices & AuditServices & PatchingServices & NotificationServices & TaskServices;

export const MODULES: ReadonlyArray<VigilModule<object, never, Services>> = [
  identityModule,
  registryModule,
  auditModule,
  patchingModule,
  notificationsModule,
  tasksModule,
] as never;
