// Bounded top-k against a full sort: the tie rule, NaN skipping, offering order and padding.
import {describe, expect, it} from 'vitest'

import {BoundedTopK, pushDots, TopKSelector} from '../../src/lib/kernels/top-k.js'
import {Rng} from '../../src/lib/random/rng.js'
import {naiveDot, naiveTopK} from './naive.js'

const rng = new Rng(11)
/** Few distinct values, so ties are common; some NaN. */
const scoresOf = (n: number) => Float32Array.from({length: n}, () => (rng.next() < 0.1 ? NaN : rng.int(6) / 4 - 0.5))

describe('BoundedTopK', () => {
  it('keeps the k best in any offering order, ties to the smaller row', () => {
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rng.int(40)
      const k = 1 + rng.int(12)
      const scores = scoresOf(n)
      const heap = new BoundedTopK(k)
      for (const row of rng.shuffle(Int32Array.from({length: n}, (_, i) => i))) heap.push(scores[row], row)
      const expected = naiveTopK(scores, k)
      expect(heap.size).toBe(expected.length)
      const rows = new Int32Array(heap.size)
      const kept = new Float32Array(heap.size)
      heap.drainInto(rows, 0, kept)
      expect(Array.from(rows)).toEqual(expected)
      expect(Array.from(kept)).toEqual(expected.map((r) => scores[r]))
      expect(heap.size).toBe(0)
    }
  })

  it('decides ties on the float64 score, not its float32 rounding', () => {
    const heap = new BoundedTopK(1)
    heap.push(1 + 1e-12, 5)
    heap.push(1, 0)
    const rows = new Int32Array(1)
    heap.drainInto(rows)
    expect(rows[0]).toBe(5)
  })

  it('reports -Infinity as the threshold until full, then the worst kept score', () => {
    const heap = new BoundedTopK(2)
    heap.push(0.5, 0)
    expect(heap.threshold).toBe(-Infinity)
    heap.push(0.25, 1)
    expect(heap.threshold).toBe(0.25)
    heap.push(0.75, 2)
    expect(heap.threshold).toBe(0.5)
  })
})

describe('TopKSelector', () => {
  it('matches a full sort row after row, pads with -1 and counts the NaN it skipped', () => {
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + rng.int(40)
      const k = 1 + rng.int(12)
      const scores = scoresOf(n + 3)
      const selector = new TopKSelector(k)
      const out = new Int32Array(k + 2).fill(7)
      const skipped = selector.select(scores, 3, n, out, 1)
      const row = scores.subarray(3)
      const expected = naiveTopK(row, k)
      expect(Array.from(out.subarray(1, 1 + k))).toEqual([...expected, ...Array(k - expected.length).fill(-1)])
      expect([out[0], out[k + 1]]).toEqual([7, 7])
      expect(skipped).toBe(Array.from(row).filter(Number.isNaN).length)
    }
  })
})

describe('pushDots', () => {
  it('keeps the top k of every row dot (to rounding), skipping the rows asked, for dims around the unroll', () => {
    for (const d of [1, 3, 4, 7, 64]) {
      const n = 50
      const matrix = Float32Array.from({length: n * d}, () => rng.int(5) / 4 - 0.5) // ties are common
      const query = Float32Array.from({length: d + 2}, () => rng.int(5) / 4 - 0.5)
      const skip = (row: number) => row % 7 === 3
      const scores = Array.from({length: n}, (_, r) => (skip(r) ? NaN : naiveDot(query, 2, matrix, r * d, d)))
      const heap = new BoundedTopK(6)
      pushDots(heap, query, 2, matrix, d, skip)
      const rows = new Int32Array(heap.size)
      heap.drainInto(rows)
      expect(Array.from(rows)).toEqual(naiveTopK(scores, 6))
    }
  })
})
