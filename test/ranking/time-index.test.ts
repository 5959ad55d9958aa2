import {describe, expect, it} from 'vitest'

import {PairTimeIndex} from '../../src/lib/features/cross/time-index.js'
import {Rng} from '../../src/lib/random/rng.js'

describe('PairTimeIndex', () => {
  it('counts events of a pair before t and finds its first event, as a scan of the events would', () => {
    const rng = new Rng(3)
    const n = 2000
    const first = Array.from({length: n}, () => rng.int(30))
    const second = Array.from({length: n}, () => rng.int(40) * 1000) // sparse second parts
    const times = Array.from({length: n}, () => rng.int(500))
    const index = new PairTimeIndex(30, first, second, times)
    expect(index.size).toBe(new Set(first.map((a, i) => `${a}:${second[i]}`)).size)
    for (let q = 0; q < 300; q++) {
      const a = rng.int(30)
      const b = rng.int(41) * 1000 // one value never drawn: absent pairs
      const t = rng.int(520)
      const events = times.filter((_, i) => first[i] === a && second[i] === b)
      expect(index.before(a, b, t)).toBe(events.filter((x) => x < t).length)
      expect(index.first(a, b)).toBe(events.length ? Math.min(...events) : Infinity)
    }
  })

  it('an index of no events answers zero and Infinity', () => {
    const index = new PairTimeIndex(3, [], [], [])
    expect(index.before(2, 5, 10)).toBe(0)
    expect(index.first(0, 0)).toBe(Infinity)
  })
})
