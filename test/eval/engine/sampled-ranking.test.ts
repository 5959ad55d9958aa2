// The sampled protocol: negatives never leak from history or targets, draws are uniform and seeded.
import {describe, expect, it} from 'vitest'

import {evaluateSampled} from '../../../src/lib/eval/engine/sampled-ranking.js'
import {csrFromLists} from '../../../src/lib/metrics/csr.js'
import {matrixProvider, range} from '../../metrics/brute-force.js'

/** Every user scores item i as i: higher rows rank first. */
function rowScores(nUsers: number, nItems: number) {
  return matrixProvider(Float32Array.from({length: nUsers * nItems}, (_, i) => i % nItems), nItems)
}

describe('evaluateSampled', () => {
  it('never draws history or other targets as negatives (sparse and dense draws)', () => {
    // History items score 100, targets 50 and 49, everything else less: any leak would push a target's rank above 0.
    const nItems = 30
    const scores = new Float32Array(4 * nItems)
    for (let u = 0; u < 4; u++) {
      for (let i = 0; i < nItems; i++) scores[u * nItems + i] = i < 10 ? 100 : i === 10 ? 50 : i === 11 ? 49 : i / 100
    }
    const exclude = csrFromLists(Array.from({length: 4}, () => range(10)))
    const targets = csrFromLists(Array.from({length: 4}, () => [10, 11]))
    for (const negatives of [3, 15, 25]) {
      const result = evaluateSampled({scores: matrixProvider(scores, nItems), users: range(4), exclude, targets, negatives, seed: 1, ks: [1]})
      expect(result.mean['sampled_hitrate@1']).toBe(1)
      expect(result.mean.sampled_mrr).toBe(1)
    }
  })

  it('ranks the lowest target last among all eligible items when negatives exceed them', () => {
    const result = evaluateSampled({scores: rowScores(1, 10), users: range(1), exclude: csrFromLists([[9, 8]]), targets: csrFromLists([[0]]), negatives: 9, seed: 3, ks: [1, 8]})
    // 7 eligible negatives (1..7), all above item 0: rank 7.
    expect(result.mean.sampled_mrr).toBeCloseTo(1 / 8, 6)
    expect(result.mean['sampled_hitrate@8']).toBe(1)
    expect(result.mean['sampled_ndcg@8']).toBeCloseTo(1 / Math.log2(9), 6)
    expect(result.mean['sampled_hitrate@1']).toBe(0)
  })

  it('draws uniformly without replacement: mean rank matches the hypergeometric mean', () => {
    // Target item 10 of 20; 9 items score higher; 5 negatives from 19 eligible -> E[rank] = 5 * 9 / 19.
    const nUsers = 3000
    const result = evaluateSampled({scores: rowScores(nUsers, 20), users: range(nUsers), exclude: csrFromLists(Array.from({length: nUsers}, () => [])), targets: csrFromLists(Array.from({length: nUsers}, () => [10])), negatives: 5, seed: 8, ks: [1, 6]})
    // P(rank < 1) = C(10, 5) / C(19, 5) = 252 / 11628.
    expect(result.mean['sampled_hitrate@1']).toBeCloseTo(252 / 11628, 2)
    let meanRank = 0
    for (const rr of result.perUser.sampled_mrr) meanRank += 1 / rr - 1
    expect(meanRank / nUsers).toBeCloseTo((5 * 9) / 19, 1)
  })

  it('is reproducible for a seed, varies with it, and skips users without targets', () => {
    const input = {scores: rowScores(50, 200), users: range(50), exclude: csrFromLists(Array.from({length: 50}, (_, u) => [u])), targets: csrFromLists(Array.from({length: 50}, (_, u) => (u % 5 ? [100 + u] : []))), negatives: 20, ks: [5]}
    const a = evaluateSampled({...input, seed: 4})
    expect(evaluateSampled({...input, seed: 4}).perUser).toEqual(a.perUser)
    expect(evaluateSampled({...input, seed: 5}).perUser.sampled_mrr).not.toEqual(a.perUser.sampled_mrr)
    expect(a.usersSkipped).toBe(10)
    expect(a.usersEvaluated).toBe(40)
    expect(() => evaluateSampled({...input, seed: 4, ks: [22]})).toThrow(/each K must be an integer in \[1, 21\]/)
    expect(() => evaluateSampled({...input, seed: 4, negatives: 200})).toThrow(/negatives must be an integer in \[1, 199\]/)
  })
})
