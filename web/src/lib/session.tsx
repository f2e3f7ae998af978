// Who is signed in: one query over /api/v1/auth/session, with sign-in and sign-out mutations.
import { createContext, useContext, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken } from './api';
import type { Session } from './types';

export const sessionKeys = { current: ['session'] as const };

async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api<Session>('/api/v1/auth/session', { quiet401: true });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useSessionQuery() {
  return useQuery({ queryKey: sessionKeys.current, queryFn: fetchSession, staleTime: 60_000, retry: false });
}

/** Drops the previous user's data; the session query itself stays, since the shell observes it. */
function forgetEverythingButSession(client: QueryClient): void {
  client.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKeys.current[0] });
}

export function useLogin() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) => api<Session>('/api/v1/auth/login', { method: 'POST', json: input, quiet401: true }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      forgetEverythingButSession(client);
      client.setQueryData(sessionKeys.current, session);
    },
  });
}

export function useLogout() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/v1/auth/logout', { method: 'POST', quiet401: true }),
    onSettled: () => {
      setCsrfToken(undefined);
      forgetEverythingButSession(client);
      client.setQueryData(sessionKeys.current, null);
    },
  });
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

/** The signed-in session; only used below the shell, which renders only when signed in. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in shell');
  return session;
}

/** Whether the session holds a permission somewhere (the server still checks the scope). */
export function useCan(): (permission: string) => boolean {
  const session = useSession();
  return (permission) => session.permissions.includes(permission);
}
