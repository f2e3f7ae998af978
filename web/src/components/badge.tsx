// Small coloured labels: certification status, yes/no flags, job status.
const TONES: Record<string, string> = {
  certified: 'ok',
  candidate: 'info',
  uncertified: 'warn',
  suspended: 'bad',
  closed: 'muted',
  succeeded: 'ok',
  done: 'ok',
  completed: 'ok',
  running: 'info',
  queued: 'muted',
  failed: 'bad',
  dead: 'bad',
  active: 'ok',
  revoked: 'muted',
  expired: 'warn',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${TONES[status] ?? 'muted'}`}>{status}</span>;
}

export function YesNo({ value, yes = 'yes', no = 'no' }: { value: boolean; yes?: string; no?: string }) {
  return <span className={`badge badge-${value ? 'ok' : 'muted'}`}>{value ? yes : no}</span>;
}
