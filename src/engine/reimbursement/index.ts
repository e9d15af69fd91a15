/**
 * Reimbursement and cost allocation (SPEC §5.2): the public surface. What each cost centre and
 * cardholder paid to the provider, in the currency the card was actually charged in, with the
 * receipt that proves it, each API charge split over projects by their billed usage.
 * The build order is in build.ts; where a line goes in placement.ts (the rules in types.ts).
 */
export { buildReimbursement } from './build.js';
export { allocate } from './allocation.js';
export { minorUnits } from './util.js';
export * from './types.js';
