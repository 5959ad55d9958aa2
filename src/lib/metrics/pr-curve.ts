// The precision-recall curve over distinct score thresholds, and its summaries: PR-AUC (average precision) and precision at a recall.
import {RecError} from '../errors.js'
import {type BinaryInput, checkBinaryInput, classTotals, orderByScoreDesc} from './binary-input.js'

export interface PrPoint {
  /** Predict positive when score >= threshold. */
  threshold: number
  precision: number
  recall: number
}

/** One point per distinct score, thresholds descending; equal scores enter together. Labels 0/1, at least one positive. */
export function prCurve(input: BinaryInput): PrPoint[] {
  checkBinaryInput('PR curve', input)
  const {positive} = classTotals(input)
  if (!(positive > 0)) throw new RecError('EMPTY', 'PR curve: no positive example, so recall is undefined')
  const {labels, scores, weights} = input
  const order = orderByScoreDesc(scores)
  const points: PrPoint[] = []
  let tp = 0
  let fp = 0
  for (let start = 0; start < order.length; ) {
    let end = start
    for (; end < order.length && scores[order[end]] === scores[order[start]]; end++) {
      const i = order[end]
      const w = weights ? weights[i] : 1
      if (labels[i] === 1) tp += w
      else fp += w
    }
    points.push({threshold: scores[order[start]], precision: tp + fp > 0 ? tp / (tp + fp) : 1, recall: tp / positive})
    start = end
  }
  return points
}

/** Average precision = sum over thresholds of (R_n - R_{n-1}) P_n: the step-wise PR-AUC (as scikit-learn), no interpolation. */
export function averagePrecision(input: BinaryInput): number {
  let area = 0
  let lastRecall = 0
  for (const {precision, recall} of prCurve(input)) {
    area += (recall - lastRecall) * precision
    lastRecall = recall
  }
  return area
}

/** The best precision among thresholds whose recall is at least `minRecall` (in (0, 1]), with that threshold. */
export function precisionAtRecall(input: BinaryInput, minRecall: number): PrPoint {
  if (!(minRecall > 0 && minRecall <= 1)) throw new RecError('INVALID_ARGUMENT', `precision at recall: the recall must be in (0, 1] (got ${minRecall})`)
  let best: PrPoint | undefined
  for (const point of prCurve(input)) {
    if (point.recall >= minRecall - 1e-12 && (!best || point.precision > best.precision)) best = point
  }
  // The lowest threshold always reaches recall 1, so `best` is set.
  return best as PrPoint
}
