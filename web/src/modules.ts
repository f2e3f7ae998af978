// The parts of Vigil the web client shows, in navigation order. A new part adds one line here.
import type { WebModule } from './lib/module-kit';
import { registryModule } from './routes/registry/module';
import { patchingModule } from './routes/patching/module';
import { tasksModule } from './routes/tasks/module';
import { notificationsModule } from './routes/notifications/module';
import { plannedModule } from './routes/placeholder/placeholder-page';
import { adminModule } from './routes/admin-module';

export const MODULES: readonly WebModule[] = [registryModule, patchingModule, tasksModule, notificationsModule, plannedModule, adminModule];
