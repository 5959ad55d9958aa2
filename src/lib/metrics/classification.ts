// All classification metrics of one head at once, for validation logs and `rec eval` reports.
import {rocAuc} from './auc.js'
import {type BinaryInput, checkBinaryInput, classTotals} from './binary-input.js'
import {expectedCalibrationError} from './calibration.js'
import {logLoss, relativeCrossEntropy} from './logloss.js'
import {averagePrecision, precisionAtRecall} from './pr-curve.js'

export interface ClassificationReport {
  examples: number
  /** Weighted share of positive labels. */
  baseRate: number
  auc: number
  prAuc: number
  logloss: number
  rce: number
  ece: number
  /** Best precision at recall >= `recall` (default 0.9), and the score threshold reaching it. */
  precisionAtRecall: {recall: number; precision: number; threshold: number}
}

/**
 * AUC, PR-AUC, logloss, RCE, ECE (10 bins) and precision at a recall for 0/1 labels and predicted
 * probabilities (weights optional). Throws EMPTY unless both classes are present.
 */
export function evaluateClassification(input: BinaryInput, options: {recall?: number; bins?: number} = {}): ClassificationReport {
  checkBinaryInput('classification', input, {probabilities: true})
  const totals = classTotals(input)
  const recall = options.recall ?? 0.9
  const atRecall = precisionAtRecall(input, recall)
  return {
    examples: input.labels.length,
    baseRate: totals.positive / (totals.positive + totals.negative),
    auc: rocAuc(input),
    prAuc: averagePrecision(input),
    logloss: logLoss(input),
    rce: relativeCrossEntropy(input),
    ece: expectedCalibrationError(input, options.bins ?? 10),
    precisionAtRecall: {recall, precision: atRecall.precision, threshold: atRecall.threshold},
  }
}
