// Validation and ordering shared by the classification metrics: labels, scores and optional weights of n examples.
import {RecError} from '../errors.js'

/** n examples: label 0/1 (probability-based metrics accept soft labels in [0, 1]), score, optional weight >= 0. */
export interface BinaryInput {
  labels: ArrayLike<number>
  scores: ArrayLike<number>
  weights?: ArrayLike<number>
}

/**
 * Throws unless lengths agree, n > 0, scores are finite (in [0, 1] when `probabilities`), labels are
 * 0/1 (or in [0, 1] when `softLabels`) and weights are finite and >= 0 with a positive total.
 */
export function checkBinaryInput(metric: string, input: BinaryInput, options: {probabilities?: boolean; softLabels?: boolean} = {}): void {
  const {labels, scores, weights} = input
  const n = labels.length
  if (scores.length !== n) throw new RecError('MISMATCH', `${metric}: ${n} labels but ${scores.length} scores`)
  if (weights && weights.length !== n) throw new RecError('MISMATCH', `${metric}: ${n} labels but ${weights.length} weights`)
  if (n === 0) throw new RecError('EMPTY', `${metric}: no examples`)
  let total = 0
  for (let i = 0; i < n; i++) {
    const y = labels[i]
    const okLabel = options.softLabels ? y >= 0 && y <= 1 : y === 0 || y === 1
    if (!okLabel) throw new RecError('BAD_DATA', `${metric}: label ${y} at example ${i} must be ${options.softLabels ? 'in [0, 1]' : '0 or 1'}`)
    const s = scores[i]
    if (!Number.isFinite(s)) throw new RecError('BAD_DATA', `${metric}: score ${s} at example ${i} is not finite`)
    if (options.probabilities && !(s >= 0 && s <= 1)) throw new RecError('BAD_DATA', `${metric}: probability ${s} at example ${i} is outside [0, 1]`)
    const w = weights ? weights[i] : 1
    if (!(Number.isFinite(w) && w >= 0)) throw new RecError('BAD_DATA', `${metric}: weight ${w} at example ${i} must be finite and >= 0`)
    total += w
  }
  if (!(total > 0)) throw new RecError('EMPTY', `${metric}: the weights sum to 0`)
}

/** Example indices by score descending (stable for equal scores). */
export function orderByScoreDesc(scores: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({length: scores.length}, (_, i) => i)
  return order.sort((a, b) => scores[b] - scores[a] || a - b)
}

/** Weighted totals of positives and negatives (soft labels split their weight). */
export function classTotals(input: BinaryInput): {positive: number; negative: number} {
  let positive = 0
  let negative = 0
  for (let i = 0; i < input.labels.length; i++) {
    const w = input.weights ? input.weights[i] : 1
    positive += w * input.labels[i]
    negative += w * (1 - input.labels[i])
  }
  return {positive, negative}
}

/** Throws EMPTY unless both classes carry weight: AUC and cross-entropy baselines are undefined otherwise. */
export function requireBothClasses(metric: string, totals: {positive: number; negative: number}): void {
  if (!(totals.positive > 0 && totals.negative > 0)) {
    throw new RecError('EMPTY', `${metric} needs both classes (weighted positives ${totals.positive}, negatives ${totals.negative})`)
  }
}
