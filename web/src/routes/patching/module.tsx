// Patch monitoring in the web client: its pages, its navigation entry, its panel on site pages
// and its panels on the home page.
import type { WebModule } from '../../lib/module-kit';
import { PatchOverviewPage } from './overview-page';
import { HostsListPage } from './hosts-list';
import { HostPage } from './host-page';
import { CvePage } from './cve-page';
import { CveListPage } from './cve-list-page';
import { PackageSearchPage } from './package-search-page';
import { RiskTagsPage } from './tags-page';
import { FeedsPage } from './feeds-page';
import { QuarantinePage } from './quarantine-page';
import { ExceptionsPage } from './exceptions-page';
import { LifecycleRulesPage } from './lifecycle-rules-page';
import { LifecycleRuleHostsPage } from './lifecycle-rule-hosts-page';
import { SitePatching } from './site-patching';
import { PatchingHome } from './home';

export const patchingModule: WebModule = {
  name: 'patching',
  routes: [
    ['/patch-monitoring', () => <PatchOverviewPage />],
    ['/patch-monitoring/hosts', () => <HostsListPage />],
    ['/patch-monitoring/hosts/:id', (p) => <HostPage hostId={p.id!} />],
    ['/patch-monitoring/cves', () => <CveListPage />],
    ['/patch-monitoring/cves/:id', (p) => <CvePage cveId={p.id!} />],
    ['/patch-monitoring/packages', () => <PackageSearchPage />],
    ['/patch-monitoring/tags', () => <RiskTagsPage />],
    ['/patch-monitoring/feeds', () => <FeedsPage />],
    ['/patch-monitoring/quarantine', () => <QuarantinePage />],
    ['/patch-monitoring/exceptions', () => <ExceptionsPage />],
    ['/patch-monitoring/lifecycle-rules', () => <LifecycleRulesPage />],
    ['/patch-monitoring/lifecycle-rules/:id', (p) => <LifecycleRuleHostsPage ruleId={p.id!} />],
  ],
  nav: [
    { to: '/patch-monitoring', label: 'Patch monitoring', section: 'operations', permission: 'patching:read' },
    { to: '/patch-monitoring/cves', label: 'CVE list', section: 'operations', permission: 'patching:read' },
  ],
  sitePanels: [SitePatching],
  homePanels: [PatchingHome],
};
