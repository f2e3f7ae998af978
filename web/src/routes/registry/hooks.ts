// One hook per registry resource, over one key factory; changes invalidate the registry and audit.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, retryTransientOnce, type QueryValue } from '../../lib/api';
import type { Endpoint, Ngi, NgiDetail, Page, Person, PersonDetail, RoleAssignment, Site, SiteDetail, Vo, VoDetail } from '../../lib/types';

export type ListQuery = Record<string, QueryValue>;

export const registryKeys = {
  all: ['registry'] as const,
  ngis: { list: (q: ListQuery) => ['registry', 'ngis', 'list', q] as const, detail: (id: string) => ['registry', 'ngis', 'detail', id] as const },
  sites: { list: (q: ListQuery) => ['registry', 'sites', 'list', q] as const, detail: (id: string) => ['registry', 'sites', 'detail', id] as const },
  endpoints: { list: (q: ListQuery) => ['registry', 'endpoints', 'list', q] as const },
  vos: { list: (q: ListQuery) => ['registry', 'vos', 'list', q] as const, detail: (id: string) => ['registry', 'vos', 'detail', id] as const },
  people: { list: (q: ListQuery) => ['registry', 'people', 'list', q] as const, detail: (id: string) => ['registry', 'people', 'detail', id] as const },
  roles: { list: (q: ListQuery) => ['registry', 'roles', 'list', q] as const },
};

const list = <T>(path: string, key: readonly unknown[], query: ListQuery) => ({
  queryKey: key,
  queryFn: () => api<Page<T>>(path, { query }),
  placeholderData: keepPreviousData,
  retry: retryTransientOnce,
});

export const useNgis = (q: ListQuery) => useQuery(list<Ngi>('/api/v1/ngis', registryKeys.ngis.list(q), q));
export const useSites = (q: ListQuery) => useQuery(list<Site>('/api/v1/sites', registryKeys.sites.list(q), q));
export const useEndpoints = (q: ListQuery) => useQuery(list<Endpoint>('/api/v1/endpoints', registryKeys.endpoints.list(q), q));
export const useVos = (q: ListQuery) => useQuery(list<Vo>('/api/v1/vos', registryKeys.vos.list(q), q));
export const usePeople = (q: ListQuery) => useQuery(list<Person>('/api/v1/people', registryKeys.people.list(q), q));
export const useRoles = (q: ListQuery) => useQuery(list<RoleAssignment>('/api/v1/roles', registryKeys.roles.list(q), q));

const detail = <T>(path: string, key: readonly unknown[], enabled = true) => ({
  queryKey: key,
  queryFn: () => api<T>(path),
  retry: retryTransientOnce,
  enabled,
});

export const useNgi = (id: string) => useQuery(detail<NgiDetail>(`/api/v1/ngis/${encodeURIComponent(id)}`, registryKeys.ngis.detail(id)));
export const useSite = (id: string) => useQuery(detail<SiteDetail>(`/api/v1/sites/${encodeURIComponent(id)}`, registryKeys.sites.detail(id)));
export const useVo = (id: string) => useQuery(detail<VoDetail>(`/api/v1/vos/${encodeURIComponent(id)}`, registryKeys.vos.detail(id)));
export const usePerson = (id: string) => useQuery(detail<PersonDetail>(`/api/v1/people/${encodeURIComponent(id)}`, registryKeys.people.detail(id)));

/** Every NGI in one list, for the NGI pickers (federations have tens, not thousands). */
export const useAllNgis = () => useNgis({ limit: 200, sort: 'name' });

function useRegistryMutation<I, O>(fn: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: registryKeys.all });
      await client.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

/** Create when there is no id, else PATCH only what is given. */
const save =
  <O>(collection: string) =>
  ({ id, body }: { id?: string; body: Record<string, unknown> }) =>
    id
      ? api<O>(`/api/v1/${collection}/${encodeURIComponent(id)}`, { method: 'PATCH', json: body })
      : api<O>(`/api/v1/${collection}`, { method: 'POST', json: body });

export const useSaveNgi = () => useRegistryMutation(save<Ngi>('ngis'));
export const useSaveSite = () => useRegistryMutation(save<Site>('sites'));
export const useSaveEndpoint = () => useRegistryMutation(save<Endpoint>('endpoints'));
export const useSaveVo = () => useRegistryMutation(save<Vo>('vos'));
export const useSavePerson = () => useRegistryMutation(save<Person>('people'));
export const useDeleteEndpoint = () => useRegistryMutation((id: string) => api<void>(`/api/v1/endpoints/${encodeURIComponent(id)}`, { method: 'DELETE' }));
export const useGrantRole = () =>
  useRegistryMutation((body: { personId: string; role: string; scopeType: string; scopeId?: string }) =>
    api<RoleAssignment>('/api/v1/roles', { method: 'POST', json: body }),
  );
export const useRevokeRole = () => useRegistryMutation((id: string) => api<void>(`/api/v1/roles/${encodeURIComponent(id)}`, { method: 'DELETE' }));
