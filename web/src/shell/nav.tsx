// The left navigation: each part's entries (../modules.ts), the unbuilt ones marked, entries by permission.
import type { ReactNode } from 'react';
import { Link, useLocation } from '../lib/router';
import { useCan, useSession } from '../lib/session';
import type { NavItem, NavSection } from '../lib/module-kit';
import { MODULES } from '../modules';

const SECTIONS: Array<[NavSection, string]> = [
  ['registry', 'Registry'],
  ['operations', 'Security operations'],
  ['administration', 'Administration'],
];

function isActive(path: string, to: string) {
  return to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
}

function Section({ title, items, path, extra }: { title: string; items: NavItem[]; path: string; extra?: ReactNode }) {
  const id = `nav-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <div className="nav-section">
      <h2 id={id} className="nav-title">
        {title}
      </h2>
      <ul aria-labelledby={id}>
        {items.map((item) => (
          <li key={item.to}>
            <Link to={item.to} aria-current={isActive(path, item.to) ? 'page' : undefined} className="nav-link">
              {item.label}
              {item.soon && (
                <span className="nav-soon" aria-label="(not available yet)">
                  soon
                </span>
              )}
            </Link>
          </li>
        ))}
        {extra}
      </ul>
    </div>
  );
}

export function Nav() {
  const { path } = useLocation();
  const can = useCan();
  const session = useSession();
  const shown = (i: NavItem) =>
    (!i.permission || can(i.permission)) && (!i.federationPermission || session.federationPermissions.includes(i.federationPermission));
  const items = MODULES.flatMap((m) => m.nav).filter(shown);
  const apiReference = (
    <li>
      <a href="/api/docs" className="nav-link" target="_blank" rel="noopener">
        API reference <span aria-hidden="true">↗</span>
      </a>
    </li>
  );
  return (
    <nav className="side-nav" aria-label="Main">
      <ul className="nav-top">
        <li>
          <Link to="/" className="nav-link" aria-current={path === '/' ? 'page' : undefined}>
            Overview
          </Link>
        </li>
      </ul>
      {SECTIONS.map(([section, title]) => (
        <Section
          key={section}
          title={title}
          items={items.filter((i) => i.section === section)}
          path={path}
          extra={section === 'administration' ? apiReference : undefined}
        />
      ))}
    </nav>
  );
}
