// Small SQL pieces that must read the same on SQLite and PostgreSQL.
import { sql, type Expression, type SqlBool } from 'kysely';
import { likePattern } from '../core/paging.js';

/** Case-insensitive substring match; LIKE wildcards in the term are taken literally. */
export function containsCi(column: Expression<string | null>, term: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${column}) like ${likePattern(term)} escape '\\'`;
}

/** For `in (…)` over a reader's reach: an empty list is not valid SQL, so it becomes a value no id takes. */
export const idsOrNone = (ids: readonly string[]): string[] => (ids.length ? [...ids] : ['(none)']);
