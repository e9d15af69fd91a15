/** Payment ↔ card-line matching (SPEC §4.3): the public surface. The stages and their order are in run.ts. */
export { matchPaymentsToCardLines } from './run.js';
export { MATCH_CLASSES } from './types.js';
export type {
  AmountDifference,
  ClassTotal,
  CurrencyTotal,
  FxRateUsed,
  LineClassification,
  MatchClass,
  MatchResult,
  MatchSide,
  NotCountedReason,
  RunnerUp,
  ScoreBreakdown,
  ScoreSignal,
  SideRef,
} from './types.js';
export { divideRounded } from './rates.js';
export { textSimilarity } from './text.js';
export { solveAssignment } from './assignment.js';
export { MatchingLimitError } from './runs.js';
export type { AssignedPair, CandidateEdge } from './assignment.js';
export {
  compileDescriptorPattern,
  DEFAULT_DESCRIPTOR_PATTERNS,
  DEFAULT_FEE_PATTERNS,
  DEFAULT_SUBSCRIPTION_PATTERNS,
  defaultMatchOptions,
  matchingConfigSchema,
  matchOverridesSchema,
  parseMatchingConfig,
  parseMatchOverrides,
} from './config.js';
export type { MatchingConfig, MatchingConfigInput, MatchOptions, MatchOverrides, OverridePair } from './config.js';
