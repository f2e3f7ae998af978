// Page title bar with breadcrumbs and actions; sets the document title.
import { useEffect, type ReactNode } from 'react';
import { Link } from '../lib/router';

export function PageHeader({
  title,
  crumbs = [],
  actions,
  subtitle,
}: {
  title: string;
  crumbs?: Array<{ label: string; to: string }>;
  actions?: ReactNode;
  subtitle?: ReactNode;
}) {
  useEffect(() => {
    document.title = `${title} · Vigil`;
  }, [title]);
  return (
    <header className="page-header">
      <div>
        {crumbs.length > 0 && (
          <nav aria-label="Breadcrumb" className="crumbs">
            <ol>
              {crumbs.map((c) => (
                <li key={c.to}>
                  <Link to={c.to}>{c.label}</Link>
                </li>
              ))}
            </ol>
          </nav>
        )}
        <h1>{title}</h1>
        {subtitle && <p className="page-subtitle">{subtitle}</p>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
