// The dot-product kernels against plain loops, on odd and even dimensions so the unrolled tails run.
import {describe, expect, it} from 'vitest'

import {gatherDots, raiseMaxDots} from '../../src/lib/kernels/dot.js'
import {scoreDotBlock} from '../../src/lib/kernels/dot-block.js'
import {Rng} from '../../src/lib/random/rng.js'
import {naiveDot} from './naive.js'

const rng = new Rng(3)
const table = (n: number, d: number) => Float32Array.from({length: n * d}, () => rng.next() - 0.5)

describe('gatherDots', () => {
  it('equals a plain left-to-right loop bit for bit, for row counts around the block of four', () => {
    const d = 7
    const vectors = table(50, d)
    const query = table(1, d)
    for (const n of [0, 1, 3, 4, 5, 9]) {
      const rows = Int32Array.from({length: n}, () => rng.int(50))
      expect(Array.from(gatherDots(query, vectors, rows, d))).toEqual(Array.from(rows, (row) => naiveDot(query, 0, vectors, row * d, d)))
    }
  })
})

describe('raiseMaxDots', () => {
  it('raises each listed row to its max dot with the picked row and leaves the others alone', () => {
    for (const d of [5, 8, 32]) {
      const v = Float64Array.from(table(9, d))
      for (const m of [0, 1, 2, 3, 6]) {
        const rows = Int32Array.from(rng.shuffle(Int32Array.from({length: 8}, (_, i) => i + 1)).subarray(0, m))
        const max = Float64Array.from({length: 9}, () => rng.next() - 0.5)
        const expected = Array.from(max)
        for (const r of rows) expected[r] = Math.max(expected[r], naiveDot(v, 0, v, r * d, d))
        raiseMaxDots(v, 0, rows, m, d, max)
        Array.from(max).forEach((x, i) => expect(x).toBeCloseTo(expected[i], 12))
      }
    }
  })
})

describe('scoreDotBlock', () => {
  it('writes every user x item dot, for user counts around the pair and item counts around the tile', () => {
    for (const [users, items, d] of [[1, 3, 5], [2, 4, 8], [5, 1030, 7], [3, 2049, 4]]) {
      const U = table(users + 2, d)
      const V = table(items, d)
      const rows = Int32Array.from({length: users}, () => rng.int(users + 2))
      const out = new Float32Array(users * items)
      scoreDotBlock(U, V, d, rows, out)
      for (let j = 0; j < users; j++) {
        for (let i = 0; i < items; i += 37) expect(out[j * items + i]).toBeCloseTo(naiveDot(U, rows[j] * d, V, i * d, d), 5)
      }
    }
  })
})
