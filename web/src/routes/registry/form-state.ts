// Form values as strings/booleans; on submit, the body holds nulls for cleared optional fields
// and, when editing, only what changed.
import { useState } from 'react';

export type Values = Record<string, string | boolean>;

export function useFormValues<V extends Values>(initial: V) {
  const [values, setValues] = useState<V>(initial);
  const text = (key: keyof V & string) => ({
    name: key,
    value: String(values[key] ?? ''),
    onChange: (e: { target: { value: string } }) => setValues((v) => ({ ...v, [key]: e.target.value })),
  });
  const check = (key: keyof V & string) => ({
    name: key,
    checked: Boolean(values[key]),
    onChange: (e: { target: { checked: boolean } }) => setValues((v) => ({ ...v, [key]: e.target.checked })),
  });
  return { values, setValues, text, check };
}

/** The JSON body: trimmed strings, '' → null for optional keys; only changed keys when `initial` is given. */
export function bodyOf(values: Values, optional: readonly string[], initial?: Values): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(values)) {
    if (initial && initial[key] === raw) continue;
    if (typeof raw === 'boolean') body[key] = raw;
    else {
      const trimmed = raw.trim();
      if (trimmed === '') {
        if (optional.includes(key)) {
          if (initial) body[key] = null; // clearing a field that had a value
        } else body[key] = trimmed;
      } else body[key] = trimmed;
    }
  }
  return body;
}

/** Maps null/undefined to '' for text inputs. */
export const str = (v: string | null | undefined): string => v ?? '';
