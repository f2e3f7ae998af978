// The route table (built from the parts in ./modules.ts) and the signed-in / signed-out switch.
import { useEffect } from 'react';
import { matchPath, navigate, useLocation } from './lib/router';
import { SessionProvider, useSessionQuery } from './lib/session';
import { ErrorState, Loading, NotFound } from './components/states';
import { AppShell } from './shell/app-shell';
import { LoginPage } from './routes/auth/login-page';
import { OverviewPage } from './routes/overview/overview-page';
import { ModulePanelsProvider, type PageRoute } from './lib/module-kit';
import { MODULES } from './modules';

const ROUTES: PageRoute[] = [['/', () => <OverviewPage />], ...MODULES.flatMap((m) => m.routes)];

function Page({ path }: { path: string }) {
  for (const [pattern, render] of ROUTES) {
    const params = matchPath(pattern, path);
    if (params) return <>{render(params)}</>;
  }
  return <NotFound what="page" detail={`There is no page at ${path}.`} />;
}

export function App() {
  const session = useSessionQuery();
  const { path, search } = useLocation();
  const signedIn = Boolean(session.data);

  useEffect(() => {
    if (session.isPending || session.isError) return;
    if (!signedIn && path !== '/login') {
      const here = path + (search.toString() ? `?${search.toString()}` : '');
      navigate(here === '/' ? '/login' : `/login?next=${encodeURIComponent(here)}`, { replace: true });
    }
    if (signedIn && path === '/login') {
      const next = search.get('next');
      navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
  }, [session.isPending, session.isError, signedIn, path, search]);

  if (session.isPending)
    return (
      <div className="boot">
        <Loading label="Vigil" />
      </div>
    );
  if (session.isError)
    return (
      <div className="boot">
        <ErrorState label="your session" error={session.error} onRetry={() => void session.refetch()} />
      </div>
    );
  if (!session.data) return <LoginPage />;
  return (
    <SessionProvider session={session.data}>
      <ModulePanelsProvider modules={MODULES}>
        <AppShell>
          <Page path={path === '/login' ? '/' : path} />
        </AppShell>
      </ModulePanelsProvider>
    </SessionProvider>
  );
}
