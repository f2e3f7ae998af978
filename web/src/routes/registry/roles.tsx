// Role assignments across the registry: filters, server paging, grant form and revoke buttons.
import { useId } from 'react';
import { useCan } from '../../lib/session';
import { ROLES, roleLabel } from '../../lib/types';
import { PageHeader } from '../../components/page';
import { SearchBox } from '../../components/search-box';
import { ErrorState, Loading } from '../../components/states';
import { Pager, SortHeader } from '../../components/table';
import { GrantForm } from './grant-form';
import { useRoles } from './hooks';
import { useListState } from './list-state';
import { RolesTable } from './roles-table';

export function RolesPage() {
  const can = useCan();
  const list = useListState(['role', 'scopeType'], { sort: 'personName' });
  const roles = useRoles(list.query);
  const roleId = useId();
  const typeId = useId();
  const s = { sort: list.sort, order: list.order };
  return (
    <>
      <PageHeader
        title="Roles"
        crumbs={[{ label: 'Registry', to: '/registry/sites' }]}
        subtitle="Who holds which role where. Roles decide what each person may see and do."
      />
      {can('role:grant') && <GrantForm />}
      <div className="toolbar">
        <SearchBox label="Filter roles" value={list.q} onChange={list.setQ} placeholder="Person, site, NGI or VO name" />
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
        <div className="toolbar-field">
          <label htmlFor={typeId}>Scope type</label>
          <select id={typeId} value={list.filters.scopeType ?? ''} onChange={(e) => list.setFilter('scopeType', e.target.value)}>
            <option value="">Any scope</option>
            {['federation', 'ngi', 'site', 'vo'].map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
      </div>
      {roles.isPending ? (
        <Loading label="roles" />
      ) : roles.isError ? (
        <ErrorState label="roles" error={roles.error} onRetry={() => void roles.refetch()} />
      ) : (
        <div className={`table-wrap ${roles.isPlaceholderData ? 'is-stale' : ''}`}>
          <RolesTable
            roles={roles.data.items}
            caption={`Role assignments (${roles.data.total})`}
            showPerson
            headers={{
              person: (
                <SortHeader column="personName" state={s} onSort={list.setSort}>
                  Person
                </SortHeader>
              ),
              role: (
                <SortHeader column="role" state={s} onSort={list.setSort}>
                  Role
                </SortHeader>
              ),
              scopeType: (
                <SortHeader column="scopeType" state={s} onSort={list.setSort}>
                  Scope type
                </SortHeader>
              ),
              createdAt: (
                <SortHeader column="createdAt" state={s} onSort={list.setSort}>
                  Granted
                </SortHeader>
              ),
            }}
          />
          <Pager label="Roles" total={roles.data.total} limit={list.limit} offset={list.offset} onChange={list.setPage} />
        </div>
      )}
    </>
  );
}
