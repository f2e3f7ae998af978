// API tokens: list, create (the secret is returned once), revoke.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, retryTransientOnce } from '../../lib/api';
import type { ApiToken } from '../../lib/types';

export const tokenKeys = { all: ['tokens'] as const, list: () => ['tokens', 'list'] as const };

export const useTokens = () => useQuery({ queryKey: tokenKeys.list(), queryFn: () => api<{ items: ApiToken[] }>('/api/v1/tokens'), retry: retryTransientOnce });

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; permissions: string[]; expiresInDays: number }) =>
      api<{ token: string; record: ApiToken }>('/api/v1/tokens', { method: 'POST', json: body }),
    onSuccess: () => client.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) => api<void>(`/api/v1/tokens/${encodeURIComponent(tokenId)}/revoke`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: tokenKeys.all }),
  });
}
