// Vulnerable hosts per day as an inline SVG step chart: date and count axes, the tagging day, the
// deadline and today marked. Colours come from the theme variables (time-to-patch.css).
import { useEffect, useId, useRef, useState } from 'react';
import './time-to-patch.css';

const DAY = 86_400_000;
const HEIGHT = 240;
const M = { right: 18, bottom: 30, left: 48 };
/** Room above the plot for marker labels: a row each, 14 px apart (two rows fit the default). */
const LABEL_ROW = 14;
const topMargin = (rows: number) => Math.max(38, 24 + LABEL_ROW * rows);
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface ChartMarker {
  at: string;
  label: string;
  tone: 'tag' | 'deadline' | 'today';
}

/** "3 May", or "3 May 2026" when asked (UTC: the series is in UTC days). */
export const dayLabel = (ms: number, withYear = false) => {
  const d = new Date(ms);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${withYear ? ` ${d.getUTCFullYear()}` : ''}`;
};

/** Round steps (1, 2, 5 × 10ⁿ) giving about `count` ticks from 0 to at least `max`. */
export function countTicks(max: number, count = 4): number[] {
  if (max <= 0) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? 10 * power);
  const top = Math.ceil(max / step) * step;
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

/** Day steps for the date axis: the smallest that leaves `minGap` pixels between labels. */
function dateTicks(from: number, to: number, width: number, minGap = 72): number[] {
  const days = (to - from) / DAY;
  const fit = Math.max(1, Math.floor(width / minGap));
  const step = [1, 2, 3, 7, 14, 28, 56, 91, 182, 364].find((s) => days / s <= fit) ?? 364;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / DAY) * DAY; t <= to; t += step * DAY) ticks.push(t);
  return ticks;
}

/** Rough width of a marker label at the chart's 11 px font. */
const labelWidth = (label: string) => label.length * 6.6;

/**
 * Where each marker's label goes: anchored to stay inside the chart, on the first row above the
 * plot where it clears every label already there by 8 px, so no two labels overlap however
 * close their days are. `marks` sorted by position.
 */
export function placeMarkerLabels<T extends { px: number; label: string }>(marks: T[], width: number) {
  const rowEnds: number[] = [];
  return marks.map((m) => {
    const w = labelWidth(m.label);
    const anchor: 'start' | 'middle' | 'end' = m.px > width - 90 ? 'end' : m.px < M.left + 60 ? 'start' : 'middle';
    const from = anchor === 'end' ? m.px - 4 - w : anchor === 'start' ? m.px + 4 : m.px - w / 2;
    let row = rowEnds.findIndex((end) => end + 8 <= from);
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = from + w;
    return { ...m, row, anchor, from, to: from + w };
  });
}

function useWidth<T extends HTMLElement>(initial: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setWidth(Math.max(320, Math.floor(el.clientWidth)));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}

export function HostsOverTimeChart({
  series,
  asOf,
  markers,
  title,
  description,
}: {
  series: Array<{ date: string; vulnerableHosts: number }>;
  asOf: string;
  markers: ChartMarker[];
  title: string;
  description: string;
}) {
  const id = useId();
  const [ref, width] = useWidth<HTMLDivElement>(800);
  if (series.length === 0) return null;

  const now = Date.parse(asOf);
  const start = Date.parse(`${series[0]!.date}T00:00:00Z`);
  const marks = markers.map((m) => ({ ...m, ms: Date.parse(m.at) }));
  const end = Math.max(now, ...marks.map((m) => m.ms));
  const innerW = width - M.left - M.right;
  const x = (ms: number) => M.left + ((ms - start) / Math.max(end - start, DAY)) * innerW;
  const placed = placeMarkerLabels(
    marks
      .filter((m) => m.ms >= start && m.ms <= end)
      .sort((a, b) => a.ms - b.ms)
      .map((m) => ({ ...m, px: x(m.ms) })),
    width,
  );
  const lowestRow = Math.max(0, ...placed.map((m) => m.row));
  // Every marker's line starts below the lowest row of labels, so none runs through a label.
  const top = topMargin(placed.length ? lowestRow + 1 : 0);
  const innerH = HEIGHT - top - M.bottom;
  const yTicks = countTicks(Math.max(...series.map((p) => p.vulnerableHosts)));
  const yMax = yTicks.at(-1)!;
  const y = (v: number) => top + innerH - (v / yMax) * innerH;

  // A step per day: the count holds from the start of its day to the next (today: until now).
  const days = series.map((p, i) => {
    const from = Date.parse(`${p.date}T00:00:00Z`);
    return { ...p, from, to: i === series.length - 1 ? now : from + DAY };
  });
  const f = (n: number) => n.toFixed(1);
  const line = days.map((d, i) => (i === 0 ? `M${f(x(d.from))},${f(y(d.vulnerableHosts))}` : `V${f(y(d.vulnerableHosts))}`) + `H${f(x(d.to))}`).join('');
  const area = `${line}V${f(y(0))}H${f(x(days[0]!.from))}Z`;
  const xTicks = dateTicks(start, end, innerW);
  const spansYears = new Date(start).getUTCFullYear() !== new Date(end).getUTCFullYear();

  return (
    <div className="hot-chart" ref={ref}>
      <svg width={width} height={HEIGHT} role="img" aria-labelledby={`${id}-t ${id}-d`}>
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {now < end && <rect className="hot-future" x={x(now)} y={top} width={x(end) - x(now)} height={innerH} />}
        <g className="hot-axis">
          {yTicks.map((v) => (
            <g key={v}>
              <line className="hot-grid" x1={M.left} x2={M.left + innerW} y1={y(v)} y2={y(v)} />
              <text x={M.left - 8} y={y(v)} dy="0.32em" textAnchor="end">
                {v}
              </text>
            </g>
          ))}
          {xTicks.map((t, i) => (
            <g key={t}>
              <line className="hot-tick" x1={x(t)} x2={x(t)} y1={top + innerH} y2={top + innerH + 4} />
              <text x={x(t)} y={top + innerH + 17} textAnchor="middle">
                {dayLabel(t, spansYears && (i === 0 || new Date(t).getUTCMonth() === 0))}
              </text>
            </g>
          ))}
          <line className="hot-baseline" x1={M.left} x2={M.left + innerW} y1={y(0)} y2={y(0)} />
          <text className="hot-axis-title" x={12} y={top + innerH / 2} transform={`rotate(-90 12 ${top + innerH / 2})`} textAnchor="middle">
            hosts
          </text>
        </g>
        <path className="hot-area" d={area} />
        <path className="hot-line" d={line} />
        {placed.map((m) => (
          <g key={m.tone} className={`hot-marker hot-marker-${m.tone}`}>
            <line x1={m.px} x2={m.px} y1={17 + lowestRow * LABEL_ROW} y2={top + innerH} />
            <text x={m.px} y={12 + m.row * LABEL_ROW} textAnchor={m.anchor} dx={m.anchor === 'end' ? -4 : m.anchor === 'start' ? 4 : 0}>
              {m.label}
            </text>
          </g>
        ))}
        {days.map((d) => (
          <rect key={d.date} className="hot-hit" x={x(d.from)} y={top} width={Math.max(1, x(d.to) - x(d.from))} height={innerH}>
            <title>{`${d.date}: ${d.vulnerableHosts} vulnerable host${d.vulnerableHosts === 1 ? '' : 's'}`}</title>
          </rect>
        ))}
      </svg>
    </div>
  );
}
