// Blocked heap top-K against a full sort: ties, exclusions, padding, errors, and the worker pool from TS and dist.
import {spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join, resolve} from 'node:path'
import {pathToFileURL} from 'node:url'

import {describe, expect, it} from 'vitest'

import {RecError} from '../../../src/lib/errors.js'
import {dotScoreProvider} from '../../../src/lib/eval/engine/score-provider.js'
import {rankUsers, rankUsersInThread} from '../../../src/lib/eval/engine/rank-users.js'
import {csrFromLists} from '../../../src/lib/metrics/csr.js'
import {Rng} from '../../../src/lib/random/rng.js'
import {tempDir} from '../../helpers/cli.js'
import {bruteTopK, denseScores, matrixProvider, randomExclusions, randomVectors, range} from '../../metrics/brute-force.js'

describe('rankUsersInThread', () => {
  it('breaks equal scores by the smaller item row', () => {
    // user 0: items 1, 3, 4 tie at 5; user 1: all tie.
    const scores = Float32Array.from([1, 5, 2, 5, 5, 0, 7, 7, 7, 7, 7, 7])
    const lists = rankUsersInThread(matrixProvider(scores, 6), range(2), {k: 4})
    expect(Array.from(lists)).toEqual([1, 3, 4, 2, 0, 1, 2, 3])
  })

  it('never ranks an excluded item and pads with -1 when fewer than k items remain', () => {
    const scores = Float32Array.from([9, 8, 7, 6, 9, 8, 7, 6])
    const exclude = csrFromLists([[0, 2, 0], [0, 1, 2, 3]])
    const lists = rankUsersInThread(matrixProvider(scores, 4), range(2), {k: 3, exclude})
    expect(Array.from(lists)).toEqual([1, 3, -1, -1, -1, -1])
  })

  it('k = 1 picks the arg-max', () => {
    const scores = Float32Array.from([0.1, 0.3, 0.3, -2])
    expect(Array.from(rankUsersInThread(matrixProvider(scores, 4), range(1), {k: 1}))).toEqual([1])
  })

  it('matches a full sort on random data with many ties, any block size', () => {
    const rng = new Rng(7)
    for (const [nUsers, nItems, dim, coarse, k, p] of [
      [13, 37, 5, true, 10, 0.2],
      [9, 50, 3, true, 50, 0.1],
      [21, 1031, 8, false, 17, 0.05],
      [5, 12, 2, true, 12, 0.5],
    ] as const) {
      const users = randomVectors(rng, nUsers, dim, coarse)
      const items = randomVectors(rng, nItems, dim, coarse)
      const exclude = randomExclusions(rng, nUsers, nItems, p)
      const order = rng.shuffle(range(nUsers))
      const expected = bruteTopK(denseScores(users, items, dim), nItems, order, k, exclude)
      for (const blockUsers of [1, 2, 7, 64]) {
        expect(rankUsersInThread(dotScoreProvider(users, items, dim), order, {k, exclude, blockUsers})).toEqual(expected)
      }
    }
  })

  it('never returns an excluded item over many random cases', () => {
    const rng = new Rng(11)
    for (let trial = 0; trial < 30; trial++) {
      const nUsers = 1 + rng.int(8)
      const nItems = 2 + rng.int(40)
      const k = 1 + rng.int(nItems)
      const exclude = randomExclusions(rng, nUsers, nItems, rng.next())
      const scores = Float32Array.from({length: nUsers * nItems}, () => rng.int(4))
      const lists = rankUsersInThread(matrixProvider(scores, nItems), range(nUsers), {k, exclude})
      for (let u = 0; u < nUsers; u++) {
        const banned = new Set(exclude.rows.subarray(exclude.offsets[u], exclude.offsets[u + 1]))
        const list = Array.from(lists.subarray(u * k, (u + 1) * k))
        const kept = list.filter((i) => i >= 0)
        expect(kept.some((i) => banned.has(i))).toBe(false)
        expect(new Set(kept).size).toBe(kept.length)
        expect(kept.length).toBe(Math.min(k, nItems - banned.size))
      }
    }
  })

  it('rejects k above the catalogue, bad exclusions and NaN scores', () => {
    const provider = matrixProvider(new Float32Array(6), 3)
    expect(() => rankUsersInThread(provider, range(2), {k: 4})).toThrow(/larger than the catalogue of 3/)
    expect(() => rankUsersInThread(provider, range(2), {k: 0})).toThrow(RecError)
    expect(() => rankUsersInThread(provider, range(2), {k: 1, exclude: csrFromLists([[5], []])})).toThrow(/row 5 at position 0 is outside \[0, 3\)/)
    expect(() => rankUsersInThread(provider, range(2), {k: 1, exclude: csrFromLists([[1]])})).toThrow(/covers 1 keys but key 1 is used/)
    const nan = matrixProvider(Float32Array.from([1, NaN, 2, 0, 0, 0]), 3)
    expect(() => rankUsersInThread(nan, range(2), {k: 1})).toThrow(/NaN for item row 1 of user row 0/)
    // A NaN on an excluded item is harmless.
    expect(Array.from(rankUsersInThread(nan, range(2), {k: 1, exclude: csrFromLists([[1, 1], []])}))).toEqual([2, 0])
  })
})

describe('rankUsers on worker threads', () => {
  it('gives the in-thread result from the TypeScript sources, including exclusions and padding', async () => {
    const rng = new Rng(3)
    const [nUsers, nItems, dim, k] = [300, 211, 6, 30]
    const users = randomVectors(rng, nUsers, dim, true)
    const items = randomVectors(rng, nItems, dim, true)
    // User 0 keeps only 5 items, so its list of 30 is padded with -1.
    const random = randomExclusions(rng, nUsers, nItems, 0.1)
    const exclude = csrFromLists(Array.from({length: nUsers}, (_, u) => (u === 0 ? range(nItems - 5) : random.rows.subarray(random.offsets[u], random.offsets[u + 1]))))
    const provider = dotScoreProvider(users, items, dim)
    const order = rng.shuffle(range(nUsers))
    const expected = bruteTopK(denseScores(users, items, dim), nItems, order, k, exclude)
    const ticks: number[] = []
    const reporter = {info() {}, warn() {}, progress: () => ({tick: (n = 1) => void ticks.push(n), stop() {}})}
    const lists = await rankUsers(provider, order, {k, exclude, threads: 2, blockUsers: 16, parallelMinWork: 0, reporter})
    expect(lists).toEqual(expected)
    expect(lists.subarray(order.indexOf(0) * k).slice(0, k).filter((i) => i < 0).length).toBe(k - 5)
    expect(ticks.reduce((a, b) => a + b, 0)).toBe(nUsers)
  })

  it('runs from the compiled JavaScript in dist', () => {
    const top = pathToFileURL(resolve(import.meta.dirname, '../../../dist/lib/eval/engine/rank-users.js')).href
    const provider = pathToFileURL(resolve(import.meta.dirname, '../../../dist/lib/eval/engine/score-provider.js')).href
    const script = `
      import {rankUsers, rankUsersInThread} from ${JSON.stringify(top)}
      import {dotScoreProvider} from ${JSON.stringify(provider)}
      const dim = 4, nUsers = 200, nItems = 97
      const u = Float32Array.from({length: nUsers * dim}, (_, i) => ((i * 7919) % 13) - 6)
      const v = Float32Array.from({length: nItems * dim}, (_, i) => ((i * 104729) % 11) - 5)
      const p = dotScoreProvider(u, v, dim)
      const users = Int32Array.from({length: nUsers}, (_, i) => nUsers - 1 - i)
      const a = await rankUsers(p, users, {k: 10, threads: 2, blockUsers: 8, parallelMinWork: 0})
      const b = rankUsersInThread(p, users, {k: 10})
      console.log(JSON.stringify({same: a.every((x, i) => x === b[i]), n: a.length}))`
    const file = join(tempDir(), 'pool.mjs')
    writeFileSync(file, script)
    const run = spawnSync(process.execPath, [file], {encoding: 'utf8', timeout: 60_000})
    expect(run.stderr).toBe('')
    expect(JSON.parse(run.stdout)).toEqual({same: true, n: 2000})
  })

  it('reports a bad user row from the pool as a RecError', async () => {
    const provider = dotScoreProvider(new Float32Array(8), new Float32Array(8), 2)
    await expect(rankUsers(provider, Int32Array.from([0, 9]), {k: 1, threads: 2, blockUsers: 1, parallelMinWork: 0})).rejects.toThrow(/user row 9 is outside the 4 user vectors/)
  })
})
