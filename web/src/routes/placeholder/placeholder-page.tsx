// Parts of Vigil not built yet: say so plainly, never show made-up data.
import { PageHeader } from '../../components/page';
import type { PageRoute, WebModule } from '../../lib/module-kit';

export interface PlannedPart {
  path: string;
  title: string;
  summary: string;
}

export const PLANNED_PARTS: PlannedPart[] = [
  {
    path: '/advisories',
    title: 'Advisories',
    summary: 'Vulnerability handling from report to advisory: risk, target dates, distribution to the right contacts and per-site follow-up.',
  },
  {
    path: '/incidents',
    title: 'Incidents',
    summary: 'Incident records, affected sites, indicators, timeline, deadlines, TLP communications and the compromised-credential procedure.',
  },
  { path: '/suspension', title: 'Central suspension', summary: 'The federation’s signed emergency ban list of credentials, with per-site proof of uptake.' },
  { path: '/drills', title: 'Drills', summary: 'Security Service Challenges and traceability challenges: timed, scored and reported per site and per NGI.' },
  { path: '/traceability', title: 'Traceability', summary: 'Site job records and VO payload records: from IP or host and time, to VO, to user.' },
  {
    path: '/endorsement',
    title: 'Image endorsement',
    summary: 'Appliances, VO image lists, signed endorsements with lifetimes, bans and published image lists.',
  },
];

export function PlaceholderPage({ part }: { part: PlannedPart }) {
  return (
    <>
      <PageHeader title={part.title} />
      <section className="panel placeholder" aria-labelledby="not-yet">
        <h2 id="not-yet">{part.title} is not available yet in this version</h2>
        <p>{part.summary}</p>
        <p className="muted">
          This part of Vigil is planned. Nothing here is live data; the registry, GOCDB import, API tokens and the audit log are available now.
        </p>
      </section>
    </>
  );
}

/** The planned parts, listed in the navigation as not available yet. */
export const plannedModule: WebModule = {
  name: 'planned',
  routes: PLANNED_PARTS.map((part): PageRoute => [part.path, () => <PlaceholderPage part={part} />]),
  nav: PLANNED_PARTS.map((part) => ({ to: part.path, label: part.title, section: 'operations' as const, soon: true })),
};
