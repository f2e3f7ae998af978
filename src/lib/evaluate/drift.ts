// docs/matching.md, trap 9: a feed whose format drifted parses "successfully" into nothing (Pakiti went
// silent when Ubuntu changed its OVAL comments, pakiti-server #170). Compare each load with
// the previous one and raise an alarm instead of accepting a quiet zero.
import { POLICIES } from '../vuln-model/policies.js';
import type { FeedStats } from '../vuln-model/types.js';

/**
 * Reasons to distrust a freshly parsed feed, given the previous load's stats (empty: fine).
 * Alarms when nothing was read, when affected ranges fell by more than half, or when more
 * items were skipped as unrecognised than read.
 *
 * @example
 * feedDriftAlarms({ definitions: 0, affected: 0, skipped: {} }, { definitions: 900, affected: 4000, skipped: {} });
 * // ['policy:format-drift-alarm: no definitions read (previous load: 900)']
 */
export function feedDriftAlarms(current: FeedStats, previous?: FeedStats): string[] {
  const alarms: string[] = [];
  const p = POLICIES.formatDrift;
  if (current.definitions === 0) alarms.push(`${p}: no definitions read${previous ? ` (previous load: ${previous.definitions})` : ''}`);
  else if (current.affected === 0) alarms.push(`${p}: ${current.definitions} definitions but no affected package read`);
  if (previous && current.affected > 0 && current.affected < previous.affected / 2) {
    alarms.push(`${p}: affected ranges fell from ${previous.affected} to ${current.affected}`);
  }
  const unrecognised = Object.entries(current.skipped)
    .filter(([reason]) => reason.startsWith('unrecognised'))
    .reduce((n, [, c]) => n + c, 0);
  if (unrecognised > current.affected) alarms.push(`${p}: ${unrecognised} items unrecognised, ${current.affected} read`);
  return alarms;
}
