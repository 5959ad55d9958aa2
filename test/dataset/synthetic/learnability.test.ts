// A tiny world must carry the signals models are meant to learn, and obey the log's basic causality.
import {beforeAll, describe, expect, it} from 'vitest'

import {type ColumnTable, getColumn} from '../../../src/lib/dataset/columns.js'
import {generateWorld, type SyntheticWorld} from '../../../src/lib/dataset/synthetic/generate.js'
import {EV, ITEM_ID_BASE, IS_POSITIVE, USER_ID_BASE} from '../../../src/lib/dataset/synthetic/vocab.js'
import {Rng} from '../../../src/lib/random/rng.js'

let world: SyntheticWorld
let rows: {user: Int32Array; item: Int32Array; ts: Float64Array; event: Int32Array; position: Int16Array}

beforeAll(() => {
  world = generateWorld({users: 300, items: 3000, interactions: 40_000, topics: 10, seed: 11, unsafeFrac: 0.05})
  const t: ColumnTable = world.draft.interactions
  rows = {
    user: Int32Array.from(getColumn(t, 'user_id', 'int64').values, (id) => Number(id) - USER_ID_BASE),
    item: Int32Array.from(getColumn(t, 'item_id', 'int64').values, (id) => Number(id) - ITEM_ID_BASE),
    ts: getColumn(t, 'ts', 'timestamp_ms').values,
    event: getColumn(t, 'event', 'dict').codes,
    position: getColumn(t, 'position', 'int16').values,
  }
})

const interestOf = (u: number, i: number) => world.users.interest[u * world.params.topics + world.items.trueTopic[i]]

describe('synthetic world: learnable signals', () => {
  it('users engage with items of the topics they truly like', () => {
    const k = world.params.topics
    let engaged = 0
    let engagedSum = 0
    for (let r = 0; r < rows.event.length; r++) {
      if (!IS_POSITIVE[rows.event[r]]) continue
      engaged++
      engagedSum += interestOf(rows.user[r], rows.item[r])
    }
    // The same users paired with random items: what interest looks like without any preference.
    const rng = new Rng(3)
    let randomSum = 0
    for (let j = 0; j < 20_000; j++) randomSum += interestOf(rows.user[rng.int(rows.user.length)], rng.int(world.items.count))
    const engagedMean = engagedSum / engaged
    expect(engaged).toBeGreaterThan(3000)
    expect(engagedMean).toBeGreaterThan(2.5 / k)
    expect(engagedMean).toBeGreaterThan(2 * (randomSum / 20_000))
  })

  it('clicks per impression rise with interest and fall with list position', () => {
    const byInterest = {low: [0, 0], high: [0, 0]} // [impressions, clicks]
    const byPosition = {top: [0, 0], deep: [0, 0]}
    const clicked = new Set<string>()
    for (let r = 0; r < rows.event.length; r++) if (rows.event[r] === EV.click) clicked.add(`${rows.user[r]}:${rows.item[r]}:${rows.position[r]}`)
    for (let r = 0; r < rows.event.length; r++) {
      if (rows.event[r] !== EV.impression) continue
      const click = clicked.has(`${rows.user[r]}:${rows.item[r]}:${rows.position[r]}`) ? 1 : 0
      const interest = interestOf(rows.user[r], rows.item[r])
      const bucket = interest >= 0.2 ? byInterest.high : interest < 0.02 ? byInterest.low : undefined
      if (bucket) (bucket[0]++, (bucket[1] += click))
      const slot = rows.position[r] === 0 ? byPosition.top : rows.position[r] >= 6 ? byPosition.deep : undefined
      if (slot) (slot[0]++, (slot[1] += click))
    }
    const rate = ([n, c]: number[]) => c / n
    expect(rate(byInterest.high)).toBeGreaterThan(3 * rate(byInterest.low))
    expect(rate(byPosition.top)).toBeGreaterThan(1.5 * rate(byPosition.deep))
  })

  it('unsafe items draw more reports per impression than safe ones', () => {
    const impressions = [0, 0]
    const reports = [0, 0]
    for (let r = 0; r < rows.event.length; r++) {
      const unsafe = world.items.nsfw[rows.item[r]] | world.items.toxic[rows.item[r]]
      if (rows.event[r] === EV.impression) impressions[unsafe]++
      if (rows.event[r] === EV.report) reports[unsafe]++
    }
    expect(impressions[1]).toBeGreaterThan(200)
    expect(reports[1] / impressions[1]).toBeGreaterThan(10 * (reports[0] / impressions[0]))
  })

  it('observable item features hint at the hidden labels; labels are published for a subset only', () => {
    const items = getColumn(world.draft.items, 'nsfw', 'bool')
    const hashtags = getColumn(world.draft.items, 'hashtag_count', 'int32').values
    const mean = (pick: (i: number) => boolean) => {
      let n = 0
      let s = 0
      for (let i = 0; i < hashtags.length; i++) if (pick(i)) (n++, (s += hashtags[i]))
      return s / n
    }
    expect(mean((i) => world.items.toxic[i] === 1)).toBeGreaterThan(mean((i) => world.items.toxic[i] === 0) + 1)
    let published = 0
    let wrong = 0
    for (let i = 0; i < world.items.count; i++) {
      if (items.nulls![i]) continue
      published++
      if (items.values[i] !== world.items.nsfw[i]) wrong++
    }
    expect(wrong).toBe(0)
    expect(published / world.items.count).toBeGreaterThan(0.15)
    expect(published / world.items.count).toBeLessThan(0.25)
  })

  it('follows are homophilous and preferential (heavy-tailed in-degree)', () => {
    const src = getColumn(world.draft.follows!, 'src_user_id', 'int64').values
    const to = getColumn(world.draft.follows!, 'dst_user_id', 'int64').values
    const k = world.params.topics
    const cosine = (a: number, b: number) => {
      let dot = 0
      let na = 0
      let nb = 0
      for (let z = 0; z < k; z++) {
        const x = world.users.interest[a * k + z]
        const y = world.users.interest[b * k + z]
        dot += x * y
        na += x * x
        nb += y * y
      }
      return dot / Math.sqrt(na * nb)
    }
    const inDegree = new Int32Array(world.users.count)
    let followed = 0
    for (let e = 0; e < src.length; e++) {
      followed += cosine(Number(src[e]) - USER_ID_BASE, Number(to[e]) - USER_ID_BASE)
      inDegree[Number(to[e]) - USER_ID_BASE]++
    }
    const rng = new Rng(5)
    let random = 0
    for (let j = 0; j < 5000; j++) random += cosine(rng.int(world.users.count), rng.int(world.users.count))
    expect(followed / src.length).toBeGreaterThan(1.3 * (random / 5000))
    expect(Math.max(...inDegree)).toBeGreaterThan((5 * src.length) / world.users.count)
  })
})

describe('synthetic world: causality of the log', () => {
  it('shows items only after they were posted, in time order', () => {
    let early = 0
    let outOfOrder = 0
    for (let r = 0; r < rows.ts.length; r++) {
      if (!(rows.ts[r] > world.items.createdAt[rows.item[r]])) early++
      if (r > 0 && rows.ts[r] < rows.ts[r - 1]) outOfOrder++
    }
    expect({early, outOfOrder}).toEqual({early: 0, outOfOrder: 0})
  })

  it('follows every engagement back to an impression of the same item just before it', () => {
    const lastShown = new Int32Array(world.users.count).fill(-1)
    let orphans = 0
    for (let r = 0; r < rows.event.length; r++) {
      if (rows.event[r] === EV.impression) lastShown[rows.user[r]] = rows.item[r]
      else if (lastShown[rows.user[r]] !== rows.item[r]) orphans++
    }
    expect(orphans).toBe(0)
  })
})
