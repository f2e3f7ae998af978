// Server-side paging, sorting and filtering for list endpoints.
import { Type, type Static } from '@sinclair/typebox';

export const MAX_PAGE = 200;

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 50 }),
  offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'case-insensitive substring filter' })),
  sort: Type.Optional(Type.String({ maxLength: 40 })),
  order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
});
export type PageQuery = Static<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export const PageOf = <T extends import('@sinclair/typebox').TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });

/** Picks the sort column from an allow-list; unknown names fall back to the first. */
export function sortColumn<K extends string>(allowed: Record<string, K>, requested: string | undefined): K {
  const first = Object.values(allowed)[0] as K;
  return requested && requested in allowed ? (allowed[requested] as K) : first;
}

/** `%term%` for a LIKE on lower(column), with LIKE's wildcards escaped. */
export function likePattern(q: string): string {
  return '%' + q.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}
