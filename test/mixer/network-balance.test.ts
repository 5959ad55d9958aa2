import {beforeAll, describe, expect, it} from 'vitest'

import {getColumn} from '../../src/lib/dataset/columns.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {IdVocab} from '../../src/lib/features/vocab.js'
import {buildIndex} from '../../src/lib/index/build-index.js'
import {buildHomePipeline} from '../../src/lib/mixer/build-pipeline.js'
import {MixerConfigSchema} from '../../src/lib/mixer/config.js'
import {runPipeline} from '../../src/lib/mixer/run-pipeline.js'
import {REGISTRY} from '../../src/lib/mixer/registry.js'
import {explorationSlot, networkBalance} from '../../src/lib/mixer/selectors/balance.js'
import {type Candidate, type HomeQuery, makeCandidate, type Pipeline} from '../../src/lib/mixer/types.js'
import {buildWorld, type ServingWorld} from '../../src/lib/mixer/world.js'
import {Rng} from '../../src/lib/random/rng.js'
import {tempDir} from '../helpers/cli.js'
import {itemId, N_ITEMS, N_USERS, userId, writeWorld} from '../serving/world-fixture.js'

const DIM = 4

const bare = (k: number, seed = 1): HomeQuery => ({userId: 1n, userRow: 1, k, now: 0, seen: new Set(), history: new Int32Array(0), userVector: new Float32Array(DIM), rng: new Rng(seed)})

/** `outside` out-of-network candidates scored 1, 0.99, ... then `inside` in-network ones scored below all of them, as runPipeline sorts. */
function scored(outside: number, inside: number, insideFirst = false): Candidate[] {
  const out = Array.from({length: outside}, (_, i) => makeCandidate(1 + i, 'OutOfNetwork', 1 - i / 100))
  const into = Array.from({length: inside}, (_, i) => makeCandidate(1000 + i, 'InNetwork', (insideFirst ? 2 : 0.1) - i / 100, 0, true))
  return insideFirst ? [...into, ...out] : [...out, ...into]
}

const inNetworkAt = (cs: Candidate[], k: number) => cs.slice(0, k).flatMap((c, i) => (c.inNetwork ? [i] : []))

describe('NetworkBalance', () => {
  it('with a floor, the first k hold that share of in-network items, the best first, before the last slot', () => {
    const cs = scored(20, 6)
    const out = networkBalance(0.5, 0.2).apply(bare(10), cs)
    expect(new Set(out)).toEqual(new Set(cs))
    expect(inNetworkAt(out, 10)).toEqual([7, 8])
    expect(out.slice(7, 9).map((c) => c.row)).toEqual([1000, 1001])
    // each side keeps its order
    expect(out.filter((c) => !c.inNetwork)).toEqual(cs.filter((c) => !c.inNetwork))
    expect(out.filter((c) => c.inNetwork)).toEqual(cs.filter((c) => c.inNetwork))
    // without a floor, a merge by score: the lower-scored in-network items never make the first k
    expect(inNetworkAt(networkBalance(0.5, 0).apply(bare(10), cs), 10)).toEqual([])
  })

  it('the floor rounds to the nearest item, takes all when fewer exist, and stays within the cap', () => {
    const count = (max: number, min: number, k: number, inside = 6) => inNetworkAt(networkBalance(max, min).apply(bare(k), scored(20, inside)), k).length
    expect(count(0.5, 0.2, 5)).toBe(1)
    expect(count(0.5, 0.2, 3)).toBe(1) // 0.6 -> 1
    expect(count(0.5, 0.2, 2)).toBe(0) // 0.4 -> 0
    expect(count(0.5, 0.25, 10)).toBe(3) // 2.5 -> 3
    expect(count(0.5, 0.5, 10)).toBe(5)
    expect(count(0.5, 0.5, 10, 2)).toBe(2) // only two exist: both
    expect(count(0.5, 0.2, 10, 0)).toBe(0)
    expect(count(0.25, 0.25, 10)).toBe(2) // the cap, 2.5 -> 2, bounds the rounded floor
    expect(count(1, 1, 4)).toBe(4)
    // a feed shorter than k: the share of what there is (4 candidates: 2)
    expect(inNetworkAt(networkBalance(0.5, 0.5).apply(bare(10), scored(2, 2)), 10)).toHaveLength(2)
  })

  it('the cap still holds when in-network items score higher', () => {
    const cs = scored(20, 10, true)
    const out = networkBalance(0.5, 0.2).apply(bare(10), cs)
    expect(inNetworkAt(out, 10)).toHaveLength(5)
    for (let end = 1; end <= 10; end++) expect(inNetworkAt(out, end).length).toBeLessThanOrEqual(0.5 * end)
    // with no out-of-network items left, in-network ones fill the feed
    expect(inNetworkAt(networkBalance(0.5, 0.2).apply(bare(10), scored(3, 10, true)), 10)).toHaveLength(7)
  })

  it('an exploration pick after it never pushes the floor out of the feed', () => {
    const cs = scored(30, 4)
    for (let seed = 1; seed <= 20; seed++) {
      const balanced = networkBalance(0.5, 0.2).apply(bare(10, seed), [...cs])
      const explored = explorationSlot(1).apply(bare(10, seed), balanced)
      expect(inNetworkAt(explored, 10).length).toBeGreaterThanOrEqual(2)
    }
  })

  it('its params: min-in-network defaults to 0.2 and may not exceed max-in-network', () => {
    const params = REGISTRY.selector.NetworkBalance.params
    expect(params.parse({})).toEqual({'max-in-network': 0.5, 'min-in-network': 0.2})
    expect(params.parse({'max-in-network': 0, 'min-in-network': 0})).toEqual({'max-in-network': 0, 'min-in-network': 0})
    const refused = params.safeParse({'max-in-network': 0.1})
    expect(refused.success).toBe(false)
    expect(refused.error?.issues[0]).toMatchObject({path: ['min-in-network'], message: 'min-in-network must not exceed max-in-network'})
    expect(() => MixerConfigSchema.parse({selectors: [{id: 'NetworkBalance', params: {'min-in-network': 0.6}}]})).toThrow(/min-in-network must not exceed max-in-network/)
  })
})

describe('a follower sees the followed in the feed', () => {
  let world: ServingWorld
  let pipeline: Pipeline
  /** Whose vector is along axis 0: the user vector of every query here. */
  const query = (user: number, k = 10): HomeQuery => {
    const row = world.users.row(userId(user))
    const {offsets, items} = world.history
    const history = items.slice(offsets[row], offsets[row + 1])
    return {userId: userId(user), userRow: row, k, now: world.clock, seen: new Set(history), history, userVector: Float32Array.of(1, 0, 0, 0), rng: new Rng(user)}
  }
  const followed = (i: number) => i % 10 < 2 // every user follows authors 0 and 1, who wrote items 0, 1, 10, 11, ...

  beforeAll(async () => {
    const dataset = await readDataset(await writeWorld(tempDir()))
    const users = IdVocab.fromValues(getColumn(dataset.users, 'user_id', 'int64').values)
    const items = IdVocab.fromValues(getColumn(dataset.items, 'item_id', 'int64').values)
    // cosine to the user vector: the followed authors' (fresh: written hours before the clock) items 0.3-0.4; of the
    // others, half 0.9-1 (the nearest, which the out-of-network source finds first) and half 0.1-0.2
    const vectors = new Float32Array(items.size * DIM)
    for (let i = 0; i < N_ITEMS; i++) {
      const row = items.row(itemId(i))
      const cosine = (followed(i) ? 0.3 : Math.floor(i / 3) % 2 === 0 ? 0.9 : 0.1) + i / 1000
      vectors[row * DIM] = cosine
      vectors[row * DIM + 1] = Math.sqrt(1 - cosine * cosine)
    }
    world = buildWorld(dataset, users, items, vectors)
    const index = (await buildIndex(vectors.slice(DIM), items.ids, {exact: true, normalize: false})).index
    pipeline = buildHomePipeline(MixerConfigSchema.parse({}), {world, index, indexToRow: items.rows(index.ids)})
  })

  it('the feed of 10 holds the best of the fresh followed items, though the scorer ranks them below the others', async () => {
    const beforeBalance = {...pipeline, selectors: pipeline.selectors.slice(0, pipeline.selectors.findIndex((s) => s.id === 'NetworkBalance'))}
    const withoutFloor = {...pipeline, selectors: pipeline.selectors.map((s) => (s.id === 'NetworkBalance' ? networkBalance(0.5, 0) : s))}
    let withFollowed = 0
    for (let user = 0; user < N_USERS; user++) {
      const offered = (await runPipeline(beforeBalance, query(user))).items
      const inside = offered.filter((c) => c.inNetwork)
      expect(inside.length, `user ${user}`).toBeGreaterThan(0)
      // why the floor: every in-network candidate scores below the out-of-network ones shown
      const feed = (await runPipeline(pipeline, query(user))).items.slice(0, 10)
      const shown = feed.filter((c) => c.inNetwork && !c.explored)
      expect(shown.length, `user ${user}`).toBeGreaterThanOrEqual(Math.min(2, inside.length))
      for (const c of shown) expect(c.source).toBe('InNetwork')
      for (const c of shown) for (const o of feed.filter((f) => !f.inNetwork && !f.explored)) expect(c.score).toBeLessThan(o.score)
      // the first in-network candidates in the order the balance got them (by score)
      expect(shown.map((c) => c.row)).toEqual(inside.slice(0, shown.length).map((c) => c.row))
      const unfloored = (await runPipeline(withoutFloor, query(user))).items.slice(0, 10)
      if (unfloored.some((c) => c.inNetwork && !c.explored)) withFollowed++
    }
    // a merge by score alone shows nobody the followed
    expect(withFollowed).toBe(0)
  })
})
