// Rates of events out of trials (CTR, conversion): the Wilson interval of one, and the z-test and interval of two's difference.
import {RecError} from '../errors.js'
import {twoSidedP, Z95} from './normal.js'

export interface Interval {
  low: number
  high: number
}

export interface ProportionDiff {
  /** rate(b) - rate(a). */
  diff: number
  /** 95% interval of the difference, unpooled normal: diff +- z sqrt(pa(1-pa)/na + pb(1-pb)/nb), clipped to [-1, 1]. */
  low: number
  high: number
  /** The pooled z statistic: diff / sqrt(p(1-p)(1/na + 1/nb)), p = (xa + xb) / (na + nb). */
  z: number
  /** Two-sided p-value of the pooled z-test. */
  pValue: number
}

function checkCounts(successes: number, trials: number, what: string): void {
  if (!(Number.isInteger(successes) && Number.isInteger(trials) && successes >= 0 && successes <= trials)) {
    throw new RecError('INVALID_ARGUMENT', `${what}: need integers 0 <= successes <= trials (got ${successes} of ${trials})`)
  }
}

/**
 * Wilson score interval of successes / trials (default 95%):
 * (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n). Unlike p +- z se it stays inside [0, 1]
 * and is not empty at 0 or n successes. No trials: [0, 1] (nothing is known).
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): Interval {
  checkCounts(successes, trials, 'wilsonInterval')
  return wilsonOfRate(successes, trials, z)
}

/**
 * The Wilson formula for a success total that may be fractional (a sum of rewards in [0, 1], whose variance is
 * at most p(1 - p), so the interval is conservative for them); wilsonInterval checks the counts first.
 */
export function wilsonOfRate(successes: number, trials: number, z = Z95): Interval {
  if (trials === 0) return {low: 0, high: 1}
  const p = successes / trials
  const z2n = (z * z) / trials
  const centre = (p + z2n / 2) / (1 + z2n)
  const half = (z / (1 + z2n)) * Math.sqrt(p * (1 - p) / trials + z2n / (4 * trials))
  // at 0 (or n) successes the bound is 0 (or 1) exactly; rounding would put it a hair off
  return {low: successes === 0 ? 0 : Math.max(0, centre - half), high: successes === trials ? 1 : Math.min(1, centre + half)}
}

/**
 * B against A (B = treatment, A = control): the difference of rates, its unpooled normal interval, and
 * the pooled two-proportion z-test. Both need at least one trial (EMPTY otherwise). When the pooled rate
 * is 0 or 1 (no successes anywhere, or only successes) the rates are equal: z = 0, p = 1, interval [0, 0].
 */
export function compareProportions(successesA: number, trialsA: number, successesB: number, trialsB: number, z = Z95): ProportionDiff {
  checkCounts(successesA, trialsA, 'compareProportions A')
  checkCounts(successesB, trialsB, 'compareProportions B')
  if (trialsA === 0 || trialsB === 0) throw new RecError('EMPTY', `compareProportions: both groups need trials (got ${trialsA} and ${trialsB})`)
  const pa = successesA / trialsA
  const pb = successesB / trialsB
  const diff = pb - pa
  const pooled = (successesA + successesB) / (trialsA + trialsB)
  const pooledSe = Math.sqrt(pooled * (1 - pooled) * (1 / trialsA + 1 / trialsB))
  const statistic = pooledSe > 0 ? diff / pooledSe : 0
  const se = Math.sqrt((pa * (1 - pa)) / trialsA + (pb * (1 - pb)) / trialsB)
  // a difference of rates lies in [-1, 1]; the normal interval of a small sample can overshoot it
  return {diff, low: Math.max(-1, diff - z * se), high: Math.min(1, diff + z * se), z: statistic, pValue: pooledSe > 0 ? twoSidedP(statistic) : 1}
}
