// The scoring API for serving and evaluation: (user, candidates, time, retrieval scores) -> head probabilities + fused score.
import {RecError} from '../../errors.js'
import {RETRIEVAL_SCORE} from '../../features/cross/cross-features.js'
import {createRankerKernel} from './kernel.js'
import type {LoadedRanker} from './load.js'
import {fuseScores} from './predict.js'

export interface ScoreRequest {
  /** The user's vocabulary row (0 = unknown user). */
  user: number
  /** Candidate item rows. */
  items: Int32Array
  /** Request time (ms): cross features count only what happened before it. */
  ts: number
  /** One retrieval score per candidate; required when the model reads retrieval_score. */
  retrieval?: Float32Array
}

export interface ScoreResult {
  /**
   * [candidates, heads] row-major, in `heads` order. A model trained on sampled negatives scores
   * sigmoid(logit + log(k q(item))) (see PopularityNegatives.logQ): ordered by p(item | user), not
   * calibrated against the sampler as its validation metrics are.
   */
  probabilities: Float32Array
  /** sum_h fusion[h] * p_h per candidate: the ranking score. */
  fused: Float32Array
}

export interface RankingScorer {
  heads: string[]
  fusion: Float32Array
  needsRetrievalScore: boolean
  safetyLabels: string[]
  score(request: ScoreRequest): ScoreResult
  /** score() with caller ids; unknown ids score as the out-of-vocabulary row. */
  scoreIds(request: {userId: bigint; itemIds: BigInt64Array; ts: number; retrieval?: Float32Array}): ScoreResult
  /** Safety probabilities by label for item rows (item-only, precomputed at load). */
  safety(items: Int32Array): Record<string, Float32Array>
  /** Releases the tensors the scorer precomputed (not the model's). */
  dispose(): void
}

/**
 * Scores through the arch's request kernel (see createRankerKernel: user parts once per request,
 * item parts cached at load, fused layers), which agrees with predictProbabilities to float rounding.
 */
export function createRankingScorer(loaded: Pick<LoadedRanker, 'model' | 'stats' | 'inputs'> & Partial<Pick<LoadedRanker, 'safety'>>): RankingScorer {
  const {model, stats, inputs} = loaded
  const kernel = createRankerKernel(model, stats, inputs.items.size)
  const needsRetrievalScore = model.cross.names.includes(RETRIEVAL_SCORE)
  const score = (request: ScoreRequest): ScoreResult => {
    const n = request.items.length
    if (!(Number.isFinite(request.ts) && request.user >= 0 && request.user < inputs.users.size)) {
      throw new RecError('INVALID_ARGUMENT', `score: user row ${request.user} or time ${request.ts} is invalid`)
    }
    for (let i = 0; i < n; i++) {
      if (!(request.items[i] >= 0 && request.items[i] < inputs.items.size)) throw new RecError('INVALID_ARGUMENT', `score: item row ${request.items[i]} at position ${i} is outside [0, ${inputs.items.size})`)
    }
    if (needsRetrievalScore && request.retrieval?.length !== n) {
      throw new RecError('INVALID_ARGUMENT', `score: the model reads ${RETRIEVAL_SCORE}; pass one retrieval score per candidate (got ${request.retrieval?.length ?? 0} for ${n})`)
    }
    const retrieval = needsRetrievalScore ? request.retrieval : undefined
    const offsets = model.logQ ? Float32Array.from(request.items, (i) => model.logQ![i]) : undefined
    const probabilities = n > 0 ? kernel.score(request.user, request.items, request.ts, retrieval, offsets) : new Float32Array(0)
    return {probabilities, fused: fuseScores(probabilities, model.fusion)}
  }
  return {
    heads: model.heads.map((head) => head.name),
    fusion: model.fusion,
    needsRetrievalScore,
    safetyLabels: loaded.safety?.labels ?? [],
    score,
    scoreIds: (request) => score({user: inputs.users.row(request.userId), items: inputs.items.rows(request.itemIds), ts: request.ts, retrieval: request.retrieval}),
    safety(items) {
      const out: Record<string, Float32Array> = {}
      if (!loaded.safety) return out
      const {labels, probabilities} = loaded.safety
      labels.forEach((label, k) => (out[label] = Float32Array.from(items, (i) => probabilities[i * labels.length + k])))
      return out
    },
    dispose: () => kernel.dispose(),
  }
}
