// Area under the ROC curve: the chance a random positive outscores a random negative, ties counting half.
import {type BinaryInput, checkBinaryInput, classTotals, orderByScoreDesc, requireBothClasses} from './binary-input.js'

/**
 * Weighted ROC AUC = sum over (positive i, negative j) of w_i w_j ([s_i > s_j] + [s_i = s_j] / 2),
 * divided by W+ W-; equal to the average-rank (Mann-Whitney) form. 1 = perfect, 0 = reversed,
 * 0.5 = all scores tied. Labels 0/1; throws EMPTY without both classes.
 */
export function rocAuc(input: BinaryInput): number {
  checkBinaryInput('AUC', input)
  const {positive, negative} = classTotals(input)
  requireBothClasses('AUC', {positive, negative})
  const {labels, scores, weights} = input
  const order = orderByScoreDesc(scores)
  let posAbove = 0 // weighted positives with a strictly higher score than the current group
  let area = 0
  for (let start = 0; start < order.length; ) {
    let groupPos = 0
    let groupNeg = 0
    let end = start
    for (; end < order.length && scores[order[end]] === scores[order[start]]; end++) {
      const i = order[end]
      const w = weights ? weights[i] : 1
      if (labels[i] === 1) groupPos += w
      else groupNeg += w
    }
    // Negatives of this group lose to every positive above and tie with the group's positives.
    area += groupNeg * (posAbove + groupPos / 2)
    posAbove += groupPos
    start = end
  }
  return area / (positive * negative)
}
