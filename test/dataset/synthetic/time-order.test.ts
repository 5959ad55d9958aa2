import {describe, expect, it} from 'vitest'

import {timeOrder} from '../../../src/lib/dataset/split.js'
import {radixTimeOrder} from '../../../src/lib/dataset/synthetic/time-order.js'
import {Rng} from '../../../src/lib/random/rng.js'

function randomTs(n: number, span: number, seed: number, base = 1_704_067_200_000): Float64Array {
  const rng = new Rng(seed)
  // Few distinct values relative to n, so that ties (kept in row order) are common.
  return Float64Array.from({length: n}, () => base + Math.floor(rng.next() * span))
}

describe('radixTimeOrder', () => {
  it.each([
    ['one 16-bit pass', 1000],
    ['two passes (30 days in ms)', 30 * 86_400_000],
    ['three passes (20 years in ms)', 20 * 365 * 86_400_000],
  ])('matches timeOrder with %s', (_, span) => {
    const ts = randomTs(20_000, span, span % 97)
    expect(Array.from(radixTimeOrder(ts))).toEqual(Array.from(timeOrder(ts)))
  })

  it('keeps ties in row order and handles negative times', () => {
    const ts = Float64Array.from([5, -3, 5, -3, 0, 5])
    expect(Array.from(radixTimeOrder(ts))).toEqual([1, 3, 4, 0, 2, 5])
  })

  it('falls back to the comparison sort for fractional ms', () => {
    const ts = Float64Array.from([2.5, 1.25, 2.5, 0])
    expect(Array.from(radixTimeOrder(ts))).toEqual([3, 1, 0, 2])
  })

  it('returns an empty order for no rows', () => {
    expect(radixTimeOrder(new Float64Array(0)).length).toBe(0)
  })
})
