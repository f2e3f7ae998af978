// The normalized vulnerability model shared by the OVAL, OSV and CSAF readers and the evaluator.
export type {
  AffectedRange,
  Criteria,
  Definition,
  FeedFormat,
  FeedStats,
  FixState,
  Logic,
  OvalCheck,
  OvalEntity,
  OvalExistence,
  ParsedFeed,
  Severity,
  VersionScheme,
} from './types.js';
export { POLICIES, explainNote, type PolicyName } from './policies.js';
export { normalizeSeverity, compareSeverity } from './severity.js';
export { createFeedStats, recordSkip } from './stats.js';
