// Registry business rules that do not need the database.
import { ConflictError } from '../../core/errors.js';

export const CERTIFICATION_STATUSES = ['candidate', 'uncertified', 'certified', 'suspended', 'closed'] as const;

// GOCDB's allowed transitions; nothing leaves `closed`, and a suspended site is re-certified
// only through `uncertified`.
const ALLOWED: Record<string, readonly string[]> = {
  candidate: ['uncertified', 'closed'],
  uncertified: ['certified'],
  certified: ['suspended', 'closed'],
  suspended: ['uncertified', 'closed'],
  closed: [],
};

export function checkCertificationChange(from: string, to: string): void {
  if (from === to) return;
  if (!(ALLOWED[from] ?? []).includes(to)) throw new ConflictError(`a site cannot go from ${from} to ${to}`);
}

/** The columns whose requested value differs from the current one (undefined = not requested). */
export function diffFields<T extends object>(current: T, requested: { [K in keyof T]?: T[K] | undefined }): Partial<T> {
  const set: Partial<T> = {};
  for (const key of Object.keys(requested) as Array<keyof T>) {
    const value = requested[key];
    if (value !== undefined && value !== current[key]) set[key] = value as T[keyof T];
  }
  return set;
}
