// Baselines as score providers on a hand-made dataset with known answers, and their building blocks.
import {join} from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'

import {readDataset} from '../../src/lib/dataset/store.js'
import {buildBaseline} from '../../src/lib/eval/baseline-model.js'
import {rankUsersInThread} from '../../src/lib/eval/engine/rank-users.js'
import {buildEvalContext, type EvalContext} from '../../src/lib/eval/eval-context.js'
import {datasetRule} from '../../src/lib/eval/positive-rule.js'
import {buildItemNeighbours} from '../../src/lib/models/baselines/item-neighbours.js'
import {randomScores} from '../../src/lib/models/baselines/random.js'
import {silentReporter} from '../../src/lib/reporter.js'
import {tempDir} from '../helpers/cli.js'
import {knownWorld, writeWorld} from './fixtures.js'

let test: EvalContext

/** Top-k item ids per evaluated user id. */
async function topIds(name: 'popular' | 'itemknn' | 'random', ctx: EvalContext, k: number, seed = 42): Promise<Map<number, number[]>> {
  const built = await buildBaseline(name, ctx, {seed, tuneK: 1, reporter: silentReporter})
  const indices = Int32Array.from(ctx.task.users.keys())
  const lists = rankUsersInThread(built.provider, indices, {k, exclude: ctx.task.exclude})
  return new Map(Array.from(ctx.task.users, (u, i) => [Number(ctx.users.id(u)), Array.from(lists.subarray(i * k, (i + 1) * k), (row) => Number(ctx.items.id(row)))]))
}

beforeAll(async () => {
  const dir = await writeWorld(join(tempDir(), 'known'), knownWorld())
  const dataset = await readDataset(dir)
  test = buildEvalContext(dir, dataset, 'test', datasetRule(dataset.manifest))
})

describe('baselines on the known dataset (test split, history train+val)', () => {
  it('evaluates the users with a test target and counts the others', () => {
    expect(Array.from(test.task.users, (u) => Number(test.users.id(u)))).toEqual([7, 8, 9, 10])
    expect(test.task.skipped).toEqual({noTarget: 6, onlySeenTargets: 0})
  })

  it('most-popular recommends the most popular unseen item, by train+val counts', async () => {
    const top = await topIds('popular', test, 3)
    expect(top.get(10)).toEqual([105, 102, 103])
    // 105, 103, 104 and 108 are seen; 101 (7 clicks) beats 102 (6); 107 (1 val click) beats 106 (none).
    expect(top.get(7)).toEqual([101, 102, 107])
  })

  it('itemknn recommends the item that co-occurs with the history', async () => {
    const top = await topIds('itemknn', test, 2)
    // sim(102, 101) = 6 / sqrt(6 x 7) = 0.93 > sim(105, 101) = 6 / sqrt(9 x 7) = 0.76.
    expect(top.get(10)).toEqual([102, 105])
  })

  it('itemknn reports the neighbourhood size it tuned on val', async () => {
    const built = await buildBaseline('itemknn', test, {seed: 1, tuneK: 1, reporter: silentReporter})
    // Nine rows (OOV + 8 items): every grid size clips to the 7 other real items.
    expect(built.neighbours).toMatchObject({chosen: 7, tunedOn: 'val', metric: 'ndcg@1'})
    expect(built.neighbours!.grid.map((g) => g.neighbours)).toEqual([7])
  })

  it('random is seeded: same seed same lists, another seed other lists', async () => {
    const a = await topIds('random', test, 4, 7)
    expect(await topIds('random', test, 4, 7)).toEqual(a)
    expect(await topIds('random', test, 4, 8)).not.toEqual(a)
  })

  it('never ranks a history item for any baseline', async () => {
    const history = new Map<number, Set<number>>()
    for (const x of knownWorld().interactions) if (x.split !== 'test') history.set(x.user, (history.get(x.user) ?? new Set()).add(x.item))
    for (const name of ['popular', 'itemknn', 'random'] as const) {
      for (const [user, items] of await topIds(name, test, 4)) for (const item of items) expect(history.get(user)!.has(item), `${name} ranked seen item ${item} for user ${user}`).toBe(false)
    }
  })
})

describe('building blocks', () => {
  it('item neighbours are cosine over distinct co-occurring users, best first', () => {
    // users 0..2 over item rows 1..3: u0 {1, 2}, u1 {1, 2, 2}, u2 {1, 3}
    const history = {offsets: Int32Array.from([0, 2, 5, 7]), items: Int32Array.from([1, 2, 1, 2, 2, 1, 3]), ts: new Float64Array(7)}
    const table = buildItemNeighbours(history, 4, 5)
    const of = (j: number) => Array.from(table.rows.subarray(table.offsets[j], table.offsets[j + 1]))
    const sims = (j: number) => Array.from(table.sims.subarray(table.offsets[j], table.offsets[j + 1]))
    expect(of(1)).toEqual([2, 3])
    expect(sims(1)[0]).toBeCloseTo(2 / Math.sqrt(3 * 2), 6)
    expect(sims(1)[1]).toBeCloseTo(1 / Math.sqrt(3 * 1), 6)
    expect(of(3)).toEqual([1])
    expect(of(0)).toEqual([])
  })

  it('random scores of a user do not depend on the block it is scored in', () => {
    const provider = randomScores(50, Int32Array.from([5, 9, 11]), 3)
    const alone = new Float32Array(50)
    provider.scoreBlock(Int32Array.from([2]), alone)
    const block = new Float32Array(150)
    provider.scoreBlock(Int32Array.from([0, 1, 2]), block)
    expect(Array.from(block.subarray(100))).toEqual(Array.from(alone))
  })
})
