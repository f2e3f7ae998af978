// The tasks part's public entry: what incidents, advisories, suspensions and drills use to ask
// something of a site and follow it.
export type { TaskService, NewTask } from './service.js';
export type { Checklists } from './checklists.js';
export { tasksInReach } from './repo.js';
