// One hook per site tasks resource, over one key factory; every change refreshes the tasks, the
// checklists (their progress counts the tasks) and the audit log.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, retryTransientOnce, type QueryValue } from '../../lib/api';
import type { Page } from '../../lib/types';
import type { Checklist, ChecklistTemplate, NewTaskInput, Task, TaskAttachment, TaskAttention, TaskDetail } from './types';

export type TaskQuery = Record<string, QueryValue>;

export const taskKeys = {
  all: ['tasks'] as const,
  list: (q: TaskQuery) => ['tasks', 'list', q] as const,
  detail: (id: string) => ['tasks', 'detail', id] as const,
  attention: () => ['tasks', 'attention'] as const,
  checklists: () => ['tasks', 'checklists'] as const,
  templates: () => ['tasks', 'checklist-templates'] as const,
};

const enc = encodeURIComponent;

export const useTasks = (q: TaskQuery) =>
  useQuery({
    queryKey: taskKeys.list(q),
    queryFn: () => api<Page<Task>>('/api/v1/tasks', { query: q }),
    placeholderData: keepPreviousData,
    retry: retryTransientOnce,
  });
export const useTask = (id: string) =>
  useQuery({ queryKey: taskKeys.detail(id), queryFn: () => api<TaskDetail>(`/api/v1/tasks/${enc(id)}`), retry: retryTransientOnce });
export const useTaskAttention = () =>
  useQuery({ queryKey: taskKeys.attention(), queryFn: () => api<TaskAttention>('/api/v1/task-attention'), retry: retryTransientOnce });
export const useChecklists = () =>
  useQuery({ queryKey: taskKeys.checklists(), queryFn: () => api<{ items: Checklist[] }>('/api/v1/checklists'), retry: retryTransientOnce });
export const useChecklistTemplates = (enabled = true) =>
  useQuery({
    queryKey: taskKeys.templates(),
    queryFn: () => api<{ items: ChecklistTemplate[] }>('/api/v1/checklist-templates'),
    retry: retryTransientOnce,
    enabled,
  });

// The deadline rules are read where they are managed (one query, refreshed when a rule changes).
export { useDeadlineRules } from './deadlines-page';

/** The task types deadline rules exist for: the types a task may be opened with. */
export const taskTypesOf = (rules: ReadonlyArray<{ taskType: string }>): string[] => [...new Set(rules.map((r) => r.taskType))].sort();

function useTaskMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: taskKeys.all });
      await client.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

export const useCreateTasks = () => useTaskMutation((body: NewTaskInput) => api<{ items: Task[] }>('/api/v1/tasks', { method: 'POST', json: body }));
export const useAnswerTask = (taskId: string) =>
  useTaskMutation((a: { action: 'acknowledge' | 'resolve'; comment?: string }) =>
    api<Task>(`/api/v1/tasks/${enc(taskId)}/${a.action}`, { method: 'POST', json: a.comment ? { comment: a.comment } : {} }),
  );
export const useCancelTask = (taskId: string) =>
  useTaskMutation((reason: string) => api<Task>(`/api/v1/tasks/${enc(taskId)}/cancel`, { method: 'POST', json: { reason } }));
export const useCommentTask = (taskId: string) =>
  useTaskMutation((body: string) => api<void>(`/api/v1/tasks/${enc(taskId)}/comments`, { method: 'POST', json: { body } }));
export const useAttachToTask = (taskId: string) =>
  useTaskMutation((file: { fileName: string; contentType: string; contentBase64: string }) =>
    api<TaskAttachment>(`/api/v1/tasks/${enc(taskId)}/attachments`, { method: 'POST', json: file }),
  );
export const useStartChecklist = () =>
  useTaskMutation((body: { templateId: string; title: string; target: { type: string; id: string } }) =>
    api<{ instanceId: string }>('/api/v1/checklists', { method: 'POST', json: body }),
  );

/** Where an attachment downloads from (the server always sends it as a download). */
export const attachmentUrl = (taskId: string, attachmentId: string) => `/api/v1/tasks/${enc(taskId)}/attachments/${enc(attachmentId)}`;
