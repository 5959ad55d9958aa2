// Labels: responses label their impression, ignored impressions are position-weighted; sampled negatives are honest.
import {describe, expect, it} from 'vitest'

import {type ColumnTable, toDict} from '../../src/lib/dataset/columns.js'
import {TRAIN, VAL} from '../../src/lib/dataset/schema.js'
import {IdVocab} from '../../src/lib/features/vocab.js'
import {headsForDataset, IMPRESSION_HEADS} from '../../src/lib/models/ranker/heads.js'
import {Rng} from '../../src/lib/random/rng.js'
import {buildEventExamples} from '../../src/lib/training/ranking/event-examples.js'
import {buildImpressionExamples} from '../../src/lib/training/ranking/impression-examples.js'
import {PopularityNegatives} from '../../src/lib/training/ranking/popularity-negatives.js'

type Row = [user: number, item: number, t: number, event: string, position: number, dwell: number | null, split: string, weight?: number]

function log(rows: Row[]): ColumnTable {
  return {
    user_id: {type: 'int64', values: BigInt64Array.from(rows, (r) => BigInt(r[0]))},
    item_id: {type: 'int64', values: BigInt64Array.from(rows, (r) => BigInt(r[1]))},
    ts: {type: 'timestamp_ms', values: Float64Array.from(rows, (r) => r[2])},
    event: toDict(rows.map((r) => r[3])),
    weight: {type: 'float32', values: Float32Array.from(rows, (r) => r[7] ?? 1)},
    split: toDict(rows.map((r) => r[6]), ['train', 'val', 'test']),
    position: {type: 'int16', values: Int16Array.from(rows, (r) => r[4])},
    dwell_ms: {type: 'int32', values: Int32Array.from(rows, (r) => r[5] ?? 0), nulls: Uint8Array.from(rows, (r) => (r[5] === null ? 1 : 0))},
  }
}

const users = IdVocab.fromValues(BigInt64Array.of(1n, 2n))
const items = IdVocab.fromValues(BigInt64Array.of(10n, 11n, 12n, 13n))
const heads = [...IMPRESSION_HEADS]
const label = (labels: Uint8Array, row: number, head: string) => labels[row * heads.length + heads.findIndex((h) => h.name === head)]

describe('impression examples', () => {
  const rows: Row[] = [
    [1, 10, 0, 'impression', 0, null, 'train'],
    [1, 11, 1, 'impression', 3, null, 'train'],
    [1, 10, 2, 'click', 0, null, 'train'],
    [1, 10, 3, 'dwell', 0, 4000, 'train'], // short read: not a long dwell
    [1, 12, 4, 'impression', 8, null, 'train'],
    [1, 12, 5, 'skip', 8, null, 'train'],
    [2, 13, 6, 'like', 0, null, 'train'], // no impression of (2, 13) before: an orphan
    [2, 13, 7, 'impression', 1, null, 'val'],
    [2, 13, 8, 'dwell', 1, 20_000, 'val'],
    [2, 13, 9, 'share', 1, null, 'val'],
  ]
  const {examples, orphanEvents} = buildImpressionExamples(log(rows), users, items, heads, {positionDecay: 0.5, longDwellMs: 10_000})

  it('makes one example per impression, with the impression split and time', () => {
    expect(examples.user.length).toBe(4)
    expect(Array.from(examples.ts)).toEqual([0, 1, 4, 7])
    expect(Array.from(examples.split)).toEqual([TRAIN, TRAIN, TRAIN, VAL])
    expect(orphanEvents).toBe(1)
  })

  it('labels each response on its impression; short dwells are not long dwells', () => {
    expect(label(examples.labels, 0, 'click')).toBe(1)
    expect(label(examples.labels, 0, 'dwell')).toBe(0)
    expect(label(examples.labels, 2, 'negative')).toBe(1)
    expect(label(examples.labels, 3, 'dwell')).toBe(1)
    expect(label(examples.labels, 3, 'share')).toBe(1)
    expect(label(examples.labels, 3, 'like')).toBe(0)
    expect(examples.labels.subarray(heads.length, 2 * heads.length).every((v) => v === 0)).toBe(true)
  })

  it('weighs an ignored impression by (1 + position)^-decay and a responded one by 1', () => {
    expect(Array.from(examples.weight)).toEqual([1, 0.5, 1, 1])
  })

  it('picks heads from the events present: heavy-ranker heads with impressions, one per positive without', () => {
    expect(headsForDataset(['impression', 'click', 'like', 'skip'], true, {click: 1, like: 2}).map((h) => h.name)).toEqual(['click', 'like', 'negative'])
    expect(headsForDataset(['rating'], false, {rating: 1})).toEqual([{name: 'rating', events: ['rating']}])
  })
})

describe('event examples and sampled negatives', () => {
  const ratingHeads = [{name: 'rating', events: ['rating']}]
  const rows: Row[] = [
    [1, 10, 0, 'rating', 0, null, 'train', 5],
    [1, 11, 1, 'rating', 0, null, 'train', 2],
    [2, 10, 2, 'rating', 0, null, 'train', 4],
    [2, 12, 3, 'rating', 0, null, 'train', 5],
    [1, 12, 4, 'rating', 0, null, 'val', 5],
  ]

  it('turns ratings below the minimum weight into explicit negatives', () => {
    const {examples, explicitNegatives} = buildEventExamples(log(rows), users, items, ratingHeads, 4)
    expect(explicitNegatives).toBe(1)
    expect(Array.from(examples.labels)).toEqual([1, 0, 1, 1, 1])
    expect(Array.from(buildEventExamples(log(rows), users, items, ratingHeads, undefined).examples.labels)).toEqual([1, 1, 1, 1, 1])
  })

  it('samples negatives per positive at its time and split, never an item the user had by then, reproducibly', () => {
    const {examples} = buildEventExamples(log(rows), users, items, ratingHeads, 4)
    const sampler = new PopularityNegatives(examples, items.size, 0.75)
    const all = Int32Array.from({length: examples.user.length}, (_, i) => i)
    const a = sampler.sample(all, 3, new Rng(1))
    const b = sampler.sample(all, 3, new Rng(1))
    expect(a.user.length).toBe(4 * 3)
    expect(Array.from(a.item)).toEqual(Array.from(b.item))
    expect(a.labels.every((v) => v === 0)).toBe(true)
    for (let j = 0; j < a.user.length; j++) {
      expect(a.item[j]).toBeGreaterThan(0)
      const touched = rows.filter((r) => users.row(BigInt(r[0])) === a.user[j] && ['train', 'val', 'test'].indexOf(r[6]) <= a.split[j]).map((r) => items.row(BigInt(r[1])))
      expect(touched).not.toContain(a.item[j])
    }
  })

  it('draws popular items more often (train positives + 1)^power', () => {
    const many: Row[] = []
    for (let u = 0; u < 40; u++) many.push([1 + (u % 2), 10, u, 'rating', 0, null, 'train', 5])
    many.push([1, 11, 100, 'rating', 0, null, 'train', 5])
    const big = IdVocab.fromValues(BigInt64Array.from({length: 50}, (_, i) => BigInt(10 + i)))
    const {examples} = buildEventExamples(log(many), users, big, ratingHeads, undefined)
    const sampler = new PopularityNegatives(examples, big.size, 1)
    // Only user 2's rows: user 1 has item 11, so count item 10 against the uniform rate through user 2.
    const rowsOfUser2 = Int32Array.from(Array.from(examples.user.keys()).filter((i) => examples.user[i] === users.row(2n)))
    const drawn = sampler.sample(rowsOfUser2, 50, new Rng(3))
    const share11 = drawn.item.filter((i) => i === big.row(11n)).length / drawn.item.length
    expect(share11).toBeGreaterThan(1.5 / 49)
  })
})
