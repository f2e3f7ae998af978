// Entry point: one QueryClient, a 401 anywhere sends the user back to sign-in.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { setUnauthenticatedHandler } from './lib/api';
import { sessionKeys } from './lib/session';
import { App } from './app';
import './styles.css';

const client = new QueryClient({
  defaultOptions: { queries: { staleTime: 15_000, refetchOnWindowFocus: false }, mutations: { retry: false } },
});
setUnauthenticatedHandler(() => client.setQueryData(sessionKeys.current, null));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
