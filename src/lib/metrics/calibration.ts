// Expected calibration error: how far predicted probabilities sit from observed rates, bin by bin.
import {RecError} from '../errors.js'
import {type BinaryInput, checkBinaryInput} from './binary-input.js'

/**
 * ECE = sum over equal-width probability bins b of (W_b / W) |mean label_b - mean probability_b|,
 * weighted by example weights; p = 1 falls in the last bin. 0 = perfectly calibrated.
 */
export function expectedCalibrationError(input: BinaryInput, bins = 10): number {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RecError('INVALID_ARGUMENT', `ECE: bins must be a positive integer (got ${bins})`)
  checkBinaryInput('ECE', input, {probabilities: true, softLabels: true})
  const {labels, scores, weights} = input
  const weight = new Float64Array(bins)
  const labelSum = new Float64Array(bins)
  const probSum = new Float64Array(bins)
  let total = 0
  for (let i = 0; i < labels.length; i++) {
    const w = weights ? weights[i] : 1
    const b = Math.min(bins - 1, Math.floor(scores[i] * bins))
    weight[b] += w
    labelSum[b] += w * labels[i]
    probSum[b] += w * scores[i]
    total += w
  }
  let ece = 0
  for (let b = 0; b < bins; b++) {
    if (weight[b] > 0) ece += Math.abs(labelSum[b] - probSum[b]) / total
  }
  return ece
}
