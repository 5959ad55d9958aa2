// Maximal marginal relevance: greedily pick argmax lambda * score - (1 - lambda) * max cosine to the picked items.
import type {ServingWorld} from '../world.js'
import type {Candidate, Selector} from '../types.js'

/**
 * Reorders the first min(`window`, max(3k, 30)) candidates (the rest follow unchanged); lambda = 1 keeps the score
 * order, lambda = 0 maximises spread. Similarity is the cosine of item-tower embeddings; scores are min-max scaled
 * to [0, 1] over the pool first, so that lambda weighs the same for any scorer: a pool's score range was ~0.3 with
 * the retrieval cosine, ~0.09 with a MovieLens ranker (similarity then decided alone) and ~3 with a gen-data
 * ranker's fused score (similarity then hardly counted).
 */
export function mmr(world: ServingWorld, lambda: number, window = 100): Selector {
  const pair = new Float64Array(2)
  return {
    id: 'Mmr',
    apply(query, candidates) {
      // only the head is shown: diversify the first max(3k, 30); at 60 x 60 x 32 that is ~58k multiply-adds
      const n = Math.min(candidates.length, window, Math.max(3 * query.k, 30))
      const dim = world.dim
      // the pool's vectors side by side [n, dim] as doubles (no float32 conversion in the inner loop) and its scores
      const vectors = new Float64Array(n * dim)
      const scores = new Float64Array(n)
      let low = Infinity
      let high = -Infinity
      for (let i = 0; i < n; i++) {
        const from = candidates[i].row * dim
        for (let j = 0; j < dim; j++) vectors[i * dim + j] = world.itemVectors[from + j]
        const score = candidates[i].score
        if (score < low) low = score
        if (score > high) high = score
      }
      // equal scores carry no preference: similarity alone orders the pool
      const range = high > low ? high - low : Infinity
      for (let i = 0; i < n; i++) scores[i] = (candidates[i].score - low) / range
      const maxSim = new Float64Array(n).fill(-Infinity)
      // the pool positions not yet picked, in increasing order (the scan keeps the first of equal values)
      const left = Int32Array.from({length: n}, (_, i) => i)
      let m = n
      const out: Candidate[] = []
      for (let step = 0; step < n; step++) {
        // a NaN score never compares greater: such candidates go last, in pool order
        let at = 0
        let bestValue = -Infinity
        for (let p = 0; p < m; p++) {
          const i = left[p]
          const value = lambda * scores[i] - (1 - lambda) * (step === 0 ? 0 : maxSim[i])
          if (value > bestValue) {
            bestValue = value
            at = p
          }
        }
        const best = left[at]
        left.copyWithin(at, at + 1, m)
        m--
        out.push(candidates[best])
        // two of the left per pass share the loads of the picked vector: 60 x 32 went from ~82 to ~50 us
        const b = best * dim
        let p = 0
        for (; p + 1 < m; p += 2) {
          const i = left[p]
          const k = left[p + 1]
          dotPair(vectors, b, i * dim, k * dim, dim, pair)
          if (pair[0] > maxSim[i]) maxSim[i] = pair[0]
          if (pair[1] > maxSim[k]) maxSim[k] = pair[1]
        }
        if (p < m) {
          const i = left[p]
          dotPair(vectors, b, i * dim, i * dim, dim, pair)
          if (pair[0] > maxSim[i]) maxSim[i] = pair[0]
        }
      }
      for (let i = n; i < candidates.length; i++) out.push(candidates[i])
      return out
    },
  }
}

/**
 * out = [v_b . v_x, v_b . v_y], each with four partial sums: one running sum makes a dot a chain of 32
 * dependent adds (~3x slower). The last bits may differ from a plain loop, which only matters for exact
 * ties between distinct vectors.
 */
function dotPair(v: Float64Array, b: number, x: number, y: number, dim: number, out: Float64Array): void {
  let x0 = 0
  let x1 = 0
  let x2 = 0
  let x3 = 0
  let y0 = 0
  let y1 = 0
  let y2 = 0
  let y3 = 0
  let j = 0
  for (; j + 3 < dim; j += 4) {
    const q0 = v[b + j]
    const q1 = v[b + j + 1]
    const q2 = v[b + j + 2]
    const q3 = v[b + j + 3]
    x0 += q0 * v[x + j]
    x1 += q1 * v[x + j + 1]
    x2 += q2 * v[x + j + 2]
    x3 += q3 * v[x + j + 3]
    y0 += q0 * v[y + j]
    y1 += q1 * v[y + j + 1]
    y2 += q2 * v[y + j + 2]
    y3 += q3 * v[y + j + 3]
  }
  for (; j < dim; j++) {
    x0 += v[b + j] * v[x + j]
    y0 += v[b + j] * v[y + j]
  }
  out[0] = x0 + x1 + x2 + x3
  out[1] = y0 + y1 + y2 + y3
}
