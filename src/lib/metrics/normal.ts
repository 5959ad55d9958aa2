// The standard normal distribution's tails, to double precision, for the z-tests of proportions.

const SQRT_PI = Math.sqrt(Math.PI)

/**
 * erfc(x) for x >= 0 (and by symmetry below). Under 2: the all-positive series
 * erf(x) = 2/sqrt(pi) e^(-x^2) sum_n (2x^2)^n x / (1*3*...*(2n+1)) (no cancellation; erfc >= 0.0047
 * there, so 1 - erf keeps ~14 digits); from 2 on: the continued fraction
 * erfc(x) = e^(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) by modified Lentz, which keeps
 * the relative precision of tiny tails (erfc(10) = 2.1e-45).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN
  if (x < 0) return 2 - erfc(-x)
  if (x < 2) {
    let term = x
    let sum = x
    for (let n = 1; term > sum * 1e-17; n++) {
      term *= (2 * x * x) / (2 * n + 1)
      sum += term
    }
    return 1 - ((2 / SQRT_PI) * Math.exp(-x * x) * sum)
  }
  if (x > 27) return 0 // e^(-729) underflows
  const tiny = 1e-300
  let f = x
  let c = x
  let d = 0
  for (let n = 1; n < 500; n++) {
    const a = n / 2
    d = x + a * d
    d = Math.abs(d) < tiny ? tiny : d
    c = x + a / c
    c = Math.abs(c) < tiny ? tiny : c
    d = 1 / d
    const delta = c * d
    f *= delta
    if (Math.abs(delta - 1) < 1e-16) break
  }
  return Math.exp(-x * x) / SQRT_PI / f
}

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2)
}

/** Two-sided p-value of a z statistic: P(|Z| >= |z|). */
export function twoSidedP(z: number): number {
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)))
}

/** The 97.5% quantile of the standard normal: a two-sided 95% interval is +- Z95 standard errors. */
export const Z95 = 1.959963984540054
