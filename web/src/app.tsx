// The route table and the signed-in / signed-out switch.
import { useEffect, type ReactNode } from 'react';
import { matchPath, navigate, useLocation } from './lib/router';
import { SessionProvider, useSessionQuery } from './lib/session';
import { ErrorState, Loading, NotFound } from './components/states';
import { AppShell } from './shell/app-shell';
import { LoginPage } from './routes/auth/login-page';
import { OverviewPage } from './routes/overview/overview-page';
import { NgiDetailPage, NgiEditPage, NgiForm, NgiListPage } from './routes/registry/ngis';
import { SitesListPage } from './routes/registry/sites-list';
import { SiteDetailPage } from './routes/registry/site-detail';
import { SiteEditPage, SiteForm } from './routes/registry/site-form';
import { EndpointsListPage } from './routes/registry/endpoints-list';
import { EndpointEditPage, EndpointNewPage } from './routes/registry/endpoint-form';
import { VoDetailPage, VoEditPage, VoForm, VoListPage } from './routes/registry/vos';
import { PeopleListPage, PersonDetailPage } from './routes/registry/people';
import { PersonEditPage, PersonForm } from './routes/registry/person-form';
import { RolesPage } from './routes/registry/roles';
import { ImportPage } from './routes/imports/import-page';
import { TokensPage } from './routes/tokens/tokens-page';
import { AuditLogPage } from './routes/audit/audit-page';
import { JobsPage } from './routes/jobs/jobs-page';
import { PLANNED_PARTS, PlaceholderPage } from './routes/placeholder/placeholder-page';
import { PATCHING_ROUTES } from './routes/patching/routes';

type Route = [pattern: string, render: (p: Record<string, string>) => ReactNode];

const ROUTES: Route[] = [
  ['/', () => <OverviewPage />],
  ['/registry/ngis', () => <NgiListPage />],
  ['/registry/ngis/new', () => <NgiForm />],
  ['/registry/ngis/:id', (p) => <NgiDetailPage ngiId={p.id!} />],
  ['/registry/ngis/:id/edit', (p) => <NgiEditPage ngiId={p.id!} />],
  ['/registry/sites', () => <SitesListPage />],
  ['/registry/sites/new', () => <SiteForm />],
  ['/registry/sites/:id', (p) => <SiteDetailPage siteId={p.id!} />],
  ['/registry/sites/:id/edit', (p) => <SiteEditPage siteId={p.id!} />],
  ['/registry/sites/:id/endpoints/:endpointId/edit', (p) => <EndpointEditPage siteId={p.id!} endpointId={p.endpointId!} />],
  ['/registry/endpoints', () => <EndpointsListPage />],
  ['/registry/endpoints/new', () => <EndpointNewPage />],
  ['/registry/vos', () => <VoListPage />],
  ['/registry/vos/new', () => <VoForm />],
  ['/registry/vos/:id', (p) => <VoDetailPage voId={p.id!} />],
  ['/registry/vos/:id/edit', (p) => <VoEditPage voId={p.id!} />],
  ['/registry/people', () => <PeopleListPage />],
  ['/registry/people/new', () => <PersonForm />],
  ['/registry/people/:id', (p) => <PersonDetailPage personId={p.id!} />],
  ['/registry/people/:id/edit', (p) => <PersonEditPage personId={p.id!} />],
  ['/registry/roles', () => <RolesPage />],
  ['/admin/import', () => <ImportPage />],
  ['/admin/tokens', () => <TokensPage />],
  ['/admin/audit', () => <AuditLogPage />],
  ['/admin/jobs', () => <JobsPage />],
  ...PATCHING_ROUTES,
  ...PLANNED_PARTS.map((part): Route => [part.path, () => <PlaceholderPage part={part} />]),
];

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

  if (session.isPending) return <div className="boot"><Loading label="Vigil" /></div>;
  if (session.isError) return <div className="boot"><ErrorState label="your session" error={session.error} onRetry={() => void session.refetch()} /></div>;
  if (!session.data) return <LoginPage />;
  return (
    <SessionProvider session={session.data}>
      <AppShell><Page path={path === '/login' ? '/' : path} /></AppShell>
    </SessionProvider>
  );
}
