// Wire shapes of the site tasks API (src/modules/tasks/routes.ts; the task view of service.ts,
// checklists.ts and deadlines.ts).

export type ScopeType = 'site' | 'ngi' | 'vo' | 'federation';
export type TaskStatus = 'open' | 'acknowledged' | 'resolved' | 'cancelled';
export type Via = 'ui' | 'api' | 'email' | 'system' | 'helpdesk';

export const PRIORITIES = ['less urgent', 'urgent', 'very urgent', 'top priority'] as const;
export type Priority = (typeof PRIORITIES)[number];

/** TLP 2.0 labels, least restrictive first. */
export const TLP_LEVELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] as const;
export type Tlp = (typeof TLP_LEVELS)[number];

export interface TaskScope {
  type: ScopeType;
  id: string;
  name: string;
  ngiId: string | null;
  ngiName: string | null;
}

/** A task as lists show it (GET /api/v1/tasks, /task-attention). */
export interface Task {
  taskId: string;
  scope: TaskScope;
  taskType: string;
  priority: string;
  title: string;
  tlp: string;
  subject: { type: string; id: string } | null;
  status: TaskStatus;
  /** Which answer the deadline is for. */
  measures: 'acknowledge' | 'resolve';
  dueAt: string;
  overdue: boolean;
  dueSoon: boolean;
  open: boolean;
  createdAt: string;
  createdBy: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  cancelledAt: string | null;
  escalation: { warnedAt: string | null; ngiAt: string | null; csirtAt: string | null };
  checklist: { instanceId: string; step: number } | null;
  helpdesk: { ticketId: string; state: string | null } | null;
  /** The reader's permissions on this task, as the server decided. */
  abilities: string[];
}

export interface TaskEvent {
  eventId: string;
  kind: string;
  actor: string;
  via: Via | string;
  body: string | null;
  at: string;
}

export interface TaskAttachment {
  attachmentId: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
  addedBy: string;
  addedAt: string;
}

export interface TaskMessage {
  channel: string;
  recipient: string;
  eventType: string;
  status: string;
  createdAt: string;
  sentAt: string | null;
}

/** GET /api/v1/tasks/:taskId */
export interface TaskDetail extends Task {
  description: string;
  rule: { ruleId: string; source: string; amount: number; unit: string; validFrom: string; validTo: string | null } | null;
  warnAt: string;
  csirtAt: string;
  acknowledgedBy: string | null;
  resolvedBy: string | null;
  events: TaskEvent[];
  attachments: TaskAttachment[];
  messages: TaskMessage[];
}

export interface TaskAttention {
  overdue: number;
  dueSoon: number;
  next: Task[];
}

export interface NewTaskInput {
  targets: Array<{ type: ScopeType; id: string }>;
  taskType: string;
  priority: Priority;
  title: string;
  description: string;
  tlp: Tlp;
  dueAt?: string;
  mirrorToHelpdesk: boolean;
}

export interface ChecklistStep {
  title: string;
  description: string;
  party: 'addressee' | 'ngi' | 'federation';
  amount: number;
  unit: string;
}

export interface ChecklistTemplate {
  templateId: string;
  name: string;
  description: string;
  ordered: boolean;
  scopeType: ScopeType;
  steps: ChecklistStep[];
  builtin: boolean;
  updatedAt: string;
}

export interface Checklist {
  instanceId: string;
  title: string;
  scope: { type: ScopeType; id: string; name: string };
  status: string;
  steps: number;
  done: number;
  late: number;
  open: number;
  /** "9 of 14 steps done, 2 late" */
  summary: string;
  createdAt: string;
  createdBy: string;
}
