// What a part of Vigil adds to the web client: its pages, its entries in the navigation and the
// panels it adds to pages other parts own (a site's page shows each part's panel for the site).
// The app is built from the list in ../modules.ts; no central table names a part's pages.
import { createContext, useContext, type ComponentType, type ReactNode } from 'react';

export type RouteRender = (params: Record<string, string>) => ReactNode;
export type PageRoute = [pattern: string, render: RouteRender];

export type NavSection = 'registry' | 'operations' | 'administration';
export interface NavItem {
  to: string;
  label: string;
  section: NavSection;
  /** Shown only to sessions holding this permission somewhere (the server still decides per object). */
  permission?: string;
  /** Shown only to sessions holding this permission federation-wide. */
  federationPermission?: string;
  /** A planned part: listed, marked as not available yet. */
  soon?: boolean;
}

/** A panel on a site's page; `abilities` are the reader's permissions on the site, as the server decided. */
export type SitePanel = ComponentType<{ siteId: string; siteName: string; abilities: string[] }>;

/**
 * A panel on the home page: what this part asks of the signed-in person today (their site's
 * critical hosts, their NGI's silent sites, the CSIRT's overdue CVEs). It reads the session
 * and renders nothing for a person it has nothing for.
 */
export type HomePanel = ComponentType;

export interface WebModule {
  name: string;
  routes: PageRoute[];
  nav: NavItem[];
  sitePanels?: SitePanel[];
  homePanels?: HomePanel[];
}

const SitePanelsContext = createContext<SitePanel[]>([]);
const HomePanelsContext = createContext<HomePanel[]>([]);

export function ModulePanelsProvider({ modules, children }: { modules: readonly WebModule[]; children: ReactNode }) {
  return (
    <SitePanelsContext.Provider value={modules.flatMap((m) => m.sitePanels ?? [])}>
      <HomePanelsContext.Provider value={modules.flatMap((m) => m.homePanels ?? [])}>{children}</HomePanelsContext.Provider>
    </SitePanelsContext.Provider>
  );
}

/** Every part's home panels, in the order of the module list. */
export function HomePanels() {
  const panels = useContext(HomePanelsContext);
  return (
    <>
      {panels.map((Panel, i) => (
        <Panel key={i} />
      ))}
    </>
  );
}

/** Every part's panels for a site page, in the order of the module list. */
export function SitePanels(props: { siteId: string; siteName: string; abilities: string[] }) {
  const panels = useContext(SitePanelsContext);
  return (
    <>
      {panels.map((Panel, i) => (
        <Panel key={i} {...props} />
      ))}
    </>
  );
}
