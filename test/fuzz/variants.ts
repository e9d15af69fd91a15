/**
 * The fuzz variants: the kinds of kinds.ts in order (then again with fresh draws), each built
 * from its own seed derived from the run's, so a failure reruns exactly.
 */
import { KINDS } from './kinds.js';
import { Rand, Secrets } from './gen.js';
import type { Variant } from './draft.js';

export type { Variant, VariantFile } from './draft.js';
export { KINDS };

/**
 * `runs` variants from `seed`: the kinds in order (then again with fresh draws), each built
 * from its own seed so one variant can be rebuilt alone.
 */
export function generateVariants(seed: number, runs: number): Variant[] {
  const out: Variant[] = [];
  for (let index = 0; index < runs; index++) {
    const kind = KINDS[index % KINDS.length]!;
    const rand = new Rand((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
    const secrets = new Secrets(rand);
    const draft = kind.build({ rand, secrets });
    out.push({ ...draft, index, kind: kind.kind, keys: secrets.keys, runner: draft.runner ?? kind.runner ?? 'worker' });
  }
  return out;
}
