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
  FeedInput,
  FindingException,
  HostDetail,
  HostRow,
  JobProgress,
  LifecycleRule,
  LifecycleRuleHost,
  LifecycleRuleInput,
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
  lifecycleRules: () => ['patching', 'lifecycle-rules'] as const,
  exceptionPolicy: () => ['patching', 'exception-policy'] as const,
  lifecycleRuleHosts: (id: string, q: Record<string, QueryValue>) => ['patching', 'lifecycle-rules', id, 'hosts', q] as const,
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
/** Feeds, polled while a refresh or the re-evaluation of hosts is under way. */
export const useFeeds = () =>
  useQuery({
    queryKey: patchingKeys.feeds(),
    queryFn: () => api<{ items: Feed[]; reevaluation: JobProgress | null }>('/api/v1/feeds'),
    retry: retryTransientOnce,
    refetchInterval: (q) => (q.state.data?.reevaluation || q.state.data?.items.some((f) => f.refresh) ? 3000 : false),
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

export interface ExceptionPolicy {
  allowedTags: string[];
  autoAcceptTags: string[];
}
export const useExceptionPolicy = () =>
  useQuery({ queryKey: patchingKeys.exceptionPolicy(), queryFn: () => api<ExceptionPolicy>('/api/v1/exception-policy'), retry: retryTransientOnce });
export const useSetExceptionPolicy = () =>
  usePatchingMutation((autoAcceptTags: string[]) => api<ExceptionPolicy>('/api/v1/exception-policy', { method: 'PUT', json: { autoAcceptTags } }));

/** Uploads the file when one is given, registers the feed from it (or from the source typed), and queues its first refresh. */
export const useAddFeed = () =>
  usePatchingMutation(async ({ input, file, replace }: { input: FeedInput; file?: File | undefined; replace?: boolean }) => {
    const source = file
      ? (await api<{ source: string }>(`/api/v1/feed-files/${enc(file.name)}`, { method: 'PUT', file, query: { replace: replace || undefined } })).source
      : input.source;
    const feed = await api<Feed>('/api/v1/feeds', { method: 'POST', json: { ...input, source } });
    await api<{ jobId: string | null }>(`/api/v1/feeds/${enc(feed.feedId)}/refresh`, { method: 'POST' });
    return feed;
  });
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

export const useLifecycleRules = () =>
  useQuery({
    queryKey: patchingKeys.lifecycleRules(),
    queryFn: () => api<{ items: LifecycleRule[] }>('/api/v1/lifecycle-rules'),
    retry: retryTransientOnce,
  });
export const useLifecycleRuleHosts = (id: string, q: Record<string, QueryValue>) =>
  useQuery({
    queryKey: patchingKeys.lifecycleRuleHosts(id, q),
    queryFn: () => api<Page<LifecycleRuleHost>>(`/api/v1/lifecycle-rules/${enc(id)}/hosts`, { query: q }),
    placeholderData: keepPreviousData,
    retry: retryTransientOnce,
  });
export const useCreateLifecycleRule = () =>
  usePatchingMutation((body: LifecycleRuleInput) => api<LifecycleRule>('/api/v1/lifecycle-rules', { method: 'POST', json: body }));
export const useUpdateLifecycleRule = () =>
  usePatchingMutation((r: { ruleId: string; change: Partial<LifecycleRuleInput> }) =>
    api<LifecycleRule>(`/api/v1/lifecycle-rules/${enc(r.ruleId)}`, { method: 'PATCH', json: r.change }),
  );
export const useSetLifecycleRuleEnabled = () =>
  usePatchingMutation((r: { ruleId: string; enabled: boolean }) =>
    api<void>(`/api/v1/lifecycle-rules/${enc(r.ruleId)}/enabled`, { method: 'PUT', json: { enabled: r.enabled } }),
  );
