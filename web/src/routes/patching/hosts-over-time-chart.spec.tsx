import { expect, test } from 'vitest';
import { placeMarkerLabels } from './hosts-over-time-chart';

const overlaps = (a: { from: number; to: number }, b: { from: number; to: number }) => a.from < b.to && b.from < a.to;

// Issue 11, item 10: chart labels never overlap, however close the tagging, today and the deadline are.
test('marker labels close together go to rows of their own; no two labels on a row overlap', () => {
  const marks = [
    { px: 400, label: 'tagged EGI-Critical' },
    { px: 430, label: 'today' },
    { px: 470, label: 'deadline (7 days)' },
  ];

  const placed = placeMarkerLabels(marks, 900);

  expect(placed.map((m) => m.row)).toEqual([0, 1, 2]);
  for (const a of placed) for (const b of placed) if (a !== b && a.row === b.row) expect(overlaps(a, b)).toBe(false);
});

test('labels far apart share the first row, and labels at the edges are anchored inside the chart', () => {
  const placed = placeMarkerLabels(
    [
      { px: 60, label: 'tagged EGI-High' },
      { px: 450, label: 'today' },
      { px: 880, label: 'deadline (42 days)' },
    ],
    900,
  );

  expect(placed.map((m) => [m.row, m.anchor])).toEqual([
    [0, 'start'],
    [0, 'middle'],
    [0, 'end'],
  ]);
  expect(Math.min(...placed.map((m) => m.from))).toBeGreaterThanOrEqual(0);
  expect(Math.max(...placed.map((m) => m.to))).toBeLessThanOrEqual(900);
});
