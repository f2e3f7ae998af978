// One hook per patch monitoring resource, over one key factory; tag and feed changes refresh what shows them.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, retryTransientOnce, type QueryValue } from '../../lib/api';
import type { Page } from '../../lib/types';
import { useCan } from '../../lib/session';
import type {
  CveDetail,
  CveTag,
  PatchingSummary,
  EnrolmentToken,
  Feed,
  FindingException,
  HostDetail,
  HostRow,
  QuarantineEntry,
  QuarantineStatus,
  TimeToPatch,
} from './types';

export type HostQuery = Record<string, QueryValue>;
export interface QuarantineQuery {
  status: QuarantineStatus;
  offset: number;
  [key: string]: QueryValue;
}

export const patchingKeys = {
  all: ['patching'] as const,
  hosts: { list: (q: HostQuery) => ['patching', 'hosts', 'list', q] as const, detail: (id: string) => ['patching', 'hosts', 'detail', id] as const },
  cve: (id: string) => ['patching', 'cves', id] as const,
  timeToPatch: (id: string) => ['patching', 'cves', id, 'time-to-patch'] as const,
  quarantine: (q: QuarantineQuery) => ['patching', 'quarantine', q] as const,
  summary: (ngiId: string | undefined) => ['patching', 'summary', ngiId ?? ''] as const,
  tags: () => ['patching', 'tags'] as const,
  feeds: () => ['patching', 'feeds'] as const,
  enrolmentTokens: (siteId: string) => ['patching', 'enrolment-tokens', siteId] as const,
  reportPolicy: (siteId: string) => ['patching', 'report-policy', siteId] as const,
  exceptions: (q: ExceptionQuery) => ['patching', 'exceptions', q] as const,
};

export interface ExceptionQuery {
  siteId?: string;
  cve?: string;
  hostId?: string;
  status?: 'pending' | 'accepted' | 'rejected';
  [key: string]: QueryValue;
}

const enc = encodeURIComponent;

export const useHosts = (q: HostQuery) =>
  useQuery({
    queryKey: patchingKeys.hosts.list(q),
    queryFn: () => api<Page<HostRow>>('/api/v1/hosts', { query: q }),
    placeholderData: keepPreviousData,
    retry: retryTransientOnce,
  });
export const useHost = (id: string) =>
  useQuery({ queryKey: patchingKeys.hosts.detail(id), queryFn: () => api<HostDetail>(`/api/v1/hosts/${enc(id)}`), retry: retryTransientOnce });
export const useCve = (id: string) =>
  useQuery({ queryKey: patchingKeys.cve(id), queryFn: () => api<CveDetail>(`/api/v1/cves/${enc(id)}`), retry: retryTransientOnce });
/** Whether the quarantine is for this session (the server decides per entry). */
export function useReviewsQuarantine(): boolean {
  return useCan()('quarantine:review');
}

export const useTimeToPatch = (id: string) =>
  useQuery({
    queryKey: patchingKeys.timeToPatch(id),
    queryFn: () => api<TimeToPatch>(`/api/v1/cves/${enc(id)}/time-to-patch`),
    retry: retryTransientOnce,
  });
export const useQuarantine = (q: QuarantineQuery) =>
  useQuery({
    queryKey: patchingKeys.quarantine(q),
    queryFn: () => api<Page<QuarantineEntry>>('/api/v1/report-quarantine', { query: q }),
    placeholderData: keepPreviousData,
    retry: retryTransientOnce,
  });
export const useCveTags = () =>
  useQuery({ queryKey: patchingKeys.tags(), queryFn: () => api<{ allowedTags: string[]; items: CveTag[] }>('/api/v1/cve-tags'), retry: retryTransientOnce });
export const useFeeds = (refetchInterval?: number) =>
  useQuery({
    queryKey: patchingKeys.feeds(),
    queryFn: () => api<{ items: Feed[] }>('/api/v1/feeds'),
    retry: retryTransientOnce,
    refetchInterval,
  });
export const useEnrolmentTokens = (siteId: string) =>
  useQuery({
    queryKey: patchingKeys.enrolmentTokens(siteId),
    queryFn: () => api<{ items: EnrolmentToken[] }>(`/api/v1/sites/${enc(siteId)}/enrolment-tokens`),
    retry: retryTransientOnce,
  });

function usePatchingMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: patchingKeys.all });
      await client.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

export const useTagCve = () =>
  usePatchingMutation((body: { cve: string; tag: string; reason: string; arch?: string }) => api<CveTag>('/api/v1/cve-tags', { method: 'POST', json: body }));
export const useUntagCve = () =>
  usePatchingMutation((t: { cve: string; tag: string; arch: string | null }) =>
    api<void>(`/api/v1/cve-tags/${enc(t.cve)}/${enc(t.tag)}`, { method: 'DELETE', query: { arch: t.arch ?? undefined } }),
  );
export const useEditTag = () =>
  usePatchingMutation((t: { cve: string; tag: string; arch: string | null; change: { tag?: string; reason?: string } }) =>
    api<CveTag>(`/api/v1/cve-tags/${enc(t.cve)}/${enc(t.tag)}`, { method: 'PATCH', query: { arch: t.arch ?? undefined }, json: t.change }),
  );

export const useExceptions = (q: ExceptionQuery) =>
  useQuery({
    queryKey: patchingKeys.exceptions(q),
    queryFn: () => api<{ items: FindingException[] }>('/api/v1/exceptions', { query: q }),
    retry: retryTransientOnce,
  });
export interface NewException {
  siteId: string;
  cve: string;
  hostId?: string;
  packageName?: string;
  justification: string;
  expiresAt: string;
}
export const useCreateException = () =>
  usePatchingMutation((body: NewException) => api<FindingException>('/api/v1/exceptions', { method: 'POST', json: body }));
export const useRevokeException = () => usePatchingMutation((id: string) => api<void>(`/api/v1/exceptions/${enc(id)}/revoke`, { method: 'POST' }));
export const useAcceptException = () => usePatchingMutation((id: string) => api<FindingException>(`/api/v1/exceptions/${enc(id)}/accept`, { method: 'POST' }));
export const useRejectException = () =>
  usePatchingMutation((r: { id: string; reason: string }) =>
    api<FindingException>(`/api/v1/exceptions/${enc(r.id)}/reject`, { method: 'POST', json: { reason: r.reason } }),
  );

export const useRefreshFeed = () =>
  usePatchingMutation((feedId: string) => api<{ jobId: string | null }>(`/api/v1/feeds/${enc(feedId)}/refresh`, { method: 'POST' }));
export const useCreateEnrolmentToken = (siteId: string) =>
  usePatchingMutation((name: string) =>
    api<{ token: string; tokenId: string; name: string; prefix: string }>(`/api/v1/sites/${enc(siteId)}/enrolment-tokens`, { method: 'POST', json: { name } }),
  );
export const useRevokeEnrolmentToken = (siteId: string) =>
  usePatchingMutation((tokenId: string) => api<void>(`/api/v1/sites/${enc(siteId)}/enrolment-tokens/${enc(tokenId)}/revoke`, { method: 'POST' }));
export const useReleaseQuarantined = () =>
  usePatchingMutation((r: { quarantineId: string; siteId: string }) =>
    api<QuarantineEntry>(`/api/v1/report-quarantine/${enc(r.quarantineId)}/release`, { method: 'POST', json: { siteId: r.siteId } }),
  );
export const useRejectQuarantined = () =>
  usePatchingMutation((r: { quarantineId: string; reason: string }) =>
    api<QuarantineEntry>(`/api/v1/report-quarantine/${enc(r.quarantineId)}/reject`, { method: 'POST', json: { reason: r.reason } }),
  );

export const useReportPolicy = (siteId: string) =>
  useQuery({
    queryKey: patchingKeys.reportPolicy(siteId),
    queryFn: () => api<{ anonymousAllowed: boolean }>(`/api/v1/sites/${enc(siteId)}/report-policy`),
    retry: retryTransientOnce,
  });

export const usePatchingSummary = (ngiId: string | undefined) =>
  useQuery({
    queryKey: patchingKeys.summary(ngiId),
    queryFn: () => api<PatchingSummary>('/api/v1/patching/summary', { query: { ngiId } }),
    retry: retryTransientOnce,
  });
