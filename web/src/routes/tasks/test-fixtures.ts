// Wire shapes of the site tasks API for the specs (as src/modules/tasks/service.ts sends them),
// and sessions holding the task permissions (src/core/roles.ts).
import type { Session } from '../../lib/types';
import { SESSIONS } from '../../test-support/render';
import type { Checklist, Task, TaskDetail } from './types';

export const DUE = '2026-12-03T14:00:00.000Z';

export const task = (o: Partial<Task> = {}): Task => ({
  taskId: 't-1',
  scope: { type: 'site', id: 's-tromso', name: 'NOR-TROMSO-GRID', ngiId: 'n-no', ngiName: 'NGI_NO' },
  taskType: 'vulnerability',
  priority: 'urgent',
  title: 'Patch CVE-2024-6387 on the worker nodes',
  tlp: 'AMBER',
  subject: null,
  status: 'open',
  measures: 'acknowledge',
  dueAt: DUE,
  overdue: false,
  dueSoon: false,
  open: true,
  createdAt: '2026-12-02T10:00:00.000Z',
  createdBy: 'Carla CSIRT',
  acknowledgedAt: null,
  resolvedAt: null,
  cancelledAt: null,
  escalation: { warnedAt: null, ngiAt: null, csirtAt: null },
  checklist: null,
  helpdesk: null,
  abilities: ['task:read', 'task:answer'],
  ...o,
});

export const taskDetail = (o: Partial<TaskDetail> = {}): TaskDetail => ({
  ...task(),
  description: 'Update openssh-server to 8.7p1-38.el9_4.1 and restart sshd.',
  rule: { ruleId: 'r-1', source: 'SEC03: critical vulnerabilities', amount: 4, unit: 'working-hours', validFrom: '2026-01-01T00:00:00.000Z', validTo: null },
  warnAt: '2026-12-03T11:00:00.000Z',
  csirtAt: '2026-12-03T16:00:00.000Z',
  acknowledgedBy: null,
  resolvedBy: null,
  events: [
    {
      eventId: 'e-1',
      kind: 'created',
      actor: 'Carla CSIRT',
      via: 'system',
      body: 'due 2026-12-03 14:00 UTC (SEC03: critical vulnerabilities)',
      at: '2026-12-02T10:00:00.000Z',
    },
  ],
  attachments: [],
  messages: [],
  ...o,
});

export const checklist = (o: Partial<Checklist> = {}): Checklist => ({
  instanceId: 'c-1',
  title: 'PROC19 for NOR-TROMSO-GRID',
  scope: { type: 'site', id: 's-tromso', name: 'NOR-TROMSO-GRID' },
  status: 'running',
  steps: 14,
  done: 9,
  late: 2,
  open: 5,
  summary: '9 of 14 steps done, 2 late',
  createdAt: '2026-11-20T08:00:00.000Z',
  createdBy: 'Carla CSIRT',
  ...o,
});

/** A site's administrator: reads and answers the site's tasks. */
export const SITE_OFFICER: Session = {
  ...SESSIONS.siteAdmin,
  permissions: [...SESSIONS.siteAdmin.permissions, 'task:read', 'task:answer'],
};

const CSIRT_TASKS = [...SESSIONS.csirt.permissions, 'task:read', 'task:answer', 'task:create', 'deadline:manage'];
/** The CSIRT: reads, answers and opens tasks federation-wide. */
export const CSIRT: Session = { ...SESSIONS.csirt, permissions: CSIRT_TASKS, federationPermissions: CSIRT_TASKS };

export const rule = (taskType: string, priority = '*') => ({
  ruleId: `r-${taskType}-${priority}`,
  taskType,
  priority,
  amount: 4,
  unit: 'working-hours',
  measures: 'acknowledge',
  warnFraction: 0.75,
  csirtFraction: 1.5,
  source: 'SEC03',
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: null,
  changedBy: 'Carla CSIRT',
  allowed: '4 working hours',
});
