// The patch monitoring pages in the route table.
import type { ReactNode } from 'react';
import { PatchOverviewPage } from './overview-page';
import { HostsListPage } from './hosts-list';
import { HostPage } from './host-page';
import { CvePage } from './cve-page';
import { RiskTagsPage } from './tags-page';
import { FeedsPage } from './feeds-page';
import { QuarantinePage } from './quarantine-page';

export const PATCHING_ROUTES: Array<[pattern: string, render: (p: Record<string, string>) => ReactNode]> = [
  ['/patch-monitoring', () => <PatchOverviewPage />],
  ['/patch-monitoring/hosts', () => <HostsListPage />],
  ['/patch-monitoring/hosts/:id', (p) => <HostPage hostId={p.id!} />],
  ['/patch-monitoring/cves/:id', (p) => <CvePage cveId={p.id!} />],
  ['/patch-monitoring/tags', () => <RiskTagsPage />],
  ['/patch-monitoring/feeds', () => <FeedsPage />],
  ['/patch-monitoring/quarantine', () => <QuarantinePage />],
];
