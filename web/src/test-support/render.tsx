// Renders one view as main.tsx and app.tsx do (strict mode, one QueryClient, a signed-in session,
// every part's site panels, the address set), and finds the states every view draws: loading,
// error with Retry.
import { StrictMode, type ReactElement } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { SessionProvider } from '../lib/session';
import { ModulePanelsProvider } from '../lib/module-kit';
import { MODULES } from '../modules';
import type { Session } from '../lib/types';

const CSIRT = [
  'audit:read',
  'cve:tag',
  'exception:review',
  'feed:manage',
  'job:read',
  'lifecycle:manage',
  'patching:read',
  'quarantine:review',
  'registry:read',
  'report-policy:manage',
  'token:own',
];
const READ_ONLY = ['patching:read', 'registry:read', 'token:own'];

/** Sessions as GET /api/v1/auth/session answers them (permissions as in src/core/roles.ts). */
export const SESSIONS = {
  csirt: {
    personId: 'p-csirt',
    label: 'Carla CSIRT',
    grants: [{ role: 'csirt', scopeType: 'federation', scopeId: '' }],
    permissions: CSIRT,
    federationPermissions: CSIRT,
  },
  siteAdmin: {
    personId: 'p-admin',
    label: 'Sam Site-Admin',
    grants: [{ role: 'site-admin', scopeType: 'site', scopeId: 's-tromso' }],
    permissions: ['audit:read', 'endpoint:write', 'enrolment:manage', 'patching:read', 'registry:read', 'site:write', 'token:own'],
    federationPermissions: [],
  },
  readOnly: {
    personId: 'p-reader',
    label: 'Rita Reader',
    grants: [{ role: 'read-only', scopeType: 'federation', scopeId: '' }],
    permissions: READ_ONLY,
    federationPermissions: READ_ONLY,
  },
} satisfies Record<string, Session>;

const clients: QueryClient[] = [];

/** Drops every cached query between tests. */
export function clearQueryClients(): void {
  for (const client of clients.splice(0)) client.clear();
}

/** As main.tsx sets it up, but retries come at once, so an error state shows without waiting. */
function testQueryClient(): QueryClient {
  const client = new QueryClient({
    defaultOptions: {
      queries: { staleTime: 15_000, refetchOnWindowFocus: false, retryDelay: 0, gcTime: Infinity },
      mutations: { retry: false },
    },
  });
  clients.push(client);
  return client;
}

export function renderView(ui: ReactElement, { path = '/', session = SESSIONS.csirt }: { path?: string; session?: Session } = {}) {
  window.history.replaceState(null, '', path);
  const client = testQueryClient();
  const user = userEvent.setup();
  const result = render(
    <StrictMode>
      <QueryClientProvider client={client}>
        <SessionProvider session={session}>
          <ModulePanelsProvider modules={MODULES}>{ui}</ModulePanelsProvider>
        </SessionProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
  return { ...result, user, client };
}

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, ' ').trim();

/** The loading state of components/states.tsx: a status saying "Loading <label>…". */
export function findLoading(label: string): Promise<HTMLElement> {
  return waitFor(() => {
    const found = screen.getAllByRole('status').find((el) => text(el) === `Loading ${label}…`);
    if (!found) throw new Error(`no status "Loading ${label}…"; statuses: ${screen.queryAllByRole('status').map(text).join(' | ')}`);
    return found;
  });
}

/** The error state: an alert saying "Could not load <label>.", and its Retry button. */
export async function findError(label: string): Promise<{ alert: HTMLElement; retry: HTMLElement }> {
  const alert = await waitFor(() => {
    const found = screen.getAllByRole('alert').find((el) => text(el).startsWith(`Could not load ${label}.`));
    if (!found) throw new Error(`no alert "Could not load ${label}."; alerts: ${screen.queryAllByRole('alert').map(text).join(' | ')}`);
    return found;
  });
  return { alert, retry: within(alert).getByRole('button', { name: 'Retry' }) };
}
