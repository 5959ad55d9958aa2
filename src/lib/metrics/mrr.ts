// Reciprocal rank of the first target, the per-user term of MRR.

/**
 * 1 / (1 + position of the first target) within the ranked list, 0 when no target is in it.
 * The list is only as long as the largest K evaluated, so this is MRR truncated at that K:
 * a target ranked below it counts 0, not 1 / its true rank.
 */
export function reciprocalRank(positions: Int32Array, hits: number): number {
  return hits > 0 ? 1 / (positions[0] + 1) : 0
}
