// One site: security contacts first, then fields, service endpoints, contacts by role, history.
import { Link } from '../../lib/router';
import { dash, formatTime } from '../../lib/format';
import type { SiteDetail } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { FieldList, MailLink } from '../../components/fields';
import { QueryView } from '../../components/states';
import { StatusBadge, YesNo } from '../../components/badge';
import { AuditHistory } from '../audit/audit-history';
import { SitePanels } from '../../lib/module-kit';
import { ContactsTable } from './contacts';
import { EndpointsTable } from './endpoints-table';
import { useNgi, useSite } from './hooks';

export function SiteDetailPage({ siteId }: { siteId: string }) {
  const site = useSite(siteId);
  return (
    <QueryView query={site} label="site" notFound="site">
      {(s) => <SiteView site={s} />}
    </QueryView>
  );
}

function SecurityContacts({ site }: { site: SiteDetail }) {
  const officers = site.contacts.filter((c) => c.role === 'site-security-officer');
  const ngi = useNgi(site.ngiId);
  return (
    <section className="panel panel-security" aria-labelledby="security-contacts">
      <h2 id="security-contacts">Security contacts</h2>
      <div className="security-grid">
        <div>
          <h3>Site security e-mail</h3>
          <p>
            <MailLink email={site.securityEmail} />
          </p>
        </div>
        <div>
          <h3>Site security officers</h3>
          {officers.length === 0 ? (
            <p className="muted">No site security officer recorded.</p>
          ) : (
            <ul className="plain">
              {officers.map((o) => (
                <li key={o.roleAssignmentId}>
                  <Link to={`/registry/people/${o.personId}`}>{o.personName}</Link>{' '}
                  {o.personEmail && (
                    <>
                      · <a href={`mailto:${o.personEmail}`}>{o.personEmail}</a>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3>NGI security e-mail</h3>
          <p>
            {ngi.data ? <MailLink email={ngi.data.securityEmail} /> : <span className="muted">{ngi.isError ? 'not visible to you' : '…'}</span>}{' '}
            <span className="muted">({site.ngiName})</span>
          </p>
        </div>
      </div>
    </section>
  );
}

function SiteView({ site }: { site: SiteDetail }) {
  return (
    <>
      <PageHeader
        title={site.name}
        crumbs={[{ label: 'Sites', to: '/registry/sites' }]}
        subtitle={
          <>
            {dash(site.officialName)} · <StatusBadge status={site.certificationStatus} /> <YesNo value={site.isProduction} yes="production" no="test" />
            {site.removedAt && (
              <>
                {' '}
                · <span className="badge badge-bad">removed {formatTime(site.removedAt)}</span>
              </>
            )}
          </>
        }
        actions={
          site.abilities.includes('site:write') && (
            <Link className="btn" to={`/registry/sites/${site.siteId}/edit`}>
              Edit site
            </Link>
          )
        }
      />
      <SecurityContacts site={site} />
      <section className="panel" aria-labelledby="site-fields">
        <h2 id="site-fields">Details</h2>
        <FieldList
          items={[
            ['NGI', <Link to={`/registry/ngis/${site.ngiId}`}>{site.ngiName}</Link>],
            ['Country', site.country ? `${site.country}${site.countryCode ? ` (${site.countryCode})` : ''}` : '—'],
            ['Certification status', <StatusBadge status={site.certificationStatus} />],
            ['Infrastructure', site.isProduction ? 'Production' : 'Test'],
            ['Contact e-mail', <MailLink email={site.contactEmail} />],
            ['Notifications', site.isNotified ? 'Opted in' : 'Not opted in'],
            [
              'Home page',
              site.homeUrl ? (
                <a href={site.homeUrl} rel="noreferrer noopener" target="_blank">
                  {site.homeUrl}
                </a>
              ) : (
                '—'
              ),
            ],
            ['Time zone', dash(site.timezone)],
            ['GOCDB key', <span className="mono">{dash(site.gocdbKey)}</span>],
            ['Site id', <span className="mono">{site.siteId}</span>],
            ['Updated', formatTime(site.updatedAt)],
            ['Description', dash(site.description)],
          ]}
        />
      </section>
      <section className="panel" aria-labelledby="site-endpoints">
        <div className="panel-head">
          <h2 id="site-endpoints">Service endpoints</h2>
          {site.abilities.includes('endpoint:write') && (
            <Link className="btn btn-small" to={`/registry/endpoints/new?siteId=${site.siteId}`}>
              Add endpoint
            </Link>
          )}
        </div>
        <EndpointsTable endpoints={site.endpoints} caption={`Service endpoints of ${site.name}`} showSite={false} />
      </section>
      <SitePanels siteId={site.siteId} siteName={site.name} abilities={site.abilities} />
      <section className="panel" aria-labelledby="site-contacts">
        <h2 id="site-contacts">Contacts</h2>
        <ContactsTable contacts={site.contacts} of={site.name} />
      </section>
      <AuditHistory objectType="site" objectId={site.siteId} label={site.name} />
    </>
  );
}
