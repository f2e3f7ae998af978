// The evaluation engine: compiled feeds, host evaluation, kernel and module rules, drift alarms.
export { compileFeed, versionKey, type CompiledFeed, type CompiledRange, type CompiledRelease } from './compile.js';
export { createEvaluator, type Evaluator, type EvaluatorStats } from './engine.js';
export { feedDriftAlarms } from './drift.js';
export { rewriteElSuffix } from './el-suffix.js';
export { isKernelPackage, isRunningKernel, isLivepatchedKernel } from './kernel.js';
export { isModularVersion, moduleVerdict } from './module-stream.js';
export type { EvaluatorOptions, Finding, HostEvaluation, HostInput, InstalledPackage } from './types.js';
