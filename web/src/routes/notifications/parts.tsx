// The sections of the notifications page, as tabs (the look of the patch monitoring tabs).
import { Link, useLocation } from '../../lib/router';
import { PageHeader } from '../../components/page';
import '../patching/patching.css';

const SECTIONS = [
  { to: '/notifications', label: 'Outbox' },
  { to: '/notifications/dead-letters', label: 'Dead letters' },
  { to: '/notifications/webhooks', label: 'Webhooks' },
  { to: '/notifications/held-mail', label: 'Held mail' },
];

export function NotificationsHeader({ title, subtitle }: { title: string; subtitle: string }) {
  const { path } = useLocation();
  return (
    <>
      <PageHeader title={title} crumbs={[{ label: 'Notifications', to: '/notifications' }]} subtitle={subtitle} />
      <nav className="tabs" aria-label="Notification sections">
        {SECTIONS.map((s) => (
          <Link key={s.to} to={s.to} className="tab" aria-current={path === s.to ? 'page' : undefined}>
            {s.label}
          </Link>
        ))}
      </nav>
    </>
  );
}
