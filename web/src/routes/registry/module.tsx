// The registry in the web client: NGIs, sites, endpoints, VOs, people and roles.
import type { WebModule } from '../../lib/module-kit';
import { NgiDetailPage, NgiEditPage, NgiForm, NgiListPage } from './ngis';
import { SitesListPage } from './sites-list';
import { SiteDetailPage } from './site-detail';
import { SiteEditPage, SiteForm } from './site-form';
import { EndpointsListPage } from './endpoints-list';
import { EndpointEditPage, EndpointNewPage } from './endpoint-form';
import { VoDetailPage, VoEditPage, VoForm, VoListPage } from './vos';
import { PeopleListPage, PersonDetailPage } from './people';
import { PersonEditPage, PersonForm } from './person-form';
import { RolesPage } from './roles';

export const registryModule: WebModule = {
  name: 'registry',
  routes: [
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
  ],
  nav: [
    { to: '/registry/ngis', label: 'NGIs', section: 'registry' },
    { to: '/registry/sites', label: 'Sites', section: 'registry' },
    { to: '/registry/endpoints', label: 'Service endpoints', section: 'registry' },
    { to: '/registry/vos', label: 'VOs', section: 'registry' },
    { to: '/registry/people', label: 'People', section: 'registry' },
    { to: '/registry/roles', label: 'Roles', section: 'registry' },
  ],
};
