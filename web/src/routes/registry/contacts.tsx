// Contacts of an NGI, site or VO: the role assignments on it, grouped by role.
import { useId } from 'react';
import { Link } from '../../lib/router';
import { formatTime } from '../../lib/format';
import { roleLabel, type RoleAssignment } from '../../lib/types';
import { Empty } from '../../components/states';

const ROLE_ORDER = ['site-security-officer', 'ngi-security-officer', 'csirt', 'site-admin', 'vo-manager', 'vo-endorser', 'federation-admin', 'read-only'];

export function groupByRole(contacts: RoleAssignment[]): Array<[string, RoleAssignment[]]> {
  const groups = new Map<string, RoleAssignment[]>();
  for (const c of contacts) groups.set(c.role, [...(groups.get(c.role) ?? []), c]);
  const rank = (role: string) => (ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length);
  return [...groups.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([role, list]) => [role, [...list].sort((x, y) => x.personName.localeCompare(y.personName))]);
}

export function ContactsTable({ contacts, of }: { contacts: RoleAssignment[]; of: string }) {
  const baseId = useId();
  if (contacts.length === 0) return <Empty>No contacts recorded for {of}.</Empty>;
  return (
    <table className="data">
      <caption>Contacts of {of}, by role</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">E-mail</th>
          <th scope="col">Source</th>
          <th scope="col">Since</th>
        </tr>
      </thead>
      {groupByRole(contacts).map(([role, list]) => (
        <tbody key={role} aria-labelledby={`${baseId}-${role}`}>
          <tr className="group-row">
            <th scope="rowgroup" colSpan={4} id={`${baseId}-${role}`}>
              {roleLabel(role)} <span className="count">{list.length}</span>
            </th>
          </tr>
          {list.map((c) => (
            <tr key={c.roleAssignmentId}>
              <td>
                <Link to={`/registry/people/${c.personId}`}>{c.personName}</Link>
              </td>
              <td>{c.personEmail ? <a href={`mailto:${c.personEmail}`}>{c.personEmail}</a> : '—'}</td>
              <td className="mono muted">{c.source}</td>
              <td className="mono muted nowrap">{formatTime(c.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}
