// Learned fusion: head weights refitted so that the fused score predicts the realised value of each example.
import {RecError} from '../../errors.js'

/**
 * Weighted ridge regression of v_b = sum_h c_h y_bh (the configured value of what actually
 * happened) on the predicted probabilities p_bh: minimises sum_b w_b (sum_h f_h p_bh - v_b)^2
 * + lambda |f|^2. Where heads overlap (a click and a long dwell come together) or are
 * miscalibrated, the fitted f differs from c; with independent calibrated heads f ~ c.
 * lambda = 1e-3 x mean diagonal of P'WP: only keeps the system solvable when heads are collinear.
 */
export function fitFusionWeights(probabilities: Float32Array, labels: Uint8Array, weights: Float32Array, configured: Float32Array): Float32Array {
  const h = configured.length
  const n = weights.length
  const a = new Float64Array(h * h)
  const rhs = new Float64Array(h)
  for (let b = 0; b < n; b++) {
    const w = weights[b]
    let value = 0
    for (let k = 0; k < h; k++) value += configured[k] * labels[b * h + k]
    for (let i = 0; i < h; i++) {
      const pi = probabilities[b * h + i]
      rhs[i] += w * pi * value
      for (let j = 0; j < h; j++) a[i * h + j] += w * pi * probabilities[b * h + j]
    }
  }
  let trace = 0
  for (let i = 0; i < h; i++) trace += a[i * h + i]
  const lambda = (1e-3 * trace) / h || 1e-9
  for (let i = 0; i < h; i++) a[i * h + i] += lambda
  return Float32Array.from(solve(a, rhs, h))
}

/** Gaussian elimination with partial pivoting of the h x h system a x = b (h is the head count, ~8). */
function solve(a: Float64Array, b: Float64Array, h: number): Float64Array {
  const m = Float64Array.from(a)
  const x = Float64Array.from(b)
  for (let c = 0; c < h; c++) {
    let pivot = c
    for (let r = c + 1; r < h; r++) if (Math.abs(m[r * h + c]) > Math.abs(m[pivot * h + c])) pivot = r
    if (Math.abs(m[pivot * h + c]) < 1e-300) throw new RecError('BAD_DATA', 'learned fusion: the head predictions are degenerate (singular system)', {hint: 'use --fusion config'})
    for (let j = 0; j < h; j++) [m[c * h + j], m[pivot * h + j]] = [m[pivot * h + j], m[c * h + j]]
    ;[x[c], x[pivot]] = [x[pivot], x[c]]
    for (let r = 0; r < h; r++) {
      if (r === c) continue
      const f = m[r * h + c] / m[c * h + c]
      if (f === 0) continue
      for (let j = c; j < h; j++) m[r * h + j] -= f * m[c * h + j]
      x[r] -= f * x[c]
    }
  }
  for (let c = 0; c < h; c++) x[c] /= m[c * h + c]
  return x
}
