// Cross features count only train engagements strictly before each pair's time, and match hand-computed values.
import {describe, expect, it} from 'vitest'

import {toDict} from '../../src/lib/dataset/columns.js'
import {DATASET_FORMAT} from '../../src/lib/dataset/manifest.js'
import type {Dataset} from '../../src/lib/dataset/store.js'
import {computeCrossFeatures, crossFeatureNames} from '../../src/lib/features/cross/cross-features.js'
import {buildCrossStats} from '../../src/lib/features/cross/cross-stats.js'
import {fitStandardizer, standardizeColumns} from '../../src/lib/features/cross/standardize.js'
import {selectPositives} from '../../src/lib/features/positives.js'
import {IdVocab} from '../../src/lib/features/vocab.js'

const H = 3_600_000
const T0 = Date.UTC(2024, 0, 1)

/** Users 1..3; items 10 (author 2, topic a), 11 (author 3, topic b), 12 (author 2, topic b); user 1 follows 2 at T0 + 5h. */
function tinyDataset(withFollows = true): Dataset {
  const rows = [
    // user, item, hour, event, split
    [1, 10, 1, 'click', 'train'],
    [1, 12, 3, 'like', 'train'],
    [1, 11, 4, 'impression', 'train'],
    [2, 10, 2, 'click', 'train'],
    [1, 11, 8, 'click', 'val'],
  ] as const
  const int64 = (values: number[]) => ({type: 'int64' as const, values: BigInt64Array.from(values, BigInt)})
  return {
    manifest: {
      format: DATASET_FORMAT,
      name: 'tiny',
      createdBy: 'test',
      source: {kind: 'generator', params: {}},
      split: {method: 'leave-last-out'},
      counts: {users: 3, items: 3, interactions: rows.length, follows: 1, train: 4, val: 1, test: 0},
      events: ['impression', 'click', 'like'],
      features: {users: {}, items: {author_id: {kind: 'id'}, topic: {kind: 'categorical', vocabSize: 2}, created_at: {kind: 'numeric'}}},
      positives: {click: 1, like: 2},
      hasImpressions: true,
      fingerprint: 'x',
    },
    users: {user_id: int64([1, 2, 3])},
    items: {
      item_id: int64([10, 11, 12]),
      author_id: int64([2, 3, 2]),
      topic: toDict(['a', 'b', 'b']),
      created_at: {type: 'timestamp_ms', values: Float64Array.of(T0, T0 + H, T0 + 2 * H)},
    },
    interactions: {
      user_id: int64(rows.map((r) => r[0])),
      item_id: int64(rows.map((r) => r[1])),
      ts: {type: 'timestamp_ms', values: Float64Array.from(rows, (r) => T0 + r[2] * H)},
      event: toDict(rows.map((r) => r[3])),
      weight: {type: 'float32', values: new Float32Array(rows.length).fill(1)},
      split: toDict(rows.map((r) => r[4]), ['train', 'val', 'test']),
    },
    follows: withFollows
      ? {src_user_id: int64([1]), dst_user_id: int64([2]), ts: {type: 'timestamp_ms', values: Float64Array.of(T0 + 5 * H)}, weight: {type: 'float32', values: Float32Array.of(1)}}
      : undefined,
  }
}

function statsOf(dataset: Dataset) {
  const users = IdVocab.fromValues(BigInt64Array.of(1n, 2n, 3n))
  const items = IdVocab.fromValues(BigInt64Array.of(10n, 11n, 12n))
  const positives = selectPositives(dataset.interactions, users, items, {events: dataset.manifest.positives})
  return {stats: buildCrossStats(dataset, users, items, positives), users, items}
}

/** Features of (user id, item id) at hour `hour` as a name -> value map. */
function featuresAt(dataset: Dataset, user: bigint, item: bigint, hour: number): Record<string, number> {
  const {stats, users, items} = statsOf(dataset)
  const names = crossFeatureNames(stats, false)
  const out = new Float32Array(names.length)
  computeCrossFeatures(stats, names, {users: Int32Array.of(users.row(user)), items: Int32Array.of(items.row(item)), ts: T0 + hour * H}, out)
  return Object.fromEntries(names.map((name, i) => [name, out[i]]))
}

describe('cross features', () => {
  it('offers every feature the data supports, and drops followed without a follow graph', () => {
    expect(crossFeatureNames(statsOf(tinyDataset()).stats, true)).toEqual([
      'followed', 'author_engagements', 'topic_share', 'user_engagements', 'item_age_hours', 'item_engagements', 'item_engagements_24h', 'retrieval_score',
    ])
    expect(crossFeatureNames(statsOf(tinyDataset(false)).stats, false)).not.toContain('followed')
  })

  it('sees the follow edge only after it was made', () => {
    const data = tinyDataset()
    expect(featuresAt(data, 1n, 12n, 5).followed).toBe(0)
    expect(featuresAt(data, 1n, 12n, 5.01).followed).toBe(1)
    expect(featuresAt(data, 1n, 11n, 9).followed).toBe(0)
  })

  it('counts user-author engagements and user history strictly before t, from the train split only', () => {
    const data = tinyDataset()
    expect(featuresAt(data, 1n, 12n, 1).author_engagements).toBe(0)
    expect(featuresAt(data, 1n, 12n, 2).author_engagements).toBeCloseTo(Math.log1p(1), 6)
    expect(featuresAt(data, 1n, 12n, 4).author_engagements).toBeCloseTo(Math.log1p(2), 6)
    // The val click at hour 8 is not a train engagement: user 1 still has two at hour 10.
    expect(featuresAt(data, 1n, 11n, 10).user_engagements).toBeCloseTo(Math.log1p(2), 6)
    expect(featuresAt(data, 1n, 11n, 10).author_engagements).toBe(0)
  })

  it('computes topic share, item age and item engagements by hand', () => {
    const data = tinyDataset()
    // User 1 before hour 4: topic a (item 10) and topic b (item 12): half each.
    expect(featuresAt(data, 1n, 11n, 4).topic_share).toBeCloseTo(0.5, 6)
    expect(featuresAt(data, 1n, 11n, 2).topic_share).toBe(0)
    expect(featuresAt(data, 3n, 11n, 4).topic_share).toBe(0)
    expect(featuresAt(data, 1n, 11n, 4).item_age_hours).toBeCloseTo(Math.log1p(3), 5)
    expect(featuresAt(data, 1n, 10n, 0).item_age_hours).toBe(0)
    expect(featuresAt(data, 3n, 10n, 2).item_engagements).toBeCloseTo(Math.log1p(1), 6)
    expect(featuresAt(data, 3n, 10n, 2.5).item_engagements).toBeCloseTo(Math.log1p(2), 6)
    expect(featuresAt(data, 3n, 10n, 25.5).item_engagements_24h).toBeCloseTo(Math.log1p(1), 6)
  })

  it('gives the same values for one shared time as for per-pair times, and passes retrieval scores through', () => {
    const {stats} = statsOf(tinyDataset())
    const names = crossFeatureNames(stats, true)
    const pairs = {users: Int32Array.of(1, 1, 2), items: Int32Array.of(1, 2, 3), retrieval: Float32Array.of(0.5, -0.25, 0.125)}
    const a = new Float32Array(3 * names.length)
    const b = new Float32Array(3 * names.length)
    computeCrossFeatures(stats, names, {...pairs, ts: T0 + 6 * H}, a)
    computeCrossFeatures(stats, names, {...pairs, ts: Float64Array.of(T0 + 6 * H, T0 + 6 * H, T0 + 6 * H)}, b)
    expect(Array.from(a)).toEqual(Array.from(b))
    expect([a[names.length - 1], a[2 * names.length - 1], a[3 * names.length - 1]]).toEqual([0.5, -0.25, 0.125])
    expect(() => computeCrossFeatures(stats, names, {users: pairs.users, items: pairs.items, ts: T0}, a)).toThrow(/retrieval_score needs one retrieval score per candidate/)
  })

  it('standardises columns to mean 0 and standard deviation 1 with the fitted statistics', () => {
    const values = Float32Array.of(1, 10, 3, 10, 5, 10)
    const s = fitStandardizer(['x', 'constant'], values)
    expect(s.mean).toEqual([3, 10])
    expect(s.std[1]).toBe(1)
    standardizeColumns(values, 3, 2, 0, s)
    expect(Array.from(values).map((v) => Math.round(v * 1000) / 1000)).toEqual([-1.225, 0, 0, 0, 1.225, 0])
  })
})
