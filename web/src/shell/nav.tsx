// The left navigation: every part of Vigil, the unbuilt ones marked, admin pages by permission.
import { Link, useLocation } from '../lib/router';
import { useCan, useSession } from '../lib/session';
import { PLANNED_PARTS } from '../routes/placeholder/placeholder-page';

interface Item { to: string; label: string; soon?: boolean; permission?: string }

const REGISTRY: Item[] = [
  { to: '/registry/ngis', label: 'NGIs' }, { to: '/registry/sites', label: 'Sites' },
  { to: '/registry/endpoints', label: 'Service endpoints' }, { to: '/registry/vos', label: 'VOs' },
  { to: '/registry/people', label: 'People' }, { to: '/registry/roles', label: 'Roles' },
];
const OPERATIONS: Item[] = [{ to: '/patch-monitoring', label: 'Patch monitoring', permission: 'patching:read' },
  ...PLANNED_PARTS.map((p) => ({ to: p.path, label: p.title, soon: true }))];
const ADMIN: Item[] = [
  { to: '/admin/import', label: 'GOCDB import', permission: 'import:gocdb' }, { to: '/admin/tokens', label: 'API tokens', permission: 'token:own' },
  { to: '/admin/audit', label: 'Audit log', permission: 'audit:read' }, { to: '/admin/jobs', label: 'Jobs', permission: 'job:read' },
];

function isActive(path: string, to: string) {
  return to === '/' ? path === '/' : path === to || path.startsWith(`${to}/`);
}

function Section({ title, items, path }: { title: string; items: Item[]; path: string }) {
  const id = `nav-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <div className="nav-section">
      <h2 id={id} className="nav-title">{title}</h2>
      <ul aria-labelledby={id}>
        {items.map((item) => (
          <li key={item.to}>
            <Link to={item.to} aria-current={isActive(path, item.to) ? 'page' : undefined} className="nav-link">
              {item.label}{item.soon && <span className="nav-soon" aria-label="(not available yet)">soon</span>}
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Nav() {
  const { path } = useLocation();
  const can = useCan();
  const session = useSession();
  // The whole audit log is for federation-level roles; others read one object's history on its page.
  const admin = ADMIN.filter((i) => (!i.permission || can(i.permission)) && (i.to !== '/admin/audit' || session.federationPermissions.includes('audit:read')));
  return (
    <nav className="side-nav" aria-label="Main">
      <ul className="nav-top"><li><Link to="/" className="nav-link" aria-current={path === '/' ? 'page' : undefined}>Overview</Link></li></ul>
      <Section title="Registry" items={REGISTRY} path={path} />
      <Section title="Security operations" items={OPERATIONS.filter((i) => !i.permission || can(i.permission))} path={path} />
      <div className="nav-section">
        <h2 id="nav-administration" className="nav-title">Administration</h2>
        <ul aria-labelledby="nav-administration">
          {admin.map((item) => (
            <li key={item.to}><Link to={item.to} className="nav-link" aria-current={isActive(path, item.to) ? 'page' : undefined}>{item.label}</Link></li>
          ))}
          <li><a href="/api/docs" className="nav-link" target="_blank" rel="noopener">API reference <span aria-hidden="true">↗</span></a></li>
        </ul>
      </div>
    </nav>
  );
}
