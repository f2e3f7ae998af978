// Site tasks in the web client: the inbox, opening tasks, a task's page, checklists, response
// times and deadlines; the home panel (what is overdue or due soon) and the site page's open tasks.
import type { WebModule } from '../../lib/module-kit';
import { TaskInboxPage } from './inbox-page';
import { NewTaskPage } from './new-task-page';
import { TaskPage } from './task-page';
import { ChecklistPage, ChecklistsPage } from './checklists-page';
import { ResponseTimesPage } from './response-times-page';
import { DeadlinesPage } from './deadlines-page';
import { TasksHome } from './home';
import { SiteTasks } from './site-tasks';

export const tasksModule: WebModule = {
  name: 'tasks',
  routes: [
    ['/tasks', () => <TaskInboxPage />],
    ['/tasks/new', () => <NewTaskPage />],
    ['/tasks/response-times', () => <ResponseTimesPage />],
    ['/tasks/deadlines', () => <DeadlinesPage />],
    ['/tasks/:id', (p) => <TaskPage taskId={p.id!} />],
    ['/checklists', () => <ChecklistsPage />],
    ['/checklists/:id', (p) => <ChecklistPage instanceId={p.id!} />],
  ],
  nav: [
    { to: '/tasks', label: 'Tasks', section: 'operations', permission: 'task:read' },
    { to: '/tasks/response-times', label: 'Response times', section: 'operations', permission: 'task:read' },
    { to: '/tasks/deadlines', label: 'Deadlines', section: 'operations', permission: 'task:read' },
  ],
  homePanels: [TasksHome],
  sitePanels: [SiteTasks],
};
