// The signed-in frame: skip link, header (product, user, roles, theme, sign-out), navigation, main.
import type { ReactNode } from 'react';
import { Link } from '../lib/router';
import { useLogout, useSession } from '../lib/session';
import { GrantLabel } from './grant-label';
import { Nav } from './nav';
import { ThemeToggle } from './theme-toggle';

export function AppShell({ children }: { children: ReactNode }) {
  const session = useSession();
  const logout = useLogout();
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="top-bar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            V
          </span>{' '}
          Vigil
        </Link>
        <span className="top-tagline">Security operations</span>
        <div className="top-user">
          <div className="user-block" aria-label="Signed in user">
            <span className="user-name">{session.label}</span>
            <span className="user-roles">
              {session.grants.length === 0
                ? 'no roles'
                : session.grants.map((g, i) => (
                    <span key={`${g.role}-${g.scopeId}`}>
                      {i > 0 && ', '}
                      <GrantLabel grant={g} />
                    </span>
                  ))}
            </span>
          </div>
          <Link to="/settings/notifications" className="btn btn-ghost">
            Notification settings
          </Link>
          <ThemeToggle />
          <button type="button" className="btn btn-ghost" onClick={() => logout.mutate()} disabled={logout.isPending}>
            Sign out
          </button>
        </div>
      </header>
      <div className="body">
        <Nav />
        <main id="main" tabIndex={-1} className="content">
          {children}
        </main>
      </div>
    </div>
  );
}
