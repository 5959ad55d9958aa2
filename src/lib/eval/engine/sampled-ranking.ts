// The sampled protocol: each target ranked among N random negatives. Kept apart from full ranking, whose numbers it does not match.
import {RecError} from '../../errors.js'
import {Rng} from '../../random/rng.js'
import {silentReporter} from '../../reporter.js'
import {SampledNegatives} from './sampled-negatives.js'
import {checkUsers, type PerUserEvalInput, type PerUserEvalResult, usersWithTargets} from './per-user-eval.js'
import {defaultBlockUsers} from './top-k-block.js'

/** Each K <= negatives + 1. */
export interface SampledEvalInput extends PerUserEvalInput {
  /** Negatives per target, e.g. 100; a user with fewer eligible items uses all of them. */
  negatives: number
  seed: number
}

/** perUser: "sampled_hitrate@K", "sampled_ndcg@K" per K and "sampled_mrr", each the mean over that user's distinct targets. */
export type SampledEvalResult = PerUserEvalResult

/**
 * For every distinct target of every user with targets: draw `negatives` items uniformly without
 * replacement from those outside the user's history and targets, and take the target's 0-based
 * rank r = negatives scoring higher + negatives scoring equal with a smaller item row (the tie rule
 * of full ranking). hitrate@K = [r < K], ndcg@K = [r < K] / log2(r + 2), mrr = 1 / (r + 1).
 * Same inputs and seed give the same numbers.
 */
export function evaluateSampled(input: SampledEvalInput): SampledEvalResult {
  const {scores, users, exclude, targets, negatives} = input
  const nItems = scores.nItems
  if (!(Number.isInteger(negatives) && negatives >= 1 && negatives < nItems)) {
    throw new RecError('INVALID_ARGUMENT', `negatives must be an integer in [1, ${nItems - 1}] (got ${negatives})`)
  }
  const ks = [...new Set(input.ks)].sort((a, b) => a - b)
  if (ks.length === 0 || ks.some((k) => !(Number.isInteger(k) && k >= 1 && k <= negatives + 1))) {
    throw new RecError('INVALID_ARGUMENT', `each K must be an integer in [1, ${negatives + 1}] with ${negatives} negatives (got [${input.ks.join(', ')}])`)
  }
  checkUsers(users, targets, exclude, nItems)
  const kept = usersWithTargets(users, targets)

  const names = [...ks.flatMap((k) => [`sampled_hitrate@${k}`, `sampled_ndcg@${k}`]), 'sampled_mrr']
  const perUser: Record<string, Float32Array> = Object.fromEntries(names.map((name) => [name, new Float32Array(kept.length)]))
  const sampler = new SampledNegatives(nItems, new Rng(input.seed))
  const block = defaultBlockUsers(nItems)
  const buffer = new Float32Array(Math.min(block, kept.length) * nItems)
  const bar = (input.reporter ?? silentReporter).progress('sampled ranking', kept.length)
  for (let start = 0; start < kept.length; start += block) {
    const rows = kept.subarray(start, Math.min(kept.length, start + block))
    scores.scoreBlock(rows, buffer)
    for (let j = 0; j < rows.length; j++) {
      const ranks = sampler.rankTargets(rows[j], exclude, targets, negatives, buffer.subarray(j * nItems, (j + 1) * nItems))
      let slot = 0
      for (const k of ks) {
        perUser[names[slot++]][start + j] = mean(ranks, (r) => (r < k ? 1 : 0))
        perUser[names[slot++]][start + j] = mean(ranks, (r) => (r < k ? 1 / Math.log2(r + 2) : 0))
      }
      perUser[names[slot]][start + j] = mean(ranks, (r) => 1 / (r + 1))
    }
    bar.tick(rows.length)
  }
  bar.stop()
  const means = Object.fromEntries(names.map((name) => [name, mean(perUser[name], (v) => v)]))
  return {ks, users: kept, perUser, mean: means, usersEvaluated: kept.length, usersSkipped: users.length - kept.length}
}

function mean(values: ArrayLike<number>, f: (v: number) => number): number {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += f(values[i])
  return sum / values.length
}
