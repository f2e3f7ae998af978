// Pieces shared by the patch monitoring pages: badges, the section tabs, the CVE search box, copy buttons.
import { useId, useState, type FormEvent } from 'react';
import { Link, navigate, useLocation, useSearchState } from '../../lib/router';
import { useReviewsQuarantine } from './hooks';
import './patching.css';

/** A host that has not reported for this long is "silent". */
export const SILENT_DAYS = 7;
export const isSilent = (lastReportAt: string, now = Date.now()) => now - Date.parse(lastReportAt) > SILENT_DAYS * 86_400_000;

const TAG_TONES: Record<string, string> = { 'EGI-Critical': 'critical', 'EGI-High': 'high' };

/** A CSIRT risk tag: outlined, so it never reads as a vendor severity. */
export function TagBadge({ tag, arch }: { tag: string; arch?: string | null }) {
  return (
    <span className={`badge badge-tag badge-tag-${TAG_TONES[tag] ?? 'other'}`}>
      {tag}
      {arch ? ` (${arch})` : ''}
    </span>
  );
}

const SEVERITY_TONES: Record<string, string> = { critical: 'bad', important: 'bad', high: 'bad', moderate: 'warn', medium: 'warn', low: 'info' };

export function SeverityBadge({ severity }: { severity: string | null }) {
  if (!severity) return <span className="muted">—</span>;
  return <span className={`badge badge-${SEVERITY_TONES[severity.toLowerCase()] ?? 'muted'}`}>{severity.toLowerCase()}</span>;
}

const FLAG_LABELS: Record<string, string> = { 'packages-missing': 'packages missing', 'unknown-os': 'unknown OS' };

/** Report flags, and "silent" when the host stopped reporting. */
export function HostFlags({ flags, lastReportAt }: { flags: string[]; lastReportAt: string }) {
  const silent = isSilent(lastReportAt);
  if (flags.length === 0 && !silent) return <span className="muted">—</span>;
  return (
    <span className="badges">
      {silent && (
        <span className="badge badge-muted" title={`No report for more than ${SILENT_DAYS} days`}>
          silent
        </span>
      )}
      {flags.map((f) => (
        <span key={f} className="badge badge-warn">
          {FLAG_LABELS[f] ?? f}
        </span>
      ))}
    </span>
  );
}

export function FixState({ available }: { available: boolean }) {
  return available ? <span className="badge badge-ok">fix available</span> : <span className="badge badge-bad">no fix</span>;
}

const SECTIONS = [
  { to: '/patch-monitoring', label: 'Overview' },
  { to: '/patch-monitoring/cves', label: 'CVEs' },
  { to: '/patch-monitoring/hosts', label: 'Hosts' },
  { to: '/patch-monitoring/packages', label: 'Packages' },
  { to: '/patch-monitoring/tags', label: 'Risk tags' },
  { to: '/patch-monitoring/feeds', label: 'Feeds' },
  { to: '/patch-monitoring/exceptions', label: 'Exceptions' },
  { to: '/patch-monitoring/lifecycle-rules', label: 'Lifecycle rules' },
  { to: '/patch-monitoring/quarantine', label: 'Quarantine', reviewers: true },
];

export function PatchingTabs() {
  const { path } = useLocation();
  const reviews = useReviewsQuarantine();
  const current = (to: string) => (to === '/patch-monitoring' ? path === to : path === to || path.startsWith(`${to}/`));
  return (
    <nav className="tabs" aria-label="Patch monitoring sections">
      {SECTIONS.filter((s) => !s.reviewers || reviews).map((s) => (
        <Link key={s.to} to={s.to} className="tab" aria-current={current(s.to) ? 'page' : undefined}>
          {s.label}
        </Link>
      ))}
    </nav>
  );
}

const CVE_PATTERN = /^(CVE-\d{4}-\d{4,}|[A-Z]{2,10}-\d{4}[-:]\d{1,10}(?:-\d+)?)$/;

/** Type a CVE (or advisory) id and go to its page. */
export function CveSearch() {
  const id = useId();
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const cve = text.trim().toUpperCase();
    if (!CVE_PATTERN.test(cve)) {
      setError('Enter a CVE id such as CVE-2024-6387 (or an advisory id such as RHSA-2024:4312).');
      return;
    }
    setError('');
    navigate(`/patch-monitoring/cves/${encodeURIComponent(cve)}`);
  };
  return (
    <form role="search" aria-label="CVE search" className="cve-search" onSubmit={submit} noValidate>
      <label htmlFor={id}>Go to CVE</label>
      <div className="cve-search-row">
        <input
          id={id}
          className="mono"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="CVE-2024-6387"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-e` : undefined}
        />
        <button type="submit" className="btn">
          Open CVE
        </button>
      </div>
      {error && (
        <p className="field-error" id={`${id}-e`}>
          {error}
        </p>
      )}
    </form>
  );
}

async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  // Plain http on a non-local address: the older selection API still works.
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('copy refused');
}

/** Copies addresses separated by commas (ready for a To: field) and says so. */
export function CopyButton({ values, label, children, small }: { values: string[]; label: string; children: string; small?: boolean }) {
  const [state, setState] = useState<'' | 'copied' | 'failed'>('');
  const copy = async () => {
    try {
      await writeClipboard(values.join(', '));
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="copy">
      <button type="button" className={`btn ${small ? 'btn-small' : ''}`} aria-label={label} disabled={values.length === 0} onClick={() => void copy()}>
        {children}
      </button>
      <span role="status" className="muted small">
        {state === 'copied'
          ? `Copied ${values.length} address${values.length === 1 ? '' : 'es'}.`
          : state === 'failed'
            ? 'Copy failed: select the addresses and copy them by hand.'
            : ''}
      </span>
    </span>
  );
}

/**
 * A review list's state filter, kept in the address as `?status=` (the first state, the default,
 * left out): the state chosen, and the select that changes it (going back to the first page).
 */
export function useStatusFilter<S extends string>(states: ReadonlyArray<readonly [S, string]>, label: string) {
  const [search, set] = useSearchState();
  const id = useId();
  const raw = search.get('status');
  const status = states.find(([s]) => s === raw)?.[0] ?? states[0]![0];
  const select = (
    <div className="toolbar-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={status} onChange={(e) => set({ status: e.target.value === states[0]![0] ? undefined : e.target.value, offset: undefined })}>
        {states.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  return { status, label: states.find(([s]) => s === status)![1], select };
}
