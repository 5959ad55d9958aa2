// Row add/scale and normalisation kernels against plain loops, on dimensions around the unroll of four.
import {describe, expect, it} from 'vitest'

import {normalizeRowsInPlace, normalizeVector} from '../../src/lib/kernels/normalize.js'
import {addRow, addScaledRow, scaleRow} from '../../src/lib/kernels/rows.js'
import {Rng} from '../../src/lib/random/rng.js'
import {naiveNormalize} from './naive.js'

const rng = new Rng(5)
const table = (n: number) => Float32Array.from({length: n}, () => rng.next() - 0.5)

describe('row kernels', () => {
  it('add, add scaled and scale exactly one row span', () => {
    for (const d of [1, 3, 4, 5, 9]) {
      const src = table(3 * d)
      const dst = table(4 * d)
      const expected = Float32Array.from(dst)
      for (let j = 0; j < d; j++) expected[2 * d + j] += src[d + j]
      addRow(dst, 2 * d, src, d, d)
      expect(dst).toEqual(expected)
      for (let j = 0; j < d; j++) expected[d + j] += 0.3 * src[j]
      addScaledRow(dst, d, src, 0, d, 0.3)
      expect(dst).toEqual(expected)
      for (let j = 0; j < d; j++) expected[3 * d + j] *= -2
      scaleRow(dst, 3 * d, d, -2)
      expect(dst).toEqual(expected)
    }
  })
})

describe('normalisation kernels', () => {
  it('normalizeVector divides one span by its norm and leaves a zero span zero', () => {
    const v = table(12)
    const expected = [...Array.from(v.subarray(0, 4)), ...naiveNormalize(v.subarray(4, 9)), ...Array.from(v.subarray(9))]
    normalizeVector(v, 4, 5)
    Array.from(v).forEach((x, i) => expect(x).toBeCloseTo(expected[i], 6))
    expect(Array.from(normalizeVector(new Float32Array(3)))).toEqual([0, 0, 0])
  })

  it('normalizeRowsInPlace gives unit rows, counts zero rows, and only counts with scale off', () => {
    const d = 5
    const m = table(4 * d)
    m.fill(0, 2 * d, 3 * d)
    const copy = Float32Array.from(m)
    expect(normalizeRowsInPlace(copy, d, false)).toBe(1)
    expect(copy).toEqual(m)
    expect(normalizeRowsInPlace(m, d)).toBe(1)
    for (let r = 0; r < 4; r++) {
      const expected = naiveNormalize(copy.subarray(r * d, (r + 1) * d))
      Array.from(m.subarray(r * d, (r + 1) * d)).forEach((x, j) => expect(x).toBeCloseTo(expected[j], 6))
    }
  })
})
