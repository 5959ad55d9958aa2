// DenseSums against a Map: sums, first tags, first-touch order, ranking, and a clear that leaves no trace.
import {describe, expect, it} from 'vitest'

import {DenseSums} from '../../src/lib/kernels/dense-sums.js'
import {Rng} from '../../src/lib/random/rng.js'

describe('DenseSums', () => {
  it('matches a Map of sums over many rounds on one reused instance', () => {
    const rng = new Rng(9)
    const sums = new DenseSums(30, true)
    for (let round = 0; round < 50; round++) {
      const ref = new Map<number, {sum: number; tag: number}>()
      for (let i = 0; i < rng.int(40); i++) {
        const row = rng.int(30)
        const value = rng.int(4)
        const tag = rng.int(100)
        const seen = ref.get(row)
        if (seen) seen.sum += value
        else ref.set(row, {sum: value, tag})
        sums.add(row, value, tag)
      }
      expect(sums.rows).toEqual([...ref.keys()])
      for (let row = 0; row < 30; row++) expect(sums.has(row)).toBe(ref.has(row))
      for (const [row, {sum, tag}] of ref) expect([sums.sums[row], sums.tags[row]]).toEqual([sum, tag])
      const order = [...ref.keys()].sort((a, b) => ref.get(b)!.sum - ref.get(a)!.sum || a - b)
      expect(sums.top(5)).toEqual(order.slice(0, 5))
      sums.clear()
      expect(sums.rows).toEqual([])
      expect(Array.from(sums.sums).every((x) => x === 0)).toBe(true)
    }
  })

  it('keeps no tags unless asked', () => {
    const sums = new DenseSums(4)
    sums.add(2, 1, 7)
    expect(sums.tags.length).toBe(0)
    expect(sums.sums[2]).toBe(1)
  })
})
