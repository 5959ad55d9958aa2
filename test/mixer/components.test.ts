import {afterEach, beforeAll, describe, expect, it, vi} from 'vitest'

import {readDataset, type Dataset} from '../../src/lib/dataset/store.js'
import {getColumn} from '../../src/lib/dataset/columns.js'
import {IdVocab} from '../../src/lib/features/vocab.js'
import {buildHomePipeline} from '../../src/lib/mixer/build-pipeline.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {applyOverrides} from '../../src/lib/mixer/overrides.js'
import {duplicates, previouslySeen} from '../../src/lib/mixer/filters/filters.js'
import {safetyFilter, unsafeRows} from '../../src/lib/mixer/filters/safety.js'
import {describeCandidate, namedScores} from '../../src/lib/mixer/describe.js'
import {runPipeline} from '../../src/lib/mixer/run-pipeline.js'
import {explorationSlot} from '../../src/lib/mixer/selectors/balance.js'
import {authorCap} from '../../src/lib/mixer/selectors/caps.js'
import {mmr} from '../../src/lib/mixer/selectors/mmr.js'
import {type Candidate, type HomeQuery, makeCandidate, type Pipeline} from '../../src/lib/mixer/types.js'
import {buildWorld, type ServingWorld} from '../../src/lib/mixer/world.js'
import {buildIndex} from '../../src/lib/index/build-index.js'
import {Rng} from '../../src/lib/random/rng.js'
import {tempDir} from '../helpers/cli.js'
import {NSFW_ITEM, N_ITEMS, userId, writeWorld} from '../serving/world-fixture.js'

const DIM = 4

/** Item row r (1-based) gets the unit vector along axis r % DIM: rows 1 and 5 are identical, 1 and 2 orthogonal. */
function axisVectors(size: number): Float32Array {
  const v = new Float32Array(size * DIM)
  for (let row = 1; row < size; row++) v[row * DIM + (row % DIM)] = 1
  return v
}

function query(world: ServingWorld, user: number, k = 10, seen: number[] = []): HomeQuery {
  const row = world.users.row(userId(user))
  const {offsets, items} = world.history
  return {userId: userId(user), userRow: row, k, now: world.clock, seen: new Set(seen), history: items.slice(offsets[row], offsets[row + 1]), userVector: Float32Array.of(1, 0, 0, 0), rng: new Rng(1)}
}

const cand = (_world: ServingWorld, row: number, score: number): Candidate => makeCandidate(row, 'Test', score)

describe('mixer components', () => {
  let dataset: Dataset
  let world: ServingWorld
  beforeAll(async () => {
    dataset = await readDataset(await writeWorld(tempDir()))
    const users = IdVocab.fromValues(getColumn(dataset.users, 'user_id', 'int64').values)
    const items = IdVocab.fromValues(getColumn(dataset.items, 'item_id', 'int64').values)
    world = buildWorld(dataset, users, items, axisVectors(items.size))
  })

  it('PreviouslySeen removes seen items and keeps the order of the rest', async () => {
    const cs = [3, 4, 5, 6].map((r) => cand(world, r, 1))
    const {kept, removed} = await previouslySeen.apply(query(world, 0, 10, [4, 6]), cs)
    expect(kept.map((c) => c.row)).toEqual([3, 5])
    expect(removed.map((c) => c.row)).toEqual([4, 6])
  })

  it('Safety removes items labelled above the threshold, or penalises them in penalty mode', async () => {
    // unknown (NaN) is safe; at the threshold is unsafe; a label nothing scores flags nothing
    expect([...unsafeRows({toxic: 0.5}, 4, () => [Number.NaN, 0.49, 0.5, 1])]).toEqual([0, 0, 1, 1])
    const unsafe = unsafeRows({nsfw: 0.5, unscored: 0.1}, world.items.size, (label) => world.labels[label])
    const cs = [NSFW_ITEM, NSFW_ITEM + 1, NSFW_ITEM + 2].map((r) => cand(world, r, 1))
    const removing = await safetyFilter({mode: 'remove', thresholds: {nsfw: 0.5}, penalty: 0.5}, unsafe).apply(query(world, 0), cs)
    expect(removing.removed.map((c) => c.row)).toEqual([NSFW_ITEM + 1])
    const penalising = await safetyFilter({mode: 'penalty', thresholds: {nsfw: 0.5}, penalty: 0.5}, unsafe).apply(query(world, 0), cs)
    expect(penalising.kept.map((c) => c.penalty)).toEqual([0, 0.5, 0])
  })

  it('Duplicates keeps the first copy', async () => {
    const filter = duplicates(world.items.size)
    const {kept} = await filter.apply(query(world, 0), [cand(world, 3, 1), cand(world, 4, 1), cand(world, 3, 0.5)])
    expect(kept.map((c) => c.row)).toEqual([3, 4])
    // the next request starts from nothing marked
    expect((await filter.apply(query(world, 0), [cand(world, 3, 1)])).kept.map((c) => c.row)).toEqual([3])
  })

  it('AuthorCap keeps at most n per author, best first', () => {
    // rows of author 0: items 0, 10, 20, ... -> rows in id order are item index + 1
    const rows = [1, 11, 21, 2, 31]
    const cap = authorCap(world, 2)!
    const out = cap.apply(query(world, 0), rows.map((r, i) => cand(world, r, 1 - i * 0.1)))
    expect(out.map((c) => c.row)).toEqual([1, 11, 2])
    // the same selector serves the next request from zero again
    expect(cap.apply(query(world, 0), [21, 31].map((r) => cand(world, r, 1))).map((c) => c.row)).toEqual([21, 31])
  })

  it('MMR: lambda 1 keeps score order, lower lambda moves a near-duplicate down', () => {
    const cs = [cand(world, 1, 1), cand(world, 5, 0.9), cand(world, 2, 0.8)]
    expect(mmr(world, 1).apply(query(world, 0), cs).map((c) => c.row)).toEqual([1, 5, 2])
    expect(mmr(world, 0.5).apply(query(world, 0), cs).map((c) => c.row)).toEqual([1, 2, 5])
  })

  it('MMR with lambda 1 returns its input order, ties included: the registry leaves it out instead', () => {
    const rng = new Rng(5)
    const dim = 6
    const randomWorld = {...world, dim, itemVectors: Float32Array.from({length: 200 * dim}, () => rng.normal())}
    for (const [n, k] of [[45, 15], [120, 50], [7, 1]]) {
      // scores on a coarse grid so that many are equal, sorted as runPipeline sorts (ties by row)
      const cs = Array.from({length: n}, (_, i) => cand(randomWorld, 1 + ((i * 37) % 199), Math.round(rng.next() * 8) / 8 - 0.5))
      cs.sort((a, b) => (b.score > a.score ? 1 : b.score < a.score ? -1 : a.row - b.row))
      expect(mmr(randomWorld, 1).apply({...query(world, 0), k}, cs)).toEqual(cs)
    }
  })

  it('exploration at rate 0 returns its input: the registry leaves it out instead', () => {
    const cs = Array.from({length: 20}, (_, i) => cand(world, i + 1, 1 - i / 20))
    for (const seed of [1, 2, 3, 4, 5]) expect(explorationSlot(0).apply({...query(world, 0, 5), rng: new Rng(seed)}, cs)).toEqual(cs)
  })

  it('MMR picks what the textbook greedy loop picks (random 7-d vectors, odd pool sizes)', () => {
    const rng = new Rng(3)
    const dim = 7
    const size = 200
    const vectors = Float32Array.from({length: size * dim}, () => rng.normal())
    const randomWorld = {...world, dim, itemVectors: vectors}
    const sim = (a: number, b: number) => {
      let s = 0
      for (let j = 0; j < dim; j++) s += vectors[a * dim + j] * vectors[b * dim + j]
      return s
    }
    for (const [n, k, lambda] of [[45, 15, 0.7], [31, 5, 0.3], [60, 20, 0.5]]) {
      const cs = Array.from({length: n}, (_, i) => cand(randomWorld, 1 + ((i * 37) % (size - 1)), rng.next()))
      const pool = Math.min(n, 100, Math.max(3 * k, 30))
      const left = cs.slice(0, pool)
      const low = Math.min(...left.map((c) => c.score))
      const high = Math.max(...left.map((c) => c.score))
      const expected: number[] = []
      while (left.length > 0) {
        const relevance = (c: Candidate) => (c.score - low) / (high - low)
        const value = (c: Candidate) => lambda * relevance(c) - (1 - lambda) * (expected.length === 0 ? 0 : Math.max(...expected.map((r) => sim(r, c.row))))
        const best = left.reduce((b, c) => (value(c) > value(b) ? c : b))
        expected.push(best.row)
        left.splice(left.indexOf(best), 1)
      }
      const got = mmr(randomWorld, lambda).apply({...query(world, 0), k}, cs).map((c) => c.row)
      expect(got).toEqual([...expected, ...cs.slice(pool).map((c) => c.row)])
      // lambda means the same whatever the scorer's scale: scores x 100 + 3 give the same order
      const rescaled = cs.map((c) => ({...c, score: 100 * c.score + 3}))
      expect(mmr(randomWorld, lambda).apply({...query(world, 0), k}, rescaled).map((c) => c.row)).toEqual(got)
    }
  })

  it('exploration is seeded per request: the same seed gives the same feed', () => {
    const cs = Array.from({length: 20}, (_, i) => cand(world, i + 1, 1 - i / 20))
    const run = (seed: number) => explorationSlot(1).apply({...query(world, 0, 5), rng: new Rng(seed)}, cs)
    expect(run(7).map((c) => c.row)).toEqual(run(7).map((c) => c.row))
    const explored = run(7)[4]
    expect(explored.explored).toBe(true)
    expect(explored.row).toBeGreaterThan(5)
  })

  it('gives the exploration slot the probability the policy shows its item there: rate / (n - k) explored, 1 - rate kept', () => {
    // 20 candidates, k 5, rate 0.3: each of the 15 beyond the first 5 lands in slot 4 with 0.3 / 15 = 0.02, row 5 stays with 0.7
    const draws = 20_000
    const shown = new Map<number, number>()
    const stated = new Map<number, number>()
    for (let seed = 0; seed < draws; seed++) {
      const cs = Array.from({length: 20}, (_, i) => cand(world, i + 1, 1 - i / 20))
      const out = explorationSlot(0.3).apply({...query(world, 0, 5), rng: new Rng(seed)}, cs)
      const slot = out[4]
      shown.set(slot.row, (shown.get(slot.row) ?? 0) + 1)
      stated.set(slot.row, slot.propensity)
      for (const c of out.slice(0, 4)) expect(c.propensity).toBe(-1) // deterministic slots
    }
    expect(stated.get(5)).toBeCloseTo(0.7, 12)
    for (let row = 6; row <= 20; row++) expect(stated.get(row)).toBeCloseTo(0.02, 12)
    // the frequencies agree within ~4 standard errors (sqrt(0.7 * 0.3 / 20000) = 0.0032, sqrt(0.02 * 0.98 / 20000) = 0.001)
    for (const [row, n] of shown) expect(Math.abs(n / draws - stated.get(row)!), `row ${row}`).toBeLessThan(row === 5 ? 0.013 : 0.004)
    expect(shown.size).toBe(16)
  })
})

describe('runPipeline', () => {
  let world: ServingWorld
  let pipeline: Pipeline
  beforeAll(async () => {
    const dataset = await readDataset(await writeWorld(tempDir()))
    const users = IdVocab.fromValues(getColumn(dataset.users, 'user_id', 'int64').values)
    const items = IdVocab.fromValues(getColumn(dataset.items, 'item_id', 'int64').values)
    const vectors = axisVectors(items.size)
    world = buildWorld(dataset, users, items, vectors)
    const built = await buildIndex(vectors.slice(DIM), items.ids, {exact: true, normalize: false})
    pipeline = buildHomePipeline(applyOverrides(MixerConfigSchema.parse({}), {'exploration-rate': 0}), {world, index: built.index, indexToRow: items.rows(built.index.ids)})
  })

  it('runs every source, tags candidates, filters seen and unsafe items, records each stage', async () => {
    const q = query(world, 0, 10)
    const result = await runPipeline(pipeline, q)
    expect(pipeline.skipped.map((s) => s.id)).toEqual(['HeavyRanker', 'Exploration'])
    expect(Object.keys(result.perSource).sort()).toEqual(['Community', 'Graph', 'InNetwork', 'OutOfNetwork', 'Popular'])
    expect(result.items.length).toBeGreaterThan(0)
    for (const c of result.items) {
      expect(q.seen.has(c.row)).toBe(false)
      expect(c.row).not.toBe(NSFW_ITEM + 1)
      expect(describeCandidate(pipeline, q, c).reason.length).toBeGreaterThan(0)
    }
    const inNetwork = result.items.find((c) => c.source === 'InNetwork')!
    expect(describeCandidate(pipeline, q, inNetwork)).toEqual({itemId: world.items.id(inNetwork.row), source: 'InNetwork', reason: expect.stringMatching(/^you follow @100[01]$/)})
    expect(namedScores(result.scores, inNetwork)).toEqual({cosine: inNetwork.score, final: inNetwork.score})
    const stageIds = result.stages.map((s) => `${s.stage}:${s.id}`)
    expect(stageIds).toContain('filter:Safety')
    expect(stageIds).toContain('selector:Mmr')
    // each filter's record says how many it removed (the fixture's sources offer the same items twice)
    const removed = Object.fromEntries(result.stages.filter((s) => s.stage === 'filter').map((s) => [s.id, s.removed]))
    expect(Object.keys(removed)).toEqual(['PreviouslySeen', 'Duplicates', 'Safety'])
    for (const s of result.stages.filter((s) => s.stage === 'filter')) expect(s.removed).toBe(s.in - s.out)
    expect(removed.Duplicates).toBeGreaterThan(0)
    expect(result.stages.filter((s) => s.stage !== 'filter').every((s) => s.removed === undefined)).toBe(true)
  })

  it('a failing fail-open source is recorded and skipped; a fail-closed one fails the request', async () => {
    const broken = {id: 'Popular', apply: async () => Promise.reject(new Error('store down')), reason: () => ''}
    const open = {...pipeline, sources: [...pipeline.sources.filter((s) => s.source.id !== 'Popular'), {source: broken, quota: 10}]}
    const result = await runPipeline(open, query(world, 0))
    expect(result.stages.find((s) => s.id === 'Popular')?.error).toBe('store down')
    await expect(runPipeline({...open, failOpen: {}}, query(world, 0))).rejects.toThrow('store down')
  })

  afterEach(() => vi.restoreAllMocks())

  it("records each source's own time, not the time of the sources started after it", async () => {
    // a clock that only moves when a source says so: A computes for 2 ms, B for 5 ms, C awaits 7 ms of I/O
    let clock = 0
    vi.spyOn(performance, 'now').mockImplementation(() => clock)
    const computing = (id: string, ms: number) => ({
      id,
      apply: async () => {
        clock += ms
        return []
      },
      reason: () => '',
    })
    const awaiting = {
      id: 'C',
      apply: async () => {
        await new Promise<void>((resolve) => setImmediate(() => resolve(void (clock += 7))))
        return []
      },
      reason: () => '',
    }
    const timed: Pipeline = {...pipeline, sources: [computing('A', 2), computing('B', 5), awaiting].map((source) => ({source, quota: 10})), failOpen: {}}
    const running = runPipeline(timed, query(world, 0))
    const sources = Object.fromEntries((await running).stages.filter((s) => s.stage === 'source').map((s) => [s.id, [s.ms, s.waitMs]]))
    expect(sources).toEqual({A: [2, 0], B: [5, 0], C: [0, 7]})
  })

  it('quotas hold up to quota-k items and grow in proportion for larger feeds', async () => {
    const asked: number[] = []
    const recording = {id: 'R', apply: async (_q: HomeQuery, quota: number) => (asked.push(quota), []), reason: () => ''}
    const scaled: Pipeline = {...pipeline, sources: [{source: recording, quota: 10}], quotaK: 20, failOpen: {}}
    for (const k of [1, 20, 21, 50, 100]) await runPipeline(scaled, query(world, 0, k))
    expect(asked).toEqual([10, 10, 11, 25, 50])
  })

  it('OutOfNetwork fills its quota with the best unseen items when the seen ones outnumber it', async () => {
    const source = pipeline.sources.find((s) => s.source.id === 'OutOfNetwork')!.source
    const ranked = (await source.apply(query(world, 0, 10), 16)).map((c) => c.row)
    expect(ranked).toHaveLength(16)
    // the first fetch (4 + min(12, 4) = 8 rows) is all seen: only the doubled one finds unseen rows
    const found = await source.apply(query(world, 0, 10, ranked.slice(0, 12)), 4)
    expect(found.map((c) => c.row)).toEqual(ranked.slice(12))
  })

  it('sources that keep scratch arrays between requests start each request clean', async () => {
    const graph = pipeline.sources.find((s) => s.source.id === 'Graph')!.source
    const rows = async (user: number) => (await graph.apply(query(world, user, 10), 50)).map((c) => [c.row, c.sourceScore, c.via])
    const first = await rows(0)
    expect(first.length).toBeGreaterThan(0)
    await rows(1)
    expect(await rows(0)).toEqual(first)
  })

  it('skips in-network when the dataset has no follows', async () => {
    const index = (await buildIndex(axisVectors(N_ITEMS + 1).slice(DIM), world.items.ids, {exact: true})).index
    const noFollows = buildHomePipeline(MixerConfigSchema.parse({}), {world: {...world, follows: undefined}, index, indexToRow: world.items.rows(index.ids)})
    expect(noFollows.skipped).toEqual([{id: 'InNetwork', reason: 'no follows.parquet or no items.author_id'}, {id: 'HeavyRanker', reason: 'no ranking checkpoint (--ranking)'}])
  })
})
