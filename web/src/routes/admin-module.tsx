// Administration pages: GOCDB import, API tokens, the audit log and background jobs.
import type { WebModule } from '../lib/module-kit';
import { ImportPage } from './imports/import-page';
import { TokensPage } from './tokens/tokens-page';
import { AuditLogPage } from './audit/audit-page';
import { JobsPage } from './jobs/jobs-page';

export const adminModule: WebModule = {
  name: 'administration',
  routes: [
    ['/admin/import', () => <ImportPage />],
    ['/admin/tokens', () => <TokensPage />],
    ['/admin/audit', () => <AuditLogPage />],
    ['/admin/jobs', () => <JobsPage />],
  ],
  nav: [
    { to: '/admin/import', label: 'GOCDB import', section: 'administration', permission: 'import:gocdb' },
    { to: '/admin/tokens', label: 'API tokens', section: 'administration', permission: 'token:own' },
    // The whole log is for federation-level readers; others read one object's history on its page.
    { to: '/admin/audit', label: 'Audit log', section: 'administration', federationPermission: 'audit:read' },
    { to: '/admin/jobs', label: 'Jobs', section: 'administration', permission: 'job:read' },
  ],
};
