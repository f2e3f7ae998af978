// List state (search, filters, sort, page) kept in the URL query string.
import { useSearchState } from '../../lib/router';
import type { ListQuery } from './hooks';

export function useListState(filterKeys: readonly string[] = [], defaults: { sort?: string; limit?: number } = {}) {
  const [search, set] = useSearchState();
  const limit = Number(search.get('limit') ?? defaults.limit ?? 50) || 50;
  const offset = Number(search.get('offset') ?? 0) || 0;
  const q = search.get('q') ?? '';
  const sort = search.get('sort') ?? defaults.sort;
  const order: 'asc' | 'desc' = search.get('order') === 'desc' ? 'desc' : 'asc';
  const filters: Record<string, string> = {};
  for (const key of filterKeys) {
    const value = search.get(key);
    if (value) filters[key] = value;
  }
  const query: ListQuery = { limit, offset, q: q || undefined, sort, order, ...filters };
  return {
    query,
    q,
    sort,
    order,
    limit,
    offset,
    filters,
    setQ: (value: string) => set({ q: value, offset: undefined }),
    setFilter: (key: string, value: string) => set({ [key]: value, offset: undefined }),
    /** Several filters at once (one history entry): e.g. a new NGI clears the site. */
    setFilters: (values: Record<string, string>) => set({ ...values, offset: undefined }),
    setSort: (column: string, next: 'asc' | 'desc') => set({ sort: column, order: next, offset: undefined }),
    setPage: (nextOffset: number, nextLimit: number) => set({ offset: nextOffset || undefined, limit: nextLimit === 50 ? undefined : nextLimit }),
  };
}
