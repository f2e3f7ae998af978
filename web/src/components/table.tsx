// Pieces of the server-paged tables: sortable column headers and the pager.
import type { ReactNode } from 'react';

export interface SortState {
  sort: string | undefined;
  order: 'asc' | 'desc';
}

/** A column header that sorts the list; announces the current order with aria-sort. */
export function SortHeader({
  column,
  state,
  onSort,
  children,
  className,
}: {
  column: string;
  state: SortState;
  onSort: (column: string, order: 'asc' | 'desc') => void;
  children: ReactNode;
  className?: string;
}) {
  const active = state.sort === column;
  const ariaSort = active ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none';
  const next = active && state.order === 'asc' ? 'desc' : 'asc';
  return (
    <th scope="col" aria-sort={ariaSort} className={className}>
      <button type="button" className="sort-button" onClick={() => onSort(column, next)}>
        {children}
        <span className="sort-mark" aria-hidden="true">
          {active ? (state.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

export const PAGE_SIZES = [25, 50, 100, 200];

export function Pager({
  total,
  limit,
  offset,
  onChange,
  label,
}: {
  total: number;
  limit: number;
  offset: number;
  label: string;
  onChange: (offset: number, limit: number) => void;
}) {
  const first = total === 0 ? 0 : offset + 1;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <span className="pager-range" aria-live="polite">
        {first}–{last} of {total}
      </span>
      <label className="pager-size">
        Rows per page
        <select value={limit} onChange={(e) => onChange(0, Number(e.target.value))}>
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit), limit)}>
        Previous page
      </button>
      <button type="button" className="btn btn-small" disabled={offset + limit >= total} onClick={() => onChange(offset + limit, limit)}>
        Next page
      </button>
    </nav>
  );
}
