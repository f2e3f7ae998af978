// Role assignments, with a revoke button per row (named for the row) where permitted.
import { Link } from '../../lib/router';
import { useCan } from '../../lib/session';
import { errorMessage } from '../../lib/api';
import { formatTime } from '../../lib/format';
import { roleLabel, type RoleAssignment } from '../../lib/types';
import { Empty } from '../../components/states';
import type { ReactNode } from 'react';
import { useRevokeRole } from './hooks';

const scopePath: Record<string, string> = { ngi: '/registry/ngis/', site: '/registry/sites/', vo: '/registry/vos/' };

export function ScopeLink({ r }: { r: RoleAssignment }) {
  const base = scopePath[r.scopeType];
  const name = r.scopeName ?? r.scopeId;
  return base ? <Link to={base + r.scopeId}>{name}</Link> : <span>{r.scopeType === 'federation' ? 'Federation' : name}</span>;
}

export function RolesTable({
  roles,
  caption,
  showPerson,
  headers,
}: {
  roles: RoleAssignment[];
  caption: string;
  showPerson: boolean;
  headers?: { person?: ReactNode; role?: ReactNode; scopeType?: ReactNode; createdAt?: ReactNode };
}) {
  const can = useCan();
  const revoke = useRevokeRole();
  const mayRevoke = can('role:grant');
  const onRevoke = (r: RoleAssignment) => {
    if (window.confirm(`Revoke ${roleLabel(r.role)} at ${r.scopeName ?? r.scopeType} from ${r.personName}?`)) revoke.mutate(r.roleAssignmentId);
  };
  return (
    <>
      {revoke.isError && (
        <p className="form-error" role="alert">
          Could not revoke the role: {errorMessage(revoke.error)}
        </p>
      )}
      <table className="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {showPerson && (headers?.person ?? <th scope="col">Person</th>)}
            {headers?.role ?? <th scope="col">Role</th>}
            {headers?.scopeType ?? <th scope="col">Scope type</th>}
            <th scope="col">Scope</th>
            <th scope="col">Source</th>
            {headers?.createdAt ?? <th scope="col">Granted</th>}
            {mayRevoke && (
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {roles.map((r) => (
            <tr key={r.roleAssignmentId}>
              {showPerson && (
                <td>
                  <Link to={`/registry/people/${r.personId}`}>{r.personName}</Link>
                </td>
              )}
              <td>{roleLabel(r.role)}</td>
              <td className="mono muted">{r.scopeType}</td>
              <td className="mono">
                <ScopeLink r={r} />
              </td>
              <td className="mono muted">{r.source}</td>
              <td className="mono muted nowrap">{formatTime(r.createdAt)}</td>
              {mayRevoke && (
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn btn-small btn-danger"
                    disabled={revoke.isPending}
                    onClick={() => onRevoke(r)}
                    aria-label={`Revoke ${roleLabel(r.role)} at ${r.scopeName ?? r.scopeType} from ${r.personName}`}
                  >
                    Revoke
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {roles.length === 0 && <Empty>No role assignments.</Empty>}
    </>
  );
}
