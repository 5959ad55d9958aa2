// Merge weights: one per input, finite, non-negative, not all zero; normalised to sum 1.
import {RecError} from '../errors.js'

/** Equal weights when `weights` is undefined; otherwise checks and scales them to sum 1. */
export function normalizeMergeWeights(weights: readonly number[] | undefined, inputs: number): number[] {
  if (weights === undefined) return Array.from({length: inputs}, () => 1 / inputs)
  if (weights.length !== inputs) {
    throw new RecError('INVALID_ARGUMENT', `--weights has ${weights.length} values for ${inputs} checkpoints`, {hint: 'give one weight per checkpoint, e.g. --weights 0.5,0.5'})
  }
  weights.forEach((w, i) => {
    if (!Number.isFinite(w)) throw new RecError('INVALID_ARGUMENT', `--weights: value ${i + 1} (${w}) is not a number`)
    if (w < 0) throw new RecError('INVALID_ARGUMENT', `--weights: value ${i + 1} (${w}) is negative`, {hint: 'weights must be >= 0'})
  })
  const total = weights.reduce((s, w) => s + w, 0)
  if (!(total > 0)) throw new RecError('INVALID_ARGUMENT', '--weights are all zero', {hint: 'give at least one positive weight'})
  return weights.map((w) => w / total)
}

/** "0.5,0.25,0.25" -> numbers; a part that is not a number is INVALID_ARGUMENT naming it. */
export function parseMergeWeights(text: string): number[] {
  return text.split(',').map((part) => {
    const value = part.trim() === '' ? Number.NaN : Number(part)
    if (!Number.isFinite(value)) throw new RecError('INVALID_ARGUMENT', `--weights: "${part}" is not a number`)
    return value
  })
}
