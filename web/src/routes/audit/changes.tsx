// What an audit event changed, field by field, from its before/after snapshots.
const SKIP = new Set(['updatedAt', 'createdAt', 'updated_at', 'created_at']);

function show(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

export function changedFields(before: unknown, after: unknown): Array<{ field: string; from: string; to: string }> {
  const b = (before && typeof before === 'object' ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === 'object' ? after : {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !SKIP.has(k));
  return keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).map((k) => ({ field: k, from: show(b[k]), to: show(a[k]) }));
}

export function Changes({ before, after }: { before: unknown; after: unknown }) {
  const changes = changedFields(before, after);
  if (changes.length === 0) return <span className="muted">—</span>;
  if (!before || !after) {
    // A creation or a deletion: one compact line of its fields, the rest on hover.
    const side = after ? 'ins' : 'del';
    const text = [...changes]
      .sort((x, y) => Number(/Id$/.test(x.field)) - Number(/Id$/.test(y.field)))
      .map((c) => `${c.field}=${after ? c.to : c.from}`)
      .join('  ');
    return (
      <span className={`changes-line ${side}`} title={text}>
        {after ? 'created ' : 'removed '}
        <span className="mono">{text}</span>
      </span>
    );
  }
  const shown = changes.slice(0, 4);
  return (
    <ul className="changes">
      {shown.map((c) => (
        <li key={c.field}>
          <span className="mono">{c.field}</span>{' '}
          {before ? (
            <>
              <del>{c.from}</del> →{' '}
            </>
          ) : null}
          <ins>{c.to}</ins>
        </li>
      ))}
      {changes.length > shown.length && <li className="muted">and {changes.length - shown.length} more</li>}
    </ul>
  );
}
