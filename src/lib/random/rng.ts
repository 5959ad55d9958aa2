// Seeded random numbers: every random choice in rec draws from an Rng so that a seed fixes the output.

/**
 * xoshiro128** on 32-bit state (fast in JS, period 2^128-1), seeded through splitmix32.
 * Not cryptographic; chosen for speed and reproducibility across platforms.
 */
export class Rng {
  private a: number
  private b: number
  private c: number
  private d: number
  private spareNormal: number | undefined

  constructor(seed: number) {
    let s = seed >>> 0
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0
      let z = s
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
      return (z ^ (z >>> 16)) >>> 0
    }
    this.a = next()
    this.b = next()
    this.c = next()
    this.d = next()
  }

  /** A new independent stream, e.g. one per table, so adding draws in one does not shift another. */
  fork(salt: number): Rng {
    return new Rng((this.nextU32() ^ Math.imul(salt + 1, 0x9e3779b1)) >>> 0)
  }

  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0
    const t = this.b << 9
    this.c ^= this.a
    this.d ^= this.b
    this.b ^= this.c
    this.a ^= this.d
    this.c ^= t
    this.d = rotl(this.d, 11)
    return result
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  bernoulli(p: number): boolean {
    return this.next() < p
  }

  /** Standard normal by Box-Muller (pairs cached). */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const v = this.spareNormal
      this.spareNormal = undefined
      return v
    }
    let u = 0
    while (u === 0) u = this.next()
    const v = this.next()
    const r = Math.sqrt(-2 * Math.log(u))
    this.spareNormal = r * Math.sin(2 * Math.PI * v)
    return r * Math.cos(2 * Math.PI * v)
  }

  /** Gamma(shape, 1) by Marsaglia-Tsang; shape < 1 boosted by U^(1/shape). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.next() || 1e-12, 1 / shape)
    const d = shape - 1 / 3
    const c = 1 / Math.sqrt(9 * d)
    for (;;) {
      let x: number
      let v: number
      do {
        x = this.normal()
        v = 1 + c * x
      } while (v <= 0)
      v = v * v * v
      const u = this.next()
      if (u < 1 - 0.0331 * x * x * x * x) return d * v
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v
    }
  }

  /** A draw from Dirichlet(alpha, ..., alpha) of size k. */
  dirichlet(k: number, alpha: number): Float64Array {
    const out = new Float64Array(k)
    let sum = 0
    for (let i = 0; i < k; i++) {
      out[i] = this.gamma(alpha)
      sum += out[i]
    }
    for (let i = 0; i < k; i++) out[i] /= sum
    return out
  }

  /** Pareto with scale 1 and tail index `alpha` (heavier tail for smaller alpha). */
  pareto(alpha: number): number {
    return Math.pow(1 - this.next(), -1 / alpha)
  }

  /** Index drawn proportionally to non-negative `weights`. */
  categorical(weights: ArrayLike<number>): number {
    let total = 0
    for (let i = 0; i < weights.length; i++) total += weights[i]
    let r = this.next() * total
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]
      if (r < 0) return i
    }
    return weights.length - 1
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T extends {length: number; [i: number]: unknown}>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1)
      const t = array[i]
      array[i] = array[j]
      array[j] = t
    }
    return array
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
