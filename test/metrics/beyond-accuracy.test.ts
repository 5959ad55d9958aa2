// Coverage, popularity, novelty and diversity against hand computations and pair-by-pair cosine.
import {describe, expect, it} from 'vitest'

import {computeBeyondAccuracy} from '../../src/lib/metrics/beyond-accuracy.js'
import {csrFromLists} from '../../src/lib/metrics/csr.js'
import {DiversityScorer} from '../../src/lib/metrics/diversity.js'
import {popularityPercentiles, selfInformation} from '../../src/lib/metrics/popularity.js'
import {Rng} from '../../src/lib/random/rng.js'
import {range} from './brute-force.js'

describe('beyond-accuracy metrics', () => {
  it('popularity percentiles use mid-ranks for ties; self-information is add-one smoothed', () => {
    expect(Array.from(popularityPercentiles([5, 0, 5, 9]))).toEqual([37.5, 0, 37.5, 75]) // (1 less + 1/2 tie) / 4 for the two 5s
    const info = selfInformation([3, 0, 1])
    expect(info[0]).toBeCloseTo(-Math.log2(4 / 7), 12)
    expect(info[1]).toBeCloseTo(-Math.log2(1 / 7), 12)
  })

  it('coverage, popularity, novelty and diversity of hand-made lists', () => {
    // 6 items; lists of 3 for two users; user 1's list is padded.
    const ranked = {lists: Int32Array.from([0, 1, 2, 0, 3, -1]), listK: 3, users: range(2)}
    const popularity = [10, 5, 5, 1, 0, 0]
    const categories = csrFromLists([[0], [0], [1], [2, 0], [], [1]])
    const {mean, perUser} = computeBeyondAccuracy(ranked, [2, 3], {nItems: 6, popularity, categories})
    expect(mean['coverage@2']).toBeCloseTo(3 / 6, 12) // items 0, 1, 3
    expect(mean['coverage@3']).toBeCloseTo(4 / 6, 12)
    const pct = popularityPercentiles(popularity)
    expect(perUser['popularity@3'][0]).toBeCloseTo((pct[0] + pct[1] + pct[2]) / 3, 5)
    expect(perUser['popularity@3'][1]).toBeCloseTo((pct[0] + pct[3]) / 2, 5)
    const info = selfInformation(popularity)
    expect(perUser['novelty@2'][0]).toBeCloseTo((info[0] + info[1]) / 2, 5)
    // User 0 @3: categories {0}, {0}, {1}: similarities 1, 0, 0 -> diversity 1 - 1/3.
    expect(perUser['diversity@3'][0]).toBeCloseTo(2 / 3, 6)
    // User 1: {0} and {2, 0}: cosine 1/sqrt(2).
    expect(perUser['diversity@3'][1]).toBeCloseTo(1 - 1 / Math.SQRT2, 6)
    expect(perUser['diversity@2'][0]).toBeCloseTo(0, 6)
    expect(Object.keys(perUser)).not.toContain('coverage@2')
  })

  it('leaves out metrics whose inputs are missing', () => {
    const {mean, perUser} = computeBeyondAccuracy({lists: Int32Array.from([0, 1]), listK: 2, users: range(1)}, [2], {nItems: 2})
    expect(Object.keys(mean)).toEqual(['coverage@2'])
    expect(perUser).toEqual({})
  })

  it('diversity equals 1 - mean pairwise cosine computed pair by pair', () => {
    const rng = new Rng(9)
    const nItems = 40
    const cats = Array.from({length: nItems}, () => Array.from({length: rng.int(4)}, () => rng.int(6)))
    const scorer = new DiversityScorer(csrFromLists(cats))
    for (let trial = 0; trial < 50; trial++) {
      const list = rng.shuffle(range(nItems)).slice(0, 2 + rng.int(15))
      const sets = Array.from(list, (i) => new Set(cats[i])).filter((s) => s.size > 0)
      let sim = 0
      let pairs = 0
      for (let a = 0; a < sets.length; a++) {
        for (let b = a + 1; b < sets.length; b++) {
          const shared = [...sets[a]].filter((c) => sets[b].has(c)).length
          sim += shared / Math.sqrt(sets[a].size * sets[b].size)
          pairs++
        }
      }
      expect(scorer.score(list, 0, list.length)).toBeCloseTo(pairs > 0 ? 1 - sim / pairs : 0, 9)
    }
  })
})
