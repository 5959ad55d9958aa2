// Recall, NDCG, hit rate, precision, MAP and MRR against hand values and direct definitions.
import {describe, expect, it} from 'vitest'

import {csrFromLists} from '../../src/lib/metrics/csr.js'
import {computeRankingMetrics} from '../../src/lib/metrics/ranking-metrics.js'
import {Rng} from '../../src/lib/random/rng.js'
import {bruteAccuracy, range} from './brute-force.js'

describe('computeRankingMetrics', () => {
  it('gives the hand-computed values for several targets', () => {
    // Targets {2, 1, 7}: the list hits at positions 1 and 3; 7 is never ranked.
    const ranked = {lists: Int32Array.from([5, 2, 9, 1]), listK: 4, users: range(1)}
    const {mean, perUser} = computeRankingMetrics(ranked, csrFromLists([[2, 1, 7]]), [2, 4], 10)
    const g = (p: number) => 1 / Math.log2(p + 2)
    expect(mean['recall@4']).toBeCloseTo(2 / 3, 12)
    expect(mean['hitrate@4']).toBe(1)
    expect(mean['precision@4']).toBe(0.5)
    expect(mean['ndcg@4']).toBeCloseTo((g(1) + g(3)) / (g(0) + g(1) + g(2)), 12)
    expect(mean['map@4']).toBeCloseTo((1 / 2 + 2 / 4) / 3, 12)
    expect(mean['recall@2']).toBeCloseTo(1 / 3, 12)
    expect(mean['precision@2']).toBe(0.5)
    expect(mean['ndcg@2']).toBeCloseTo(g(1) / (g(0) + g(1)), 12)
    expect(mean['map@2']).toBeCloseTo(1 / 2 / 2, 12)
    expect(mean.mrr).toBe(0.5)
    expect(Object.keys(perUser)).toEqual(['recall@2', 'ndcg@2', 'hitrate@2', 'precision@2', 'map@2', 'recall@4', 'ndcg@4', 'hitrate@4', 'precision@4', 'map@4', 'mrr'])
  })

  it('is 1 everywhere for a perfect list, 0 for a miss, and ignores -1 padding and duplicate targets', () => {
    const ranked = {lists: Int32Array.from([3, 4, 0, 1, -1, -1]), listK: 3, users: Int32Array.from([0, 1])}
    const {perUser} = computeRankingMetrics(ranked, csrFromLists([[4, 3, 3], [2]]), [2], 5)
    expect(perUser['ndcg@2'][0]).toBeCloseTo(1, 12)
    expect(perUser['map@2'][0]).toBeCloseTo(1, 12)
    expect(perUser['recall@2'][0]).toBe(1)
    expect(perUser.mrr[0]).toBe(1)
    for (const name of Object.keys(perUser)) expect(perUser[name][1]).toBe(0)
  })

  it('matches the definitions on random lists and target sets', () => {
    const rng = new Rng(5)
    const nItems = 30
    const listK = 12
    const nUsers = 200
    const lists = new Int32Array(nUsers * listK)
    const targetLists: number[][] = []
    for (let u = 0; u < nUsers; u++) {
      const perm = rng.shuffle(range(nItems))
      const length = rng.int(listK + 1)
      for (let p = 0; p < listK; p++) lists[u * listK + p] = p < length ? perm[p] : -1
      targetLists.push(Array.from({length: 1 + rng.int(5)}, () => rng.int(nItems)))
    }
    const users = rng.shuffle(range(nUsers))
    const ks = [1, 5, 12]
    const listsInOrder = new Int32Array(nUsers * listK)
    users.forEach((u, j) => listsInOrder.set(lists.subarray(u * listK, (u + 1) * listK), j * listK))
    const {perUser, mean} = computeRankingMetrics({lists: listsInOrder, listK, users}, csrFromLists(targetLists), ks, nItems)
    const sums: Record<string, number> = {}
    users.forEach((u, j) => {
      for (const k of ks) {
        const want = bruteAccuracy(lists.subarray(u * listK, (u + 1) * listK), new Set(targetLists[u]), k)
        for (const name of ['recall', 'ndcg', 'hitrate', 'precision', 'map']) {
          expect(perUser[`${name}@${k}`][j]).toBeCloseTo(want[name], 6)
          sums[`${name}@${k}`] = (sums[`${name}@${k}`] ?? 0) + want[name]
        }
        if (k === listK) expect(perUser.mrr[j]).toBeCloseTo(want.rr, 6)
      }
    })
    for (const [name, sum] of Object.entries(sums)) expect(mean[name]).toBeCloseTo(sum / nUsers, 6)
  })

  it('rejects K beyond the list length and lists of the wrong size', () => {
    const ranked = {lists: Int32Array.from([0, 1]), listK: 2, users: Int32Array.from([0])}
    expect(() => computeRankingMetrics(ranked, csrFromLists([[0]]), [3], 2)).toThrow(/K=3 must be an integer in \[1, 2\]/)
    expect(() => computeRankingMetrics({...ranked, listK: 3}, csrFromLists([[0]]), [1], 2)).toThrow(/hold 2 entries, not 1 users x 3/)
  })
})
