// Notifications: one's own settings; for holders of notification:manage the outbox, its dead
// letters and their replay, webhook endpoints and inbound mail held for review. One hook per
// resource over one key factory (wire shapes: src/modules/notifications/routes.ts).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, retryTransientOnce } from '../../lib/api';

export interface NotificationSettings {
  /** null: as the registry's notification flag of the person's site says. */
  email: boolean | null;
  digest: boolean;
  updatedAt?: string | null;
}

export type MessageStatus = 'pending' | 'sent' | 'dead' | 'digest';
export interface OutboxMessage {
  messageId: string;
  channel: string;
  headerId: string;
  recipient: string;
  eventType: string;
  tlp: string;
  subject: string;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  ref: { type: string; id: string } | null;
}
export interface Outbox {
  mailConfigured: boolean;
  counts: Array<{ channel: string; status: string; n: number }>;
  messages: OutboxMessage[];
}

export interface WebhookEndpoint {
  endpointId: string;
  url: string;
  eventTypes: string[];
  description: string;
  createdAt: string;
  disabledAt: string | null;
}
export interface NewWebhook {
  url: string;
  eventTypes: string[];
  description: string;
}

export interface InboundMail {
  mailId: string;
  sender: string;
  subject: string;
  status: string;
  reason: string | null;
  taskId: string | null;
  receivedAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  excerpt: string;
}

export const notificationKeys = {
  all: ['notifications'] as const,
  settings: () => ['notifications', 'settings'] as const,
  outbox: (status: MessageStatus | undefined, before: string | undefined) => ['notifications', 'outbox', status ?? '', before ?? ''] as const,
  webhooks: () => ['notifications', 'webhooks'] as const,
  inbound: (status: string) => ['notifications', 'inbound-mail', status] as const,
};

const enc = encodeURIComponent;

export const useNotificationSettings = () =>
  useQuery({
    queryKey: notificationKeys.settings(),
    queryFn: () => api<NotificationSettings>('/api/v1/me/notification-settings'),
    retry: retryTransientOnce,
  });
export const useOutbox = (status: MessageStatus | undefined, before?: string) =>
  useQuery({
    queryKey: notificationKeys.outbox(status, before),
    queryFn: () => api<Outbox>('/api/v1/outbox-messages', { query: { status, before } }),
    placeholderData: keepPreviousData,
    retry: retryTransientOnce,
  });
export const useWebhooks = () =>
  useQuery({ queryKey: notificationKeys.webhooks(), queryFn: () => api<{ items: WebhookEndpoint[] }>('/api/v1/webhook-endpoints'), retry: retryTransientOnce });
export const useHeldMail = () =>
  useQuery({
    queryKey: notificationKeys.inbound('held'),
    queryFn: () => api<{ items: InboundMail[] }>('/api/v1/inbound-mail', { query: { status: 'held' } }),
    retry: retryTransientOnce,
  });

function useNotificationMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: notificationKeys.all });
      await client.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

export const useSaveNotificationSettings = () =>
  useNotificationMutation((body: { email: boolean | null; digest: boolean }) =>
    api<NotificationSettings>('/api/v1/me/notification-settings', { method: 'PUT', json: body }),
  );
export const useReplayMessage = () =>
  useNotificationMutation((messageId: string) =>
    api<{ messageId: string; status: string }>(`/api/v1/outbox-messages/${enc(messageId)}/replay`, { method: 'POST' }),
  );
export const useAddWebhook = () =>
  useNotificationMutation((body: NewWebhook) =>
    api<{ endpointId: string; url: string; eventTypes: string[]; secret: string }>('/api/v1/webhook-endpoints', { method: 'POST', json: body }),
  );
export const useDisableWebhook = () =>
  useNotificationMutation((endpointId: string) => api<void>(`/api/v1/webhook-endpoints/${enc(endpointId)}`, { method: 'DELETE' }));
export const useDiscardMail = () => useNotificationMutation((mailId: string) => api<void>(`/api/v1/inbound-mail/${enc(mailId)}/discard`, { method: 'POST' }));
