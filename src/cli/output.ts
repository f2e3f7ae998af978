// CLI output conventions: data to stdout, messages to stderr, errors as one line.
import { DomainError } from '../core/errors.js';

/** Prints `vigil: <message>` and returns the exit code (1 for failures). */
export function reportCliError(err: unknown): number {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`vigil: ${message.split('\n')[0]}\n`);
  if (!(err instanceof DomainError) && process.env.VIGIL_DEBUG) console.error(err);
  return 1;
}

/** Writes exactly one JSON document to stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Prints rows as aligned columns (for humans; --json is for machines). */
export function printTable(rows: Record<string, unknown>[], columns: string[]): void {
  const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  process.stdout.write(line(columns.map((c) => c.toUpperCase())) + '\n');
  for (const row of rows) process.stdout.write(line(columns.map((c) => cell(row[c]))) + '\n');
}
