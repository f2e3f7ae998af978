// A compact definition list of an object's fields.
import type { ReactNode } from 'react';

export function FieldList({ items }: { items: Array<[string, ReactNode]> }) {
  return (
    <dl className="fields">
      {items.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value ?? '—'}</dd>
        </div>
      ))}
    </dl>
  );
}

export function MailLink({ email }: { email: string | null | undefined }) {
  return email ? <a href={`mailto:${email}`}>{email}</a> : <span className="muted">—</span>;
}
