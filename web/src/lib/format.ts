// Display formats shared by every page.

/** "2026-11-23 18:46 UTC": operations teams across time zones read UTC. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const dash = (value: string | null | undefined): string => (value === null || value === undefined || value === '' ? '—' : value);
