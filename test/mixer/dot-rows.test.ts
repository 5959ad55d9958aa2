import {describe, expect, it} from 'vitest'

import {dotRows} from '../../src/lib/mixer/scorers/dot-rows.js'
import {Rng} from '../../src/lib/random/rng.js'

describe('dotRows', () => {
  it('equals a plain left-to-right loop bit for bit, for row counts around the block of four', () => {
    const rng = new Rng(3)
    const dim = 7
    const vectors = Float32Array.from({length: 50 * dim}, () => rng.next() - 0.5)
    const query = Float32Array.from({length: dim}, () => rng.next() - 0.5)
    for (const n of [0, 1, 3, 4, 5, 9]) {
      const rows = Int32Array.from({length: n}, () => rng.int(50))
      const plain = Array.from(rows, (row) => {
        let dot = 0
        for (let j = 0; j < dim; j++) dot += query[j] * vectors[row * dim + j]
        return dot
      })
      expect(Array.from(dotRows(query, vectors, rows, dim))).toEqual(plain)
    }
  })
})
