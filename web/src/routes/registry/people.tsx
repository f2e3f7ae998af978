// People: list (only those inside your scopes), detail with roles, create (with a first role) and edit.
import { useId } from 'react';
import { Link } from '../../lib/router';
import { useCan } from '../../lib/session';
import { dash, formatTime } from '../../lib/format';
import { ROLES, roleLabel, type PersonDetail } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { SearchBox } from '../../components/search-box';
import { FieldList, MailLink } from '../../components/fields';
import { Empty, ErrorState, Loading, QueryView } from '../../components/states';
import { Pager, SortHeader } from '../../components/table';
import { YesNo } from '../../components/badge';
import { AuditHistory } from '../audit/audit-history';
import { GrantForm } from './grant-form';
import { usePeople, usePerson } from './hooks';
import { useListState } from './list-state';
import { RolesTable } from './roles-table';

export function PeopleListPage() {
  const can = useCan();
  const list = useListState(['role'], { sort: 'name' });
  const people = usePeople(list.query);
  const roleId = useId();
  const s = { sort: list.sort, order: list.order };
  return (
    <>
      <PageHeader
        title="People"
        crumbs={[{ label: 'Registry', to: '/registry/sites' }]}
        actions={
          can('person:create') && (
            <Link className="btn btn-primary" to="/registry/people/new">
              Add person
            </Link>
          )
        }
      />
      <div className="toolbar">
        <SearchBox label="Filter people" value={list.q} onChange={list.setQ} placeholder="Name, e-mail, DN…" />
        <div className="toolbar-field">
          <label htmlFor={roleId}>Role</label>
          <select id={roleId} value={list.filters.role ?? ''} onChange={(e) => list.setFilter('role', e.target.value)}>
            <option value="">Any role</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {people.isPending ? (
        <Loading label="people" />
      ) : people.isError ? (
        <ErrorState label="people" error={people.error} onRetry={() => void people.refetch()} />
      ) : (
        <div className={`table-wrap ${people.isPlaceholderData ? 'is-stale' : ''}`}>
          <table className="data">
            <caption>{people.isPlaceholderData ? 'People (updating…)' : `People${list.q ? ` matching “${list.q}”` : ''} (${people.data.total})`}</caption>
            <thead>
              <tr>
                <SortHeader column="name" state={s} onSort={list.setSort}>
                  Name
                </SortHeader>
                <SortHeader column="email" state={s} onSort={list.setSort}>
                  E-mail
                </SortHeader>
                <th scope="col">Certificate DN</th>
                <th scope="col">Account</th>
                <SortHeader column="updatedAt" state={s} onSort={list.setSort}>
                  Updated
                </SortHeader>
              </tr>
            </thead>
            <tbody>
              {people.data.items.map((p) => (
                <tr key={p.personId}>
                  <th scope="row">
                    <Link to={`/registry/people/${p.personId}`}>{p.name}</Link>
                  </th>
                  <td>
                    <MailLink email={p.email} />
                  </td>
                  <td className="mono small truncate" title={p.dn ?? undefined}>
                    {dash(p.dn)}
                  </td>
                  <td>{p.hasAccount !== undefined && <YesNo value={p.hasAccount} yes="local account" no="none" />}</td>
                  <td className="mono muted nowrap">{formatTime(p.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {people.data.items.length === 0 && !people.isPlaceholderData && <Empty>No people match{list.q ? ` “${list.q}”` : ''} within your scopes.</Empty>}
          <Pager label="People" total={people.data.total} limit={list.limit} offset={list.offset} onChange={list.setPage} />
        </div>
      )}
    </>
  );
}

export function PersonDetailPage({ personId }: { personId: string }) {
  const person = usePerson(personId);
  return (
    <QueryView query={person} label="person" notFound="person">
      {(p) => <PersonView person={p} />}
    </QueryView>
  );
}

function PersonView({ person }: { person: PersonDetail }) {
  const can = useCan();
  return (
    <>
      <PageHeader
        title={person.name}
        crumbs={[{ label: 'People', to: '/registry/people' }]}
        subtitle={person.email ?? undefined}
        actions={
          can('person:write') && (
            <Link className="btn" to={`/registry/people/${person.personId}/edit`}>
              Edit person
            </Link>
          )
        }
      />
      <section className="panel" aria-labelledby="person-fields">
        <h2 id="person-fields">Details</h2>
        <FieldList
          items={[
            ['E-mail', <MailLink email={person.email} />],
            ['Certificate DN', <span className="mono">{dash(person.dn)}</span>],
            ['Check-in subject', <span className="mono">{dash(person.checkinSubject)}</span>],
            [
              'Identity',
              person.identityVerified
                ? 'Verified (federation administrator or GOCDB)'
                : 'Unverified: added by an officer; the e-mail is a contact address only',
            ],
            ['Local account', person.hasAccount === undefined ? '—' : person.hasAccount ? 'Yes' : 'No'],
            ['GOCDB key', <span className="mono">{dash(person.gocdbKey)}</span>],
            ['Person id', <span className="mono">{person.personId}</span>],
            ['Updated', formatTime(person.updatedAt)],
          ]}
        />
      </section>
      <section className="panel" aria-labelledby="person-roles">
        <h2 id="person-roles">Roles</h2>
        {person.roles.length === 0 ? (
          <Empty>{person.name} holds no role.</Empty>
        ) : (
          <RolesTable roles={person.roles} caption={`Roles held by ${person.name}`} showPerson={false} />
        )}
      </section>
      {can('role:grant') && <GrantForm personId={person.personId} personName={person.name} />}
      <AuditHistory objectType="person" objectId={person.personId} label={person.name} />
    </>
  );
}
