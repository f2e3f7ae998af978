// Audit events: the whole log, or one object's history.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, retryTransientOnce, type QueryValue } from '../../lib/api';
import type { AuditEvent, Page } from '../../lib/types';

type AuditQuery = Record<string, QueryValue>;

export const auditKeys = {
  all: ['audit'] as const,
  list: (q: AuditQuery) => ['audit', 'list', q] as const,
};

export const useAuditEvents = (q: AuditQuery, enabled = true) =>
  useQuery({
    queryKey: auditKeys.list(q),
    queryFn: () => api<Page<AuditEvent>>('/api/v1/audit', { query: q }),
    placeholderData: keepPreviousData,
    enabled,
    retry: retryTransientOnce,
  });
