// evaluateRanking end to end against brute-force ranking and metric definitions.
import {describe, expect, it} from 'vitest'

import {evaluateRanking} from '../../../src/lib/eval/engine/evaluate-ranking.js'
import {dotScoreProvider} from '../../../src/lib/eval/engine/score-provider.js'
import {csrFromLists} from '../../../src/lib/metrics/csr.js'
import {Rng} from '../../../src/lib/random/rng.js'
import {bruteAccuracy, bruteTopK, denseScores, matrixProvider, randomExclusions, randomVectors, range} from '../../metrics/brute-force.js'

describe('evaluateRanking', () => {
  it('matches brute-force ranking and metric definitions, skipping users without targets', async () => {
    const rng = new Rng(21)
    const [nUsers, nItems, dim] = [60, 80, 4]
    const users = randomVectors(rng, nUsers, dim, true)
    const items = randomVectors(rng, nItems, dim, true)
    const exclude = randomExclusions(rng, nUsers, nItems, 0.15)
    // Every 7th user has no target; others 1-3 targets, sometimes one of their own history items.
    const targetLists = Array.from({length: nUsers}, (_, u) => (u % 7 === 0 ? [] : Array.from({length: 1 + rng.int(3)}, () => rng.int(nItems))))
    const targets = csrFromLists(targetLists)
    const order = rng.shuffle(range(nUsers))
    const ks = [50, 1, 10]
    const result = await evaluateRanking({scores: dotScoreProvider(users, items, dim), users: order, exclude, targets, ks, popularity: range(nItems)})
    const kept = order.filter((u) => targetLists[u].length > 0)
    expect(result.users).toEqual(kept)
    expect(result.ks).toEqual([1, 10, 50])
    expect(result.usersEvaluated).toBe(kept.length)
    expect(result.usersSkipped).toBe(nUsers - kept.length)
    const lists = bruteTopK(denseScores(users, items, dim), nItems, kept, 50, exclude)
    let excludedTargets = 0
    kept.forEach((u, j) => {
      const history = new Set(exclude.rows.subarray(exclude.offsets[u], exclude.offsets[u + 1]))
      excludedTargets += new Set(targetLists[u].filter((t) => history.has(t))).size
      for (const k of [1, 10, 50]) {
        const want = bruteAccuracy(lists.subarray(j * 50, (j + 1) * 50), new Set(targetLists[u]), k)
        for (const name of ['recall', 'ndcg', 'hitrate', 'precision', 'map']) expect(result.perUser[`${name}@${k}`][j]).toBeCloseTo(want[name], 6)
        if (k === 50) expect(result.perUser.mrr[j]).toBeCloseTo(want.rr, 6)
      }
    })
    expect(result.targetsExcluded).toBe(excludedTargets)
    expect(result.mean['coverage@10']).toBeGreaterThan(0)
    expect(result.perUser['novelty@10']).toHaveLength(kept.length)
    for (const [name, values] of Object.entries(result.perUser)) {
      expect(result.mean[name]).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 5)
    }
  })

  it('scores a perfect model 1 and reports K above the catalogue, empty targets and bad inputs', async () => {
    // User u's best item is u; history excludes nothing.
    const scores = Float32Array.from({length: 9}, (_, i) => (Math.floor(i / 3) === i % 3 ? 1 : 0))
    const provider = matrixProvider(scores, 3)
    const none = csrFromLists([[], [], []])
    const targets = csrFromLists([[0], [1], [2]])
    const ok = await evaluateRanking({scores: provider, users: range(3), exclude: none, targets, ks: [1]})
    expect(ok.mean['ndcg@1']).toBe(1)
    expect(ok.mean.mrr).toBe(1)
    await expect(evaluateRanking({scores: provider, users: range(3), exclude: none, targets, ks: [4]})).rejects.toMatchObject({code: 'INVALID_ARGUMENT', message: expect.stringMatching(/K=4 is larger than the catalogue of 3/)})
    await expect(evaluateRanking({scores: provider, users: range(3), exclude: none, targets, ks: []})).rejects.toMatchObject({code: 'INVALID_ARGUMENT'})
    await expect(evaluateRanking({scores: provider, users: range(3), exclude: none, targets: none, ks: [1]})).rejects.toMatchObject({code: 'EMPTY'})
    await expect(evaluateRanking({scores: provider, users: range(3), exclude: none, targets: csrFromLists([[0], [3], [1]]), ks: [1]})).rejects.toMatchObject({code: 'BAD_DATA'})
    await expect(evaluateRanking({scores: provider, users: range(3), exclude: none, targets, ks: [1], popularity: [1, 2]})).rejects.toMatchObject({code: 'MISMATCH'})
  })

  it('gives K equal to the catalogue with history excluded: recall 1 unless the target is in the history', async () => {
    const provider = matrixProvider(Float32Array.from([3, 2, 1, 0, 0, 1, 2, 3]), 4)
    const exclude = csrFromLists([[1], [2, 3]])
    const targets = csrFromLists([[3], [2]])
    const result = await evaluateRanking({scores: provider, users: range(2), exclude, targets, ks: [4]})
    expect(Array.from(result.perUser['recall@4'])).toEqual([1, 0])
    expect(result.perUser['ndcg@4'][0]).toBeCloseTo(1 / Math.log2(4), 6) // target 3 is third after 0 and 2
    expect(result.targetsExcluded).toBe(1)
  })
})
