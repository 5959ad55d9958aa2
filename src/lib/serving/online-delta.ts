// Online adaptation: a per-user delta on the user vector learned by a few SGD steps; item vectors frozen (private) or moved by the same steps (global).
import {gatherDots} from '../kernels/dot.js'
import {normalizeVector} from '../kernels/normalize.js'
import {addScaledRow, scaleRow} from '../kernels/rows.js'
import type {Rng} from '../random/rng.js'

export interface DeltaOptions {
  steps: number
  lr: number
  /** Sampled negatives per step. */
  samples: number
  temperature: number
  l2: number
}

/**
 * Softmax over [positive, samples...] of (u + delta) . v / T; the gradient w.r.t. delta is
 * sum_i (p_i - y_i) v_i / T, scaled by `weight`. Updates `delta` [dim] in place. Items are rows of
 * `vectors` [n, dim]; negatives are drawn uniformly from rows 1..n-1 (row 0 is the OOV row).
 * `shared` (rec serve --online global): the same step also moves every row of the softmax along its own gradient,
 * (p_i - y_i) (u + delta) / T, and renormalises it, so that the item rows every user's feed reads learn too.
 */
export function stepPositive(user: Float32Array, delta: Float32Array, vectors: Float32Array, item: number, weight: number, options: DeltaOptions, rng: Rng, shared = false): void {
  const dim = user.length
  const n = vectors.length / dim
  const q = new Float32Array(dim)
  const rows = new Int32Array(options.samples + 1)
  const logits = new Float64Array(options.samples + 1)
  for (let step = 0; step < options.steps; step++) {
    for (let j = 0; j < dim; j++) q[j] = user[j] + delta[j]
    rows[0] = item
    for (let s = 1; s <= options.samples; s++) rows[s] = 1 + rng.int(n - 1)
    gatherDots(q, vectors, rows, dim, logits)
    let max = -Infinity
    for (let s = 0; s < rows.length; s++) max = Math.max(max, (logits[s] /= options.temperature))
    let sum = 0
    for (let s = 0; s < rows.length; s++) sum += (logits[s] = Math.exp(logits[s] - max))
    scaleRow(delta, 0, dim, 1 - options.lr * options.l2)
    for (let s = 0; s < rows.length; s++) {
      const g = (logits[s] / sum - (s === 0 ? 1 : 0)) / options.temperature
      // delta -= lr * weight * g * v, bit for bit: negating the scale is exact
      addScaledRow(delta, 0, vectors, rows[s] * dim, dim, -(options.lr * weight * g))
      logits[s] = g
    }
    if (!shared) continue
    // q is (u + delta) before this step's delta update: the gradient of the same loss w.r.t. each row
    for (let s = 0; s < rows.length; s++) {
      addScaledRow(vectors, rows[s] * dim, q, 0, dim, -(options.lr * weight * logits[s]))
      normalizeVector(vectors, rows[s] * dim, dim)
    }
  }
}

/** A logistic step pushing (u + delta) . v towards 0 probability for a skipped or hidden item; `shared`: v moves too (renormalised). */
export function stepNegative(user: Float32Array, delta: Float32Array, vectors: Float32Array, item: number, weight: number, options: DeltaOptions, shared = false): void {
  const dim = user.length
  for (let step = 0; step < options.steps; step++) {
    let s = 0
    for (let j = 0; j < dim; j++) s += (user[j] + delta[j]) * vectors[item * dim + j]
    const p = 1 / (1 + Math.exp(-s / options.temperature))
    // d(-log(1 - p))/d(delta) = p v / T; T is left out so that one skip moves the vector by at most lr * weight
    if (shared) {
      const q = Float32Array.from(user, (x, j) => x + delta[j])
      addScaledRow(delta, 0, vectors, item * dim, dim, -(options.lr * weight * p))
      addScaledRow(vectors, item * dim, q, 0, dim, -(options.lr * weight * p))
      normalizeVector(vectors, item * dim, dim)
      continue
    }
    addScaledRow(delta, 0, vectors, item * dim, dim, -(options.lr * weight * p))
  }
}
