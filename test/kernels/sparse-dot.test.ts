// scatterSparseDots and transposeSparse against the plain loop: every row's dot with a sparse query.
import {describe, expect, it} from 'vitest'

import {gatherSparseDots, scatterSparseDots, transposeSparse} from '../../src/lib/kernels/sparse-dot.js'
import {Rng} from '../../src/lib/random/rng.js'
import {naiveSparseDots} from './naive.js'

/** A random CSR [rows, cols] with about `density` of the cells set, columns ascending per row. */
function randomCsr(rng: Rng, rows: number, cols: number, density: number) {
  const offsets = [0]
  const colIds: number[] = []
  const values: number[] = []
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (rng.next() < density) {
        colIds.push(c)
        values.push(rng.normal())
      }
    }
    offsets.push(colIds.length)
  }
  return {offsets: Int32Array.from(offsets), cols: Int32Array.from(colIds), values: Float32Array.from(values)}
}

describe('sparse dots', () => {
  it('transposes a CSR matrix into columns holding the same cells, rows ascending', () => {
    const rng = new Rng(1)
    const m = randomCsr(rng, 30, 12, 0.3)
    const t = transposeSparse(m.offsets, m.cols, m.values, 12)
    const dense = new Float32Array(30 * 12)
    for (let r = 0; r < 30; r++) for (let e = m.offsets[r]; e < m.offsets[r + 1]; e++) dense[r * 12 + m.cols[e]] = m.values[e]
    const fromColumns = new Float32Array(30 * 12)
    for (let c = 0; c < 12; c++) {
      for (let e = t.offsets[c]; e < t.offsets[c + 1]; e++) {
        fromColumns[t.rows[e] * 12 + c] = t.values[e]
        if (e > t.offsets[c]) expect(t.rows[e]).toBeGreaterThan(t.rows[e - 1])
      }
    }
    expect(fromColumns).toEqual(dense)
    expect(t.rows.length).toBe(m.cols.length)
  })

  it('scores every row as the naive dot does, adding into a row of a larger block', () => {
    const rng = new Rng(2)
    for (const [rows, cols, density, queryTerms] of [
      [50, 40, 0.1, 5],
      [200, 300, 0.02, 60],
      [7, 3, 0.9, 3],
      [20, 10, 0, 4],
    ] as const) {
      const m = randomCsr(rng, rows, cols, density)
      const t = transposeSparse(m.offsets, m.cols, m.values, cols)
      const terms = Int32Array.from(rng.shuffle(Int32Array.from({length: cols}, (_, i) => i)).subarray(0, queryTerms)).sort()
      const weights = Float32Array.from(terms, () => rng.normal())
      const out = new Float32Array(3 * rows).fill(0.5)
      out.fill(0, rows, 2 * rows)
      scatterSparseDots(terms, weights, terms.length, t.offsets, t.rows, t.values, out, rows)
      const expected = naiveSparseDots(terms, weights, m.offsets, m.cols, m.values, cols)
      for (let r = 0; r < rows; r++) expect(out[rows + r]).toBeCloseTo(expected[r], 5)
      // the rows of the other users in the block are left alone
      expect(out.subarray(0, rows).every((v) => v === 0.5)).toBe(true)
      expect(out.subarray(2 * rows).every((v) => v === 0.5)).toBe(true)
    }
  })

  it('reads only the first n query entries', () => {
    const m = {offsets: Int32Array.of(0, 1, 2), cols: Int32Array.of(0, 1), values: Float32Array.of(2, 3)}
    const t = transposeSparse(m.offsets, m.cols, m.values, 2)
    const out = new Float32Array(2)
    scatterSparseDots(Int32Array.of(0, 1), Float32Array.of(1, 100), 1, t.offsets, t.rows, t.values, out, 0)
    expect(Array.from(out)).toEqual([2, 0])
  })

  it('gathers the dots of chosen rows with a dense query as the naive dot does', () => {
    const rng = new Rng(3)
    const m = randomCsr(rng, 40, 25, 0.2)
    const terms = Int32Array.of(1, 4, 9, 17, 24)
    const weights = Float32Array.from(terms, () => rng.normal())
    const dense = new Float32Array(25)
    terms.forEach((t, k) => (dense[t] = weights[k]))
    const rows = Int32Array.of(39, 0, 7, 7, 12)
    const expected = naiveSparseDots(terms, weights, m.offsets, m.cols, m.values, 25)
    const out = gatherSparseDots(dense, m.offsets, m.cols, m.values, rows)
    rows.forEach((r, i) => expect(out[i]).toBeCloseTo(expected[r], 5))
  })
})
