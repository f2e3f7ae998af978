// Counting what a parser keeps and skips.
import type { FeedStats } from './types.js';

/**
 * A fresh, empty stats record.
 *
 * @example
 * const stats = createFeedStats(); recordSkip(stats, 'policy:withdrawn');
 */
export function createFeedStats(): FeedStats {
  return { definitions: 0, affected: 0, skipped: {} };
}

/**
 * Counts one skipped item under `reason`.
 *
 * @example
 * recordSkip(stats, 'unsupported-test:textfilecontent54_test');
 */
export function recordSkip(stats: FeedStats, reason: string, count = 1): void {
  stats.skipped[reason] = (stats.skipped[reason] ?? 0) + count;
}
