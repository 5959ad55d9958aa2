// Paired bootstrap over users: is model B's per-user metric different from model A's on the same users?
import {RecError} from '../errors.js'
import {Rng} from '../random/rng.js'

export interface BootstrapOptions {
  /** Default 1000. */
  resamples?: number
  seed: number
  /** Two-sided confidence level of the interval, default 0.95. */
  confidence?: number
}

export interface BootstrapResult {
  meanA: number
  meanB: number
  /** mean(B) - mean(A) on the users as given. */
  delta: number
  /** Percentile interval of the resampled deltas. */
  ciLow: number
  ciHigh: number
  /** Two-sided; see pairedBootstrap. */
  pValue: number
}

/**
 * `a` and `b` hold one value per user, same users in the same order (e.g. evaluateRanking's perUser
 * of two models over the same users). Each resample draws n users with replacement (seeded) and
 * takes the mean of b - a. The CI is the percentile interval (linear interpolation between order
 * statistics). p = min(1, 2 (c + 1) / (R + 1)) where c counts resampled deltas on the far side of 0
 * from the observed delta (delta* <= 0 when delta > 0, >= 0 when delta < 0, all of them when
 * delta = 0): the bootstrap-inversion p-value, consistent with the CI, never exactly 0.
 * Identical inputs give delta 0, CI [0, 0] and p = 1.
 */
export function pairedBootstrap(a: ArrayLike<number>, b: ArrayLike<number>, options: BootstrapOptions): BootstrapResult {
  const n = a.length
  const resamples = options.resamples ?? 1000
  const confidence = options.confidence ?? 0.95
  if (b.length !== n) throw new RecError('MISMATCH', `paired bootstrap: ${n} values for A but ${b.length} for B; both must cover the same users`)
  if (n === 0) throw new RecError('EMPTY', 'paired bootstrap: no users')
  if (!(Number.isInteger(resamples) && resamples >= 1)) throw new RecError('INVALID_ARGUMENT', `resamples must be a positive integer (got ${resamples})`)
  if (!(confidence > 0 && confidence < 1)) throw new RecError('INVALID_ARGUMENT', `confidence must be in (0, 1) (got ${confidence})`)
  const diff = new Float64Array(n)
  let sumA = 0
  let sumB = 0
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) throw new RecError('BAD_DATA', `paired bootstrap: user ${i} has a non-finite value (${a[i]}, ${b[i]})`)
    sumA += a[i]
    sumB += b[i]
    diff[i] = b[i] - a[i]
  }
  const delta = sumB / n - sumA / n
  const rng = new Rng(options.seed)
  const deltas = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) {
    let sum = 0
    for (let i = 0; i < n; i++) sum += diff[rng.int(n)]
    deltas[r] = sum / n
  }
  deltas.sort()
  let farSide = 0
  for (const d of deltas) if ((delta > 0 && d <= 0) || (delta < 0 && d >= 0) || delta === 0) farSide++
  const tail = (1 - confidence) / 2
  return {
    meanA: sumA / n,
    meanB: sumB / n,
    delta,
    ciLow: quantile(deltas, tail),
    ciHigh: quantile(deltas, 1 - tail),
    pValue: Math.min(1, (2 * (farSide + 1)) / (resamples + 1)),
  }
}

/** Linear interpolation between order statistics of sorted values (type 7, as numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1)
  const lo = Math.floor(at)
  const hi = Math.min(sorted.length - 1, lo + 1)
  return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo])
}
