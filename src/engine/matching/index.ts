/** Payment ↔ card-line matching (SPEC §4.3): the public surface. The stages and their order are in run.ts. */
export { matchPaymentsToCardLines } from './run.js';
export { MATCH_CLASSES } from './types.js';
export type {
  LineClassification,
  MatchClass,
  MatchResult,
  MatchSide,
  RunnerUp,
  ScoreBreakdown,
  SideRef,
} from './types.js';
export { textSimilarity } from './text.js';
export { MatchingLimitError } from './runs.js';
export {
  compileDescriptorPattern,
  defaultMatchOptions,
  matchingConfigSchema,
  parseMatchingConfig,
  parseMatchOverrides,
} from './config.js';
export type { MatchOptions, MatchOverrides, OverridePair } from './config.js';
