// Binary cross-entropy (log loss) and RCE, its relative improvement over always predicting the base rate.
import {type BinaryInput, checkBinaryInput, classTotals, requireBothClasses} from './binary-input.js'

/** Probabilities are clipped to [eps, 1 - eps] so one confident mistake costs at most -ln(1e-7) = 16.1 nats. */
export const LOGLOSS_EPS = 1e-7

/** Weighted mean of -(y ln p + (1 - y) ln(1 - p)) in nats; `scores` are probabilities in [0, 1], labels in [0, 1]. */
export function logLoss(input: BinaryInput, eps = LOGLOSS_EPS): number {
  checkBinaryInput('logloss', input, {probabilities: true, softLabels: true})
  return crossEntropy(input, (i) => input.scores[i], eps)
}

/**
 * Relative cross entropy, as in the Twitter RecSys Challenge: 100 * (1 - logloss / baseline), the
 * baseline being the log loss of predicting the (weighted) base rate for everyone. 0 = no better
 * than the base rate, 100 = perfect, negative = worse. Throws EMPTY when one class is absent.
 */
export function relativeCrossEntropy(input: BinaryInput, eps = LOGLOSS_EPS): number {
  checkBinaryInput('RCE', input, {probabilities: true, softLabels: true})
  const totals = classTotals(input)
  requireBothClasses('RCE', totals)
  const baseRate = totals.positive / (totals.positive + totals.negative)
  const baseline = crossEntropy(input, () => baseRate, eps)
  return 100 * (1 - crossEntropy(input, (i) => input.scores[i], eps) / baseline)
}

function crossEntropy(input: BinaryInput, prob: (i: number) => number, eps: number): number {
  const {labels, weights} = input
  let sum = 0
  let total = 0
  for (let i = 0; i < labels.length; i++) {
    const w = weights ? weights[i] : 1
    const p = Math.min(1 - eps, Math.max(eps, prob(i)))
    const y = labels[i]
    sum -= w * (y * Math.log(p) + (1 - y) * Math.log(1 - p))
    total += w
  }
  return sum / total
}
