// export-interactions writes the logged impressions with the interactions, in time order, and the ranker learns from them.
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {getColumn, toDict} from '../../src/lib/dataset/columns.js'
import {readDataset, writeDataset} from '../../src/lib/dataset/store.js'
import {IdVocab} from '../../src/lib/features/vocab.js'
import {headsForDataset} from '../../src/lib/models/ranker/heads.js'
import {exportInteractions} from '../../src/lib/serving/export-interactions.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import type {Impression} from '../../src/lib/store/types.js'
import {buildImpressionExamples} from '../../src/lib/training/ranking/impression-examples.js'
import {tempDir} from '../helpers/cli.js'

const T0 = Date.UTC(2024, 0, 10)

/** 2 users, 4 items, 4 likes; with position, dwell_ms and source columns so that the export fills them. */
async function writeTiny(dir: string): Promise<string> {
  const out = join(dir, 'tiny')
  await writeDataset(out, {
    name: 'tiny',
    source: {kind: 'generator', params: {}, seed: 1},
    split: {method: 'leave-last-out'},
    users: {user_id: {type: 'int64', values: BigInt64Array.of(1n, 2n)}},
    items: {item_id: {type: 'int64', values: BigInt64Array.of(10n, 11n, 12n, 13n)}},
    interactions: {
      user_id: {type: 'int64', values: BigInt64Array.of(1n, 1n, 2n, 2n)},
      item_id: {type: 'int64', values: BigInt64Array.of(10n, 11n, 12n, 13n)},
      ts: {type: 'timestamp_ms', values: Float64Array.of(T0, T0 + 1, T0 + 2, T0 + 3)},
      event: toDict(['like', 'like', 'like', 'like']),
      weight: {type: 'float32', values: new Float32Array(4).fill(1)},
      split: toDict(['train', 'test', 'train', 'test'], ['train', 'val', 'test']),
      position: {type: 'int16', values: Int16Array.of(0, 1, 0, 1)},
      dwell_ms: {type: 'int32', values: Int32Array.of(100, 200, 300, 400)},
      source: toDict(['history', 'history', 'history', 'history']),
    },
    positives: {like: 1, click: 1},
  })
  return out
}

describe('export-interactions with impressions', () => {
  let dir: string
  let dataset: string
  let state: string
  beforeAll(async () => {
    dir = tempDir()
    dataset = await writeTiny(dir)
    state = join(dir, 'state')
    const store = new SqliteStore(state)
    const shown = (requestId: string, ts: number, userId: bigint, items: bigint[]): Impression[] =>
      items.map((itemId, position) => ({requestId, ts, userId, itemId, position, source: 'Popular', score: 1, versions: {}}))
    // feed a at T0 + 1000 (user 1: 13, 12, 10); a click on 13 at the same ms, then one with dwell on 10 later;
    // feed b to a user the dataset does not know, whose click arrived (is stored) before the feed's impressions were flushed
    await store.recordImpressions(shown('a', T0 + 1000, 1n, [13n, 12n, 10n]))
    await store.record([{userId: 3n, itemId: 11n, event: 'click', ts: T0 + 2001, requestId: 'b'}], new Map())
    await store.recordImpressions(shown('b', T0 + 2000, 3n, [11n]))
    await store.record([{userId: 1n, itemId: 13n, event: 'click', ts: T0 + 1000, requestId: 'a'}, {userId: 1n, itemId: 10n, event: 'like', ts: T0 + 1500, dwellMs: 900, position: 2, requestId: 'a'}], new Map())
    await store.close()
  })

  it('appends impressions and interactions in time order (an impression before a response of the same ms), with position and dwell where known', async () => {
    const out = join(dir, 'out')
    const result = await exportInteractions({state, dataset, out})
    expect([result.exported, result.impressions, result.newUsers]).toEqual([3, 4, 1])
    const exported = await readDataset(out)
    expect(exported.manifest.hasImpressions).toBe(true)
    const t = exported.interactions
    const n = getColumn(t, 'user_id', 'int64').values.length
    expect(n).toBe(4 + 7)
    const event = getColumn(t, 'event', 'dict')
    const position = getColumn(t, 'position', 'int16')
    const dwell = getColumn(t, 'dwell_ms', 'int32')
    const rows = Array.from({length: 7}, (_, j) => {
      const i = 4 + j
      return [
        getColumn(t, 'ts', 'timestamp_ms').values[i] - T0,
        getColumn(t, 'user_id', 'int64').values[i],
        getColumn(t, 'item_id', 'int64').values[i],
        event.dictionary[event.codes[i]],
        position.nulls?.[i] ? null : position.values[i],
        dwell.nulls?.[i] ? null : dwell.values[i],
      ]
    })
    expect(rows).toEqual([
      [1000, 1n, 13n, 'impression', 0, null],
      [1000, 1n, 12n, 'impression', 1, null],
      [1000, 1n, 10n, 'impression', 2, null],
      [1000, 1n, 13n, 'click', null, null],
      [1500, 1n, 10n, 'like', 2, 900],
      [2000, 3n, 11n, 'impression', 0, null],
      [2001, 3n, 11n, 'click', null, null],
    ])
    // the original rows keep their values
    expect(Array.from(position.values.subarray(0, 4))).toEqual([0, 1, 0, 1])
    expect(Array.from(position.nulls!.subarray(0, 4))).toEqual([0, 0, 0, 0])
    expect(Array.from(dwell.values.subarray(0, 4))).toEqual([100, 200, 300, 400])
    const split = getColumn(t, 'split', 'dict')
    const source = getColumn(t, 'source', 'dict')
    for (let i = 4; i < n; i++) {
      expect(split.dictionary[split.codes[i]]).toBe('train')
      expect(source.dictionary[source.codes[i]]).toBe('online')
    }
    expect(Array.from(getColumn(exported.users, 'user_id', 'int64').values)).toEqual([1n, 2n, 3n])

    // the same store gives the same bytes
    const twice = join(dir, 'out-2')
    await exportInteractions({state, dataset, out: twice})
    expect(readFileSync(join(twice, 'interactions.parquet')).equals(readFileSync(join(out, 'interactions.parquet')))).toBe(true)
  })

  it("gives the ranker's impression examples the shown-and-ignored negatives: one example per impression, labelled by the responses after it", async () => {
    const before = await readDataset(dataset)
    const after = await readDataset(join(dir, 'out'))
    const build = (d: typeof before) => {
      const heads = headsForDataset(d.manifest.events, d.manifest.hasImpressions, d.manifest.positives)
      const users = IdVocab.fromValues(getColumn(d.users, 'user_id', 'int64').values)
      const items = IdVocab.fromValues(getColumn(d.items, 'item_id', 'int64').values)
      return {heads, ...buildImpressionExamples(d.interactions, users, items, heads, {positionDecay: 1, longDwellMs: 10_000})}
    }
    expect(before.manifest.hasImpressions).toBe(false)
    expect(build(before).examples.user.length).toBe(0)
    const {heads, examples, orphanEvents} = build(after)
    expect(examples.user.length).toBe(4)
    expect(orphanEvents).toBe(4) // the dataset's own likes came with no impression
    const h = heads.length
    const label = (e: number, head: string) => examples.labels[e * h + heads.findIndex((x) => x.name === head)]
    // feed a: 13 clicked, 12 ignored in slot 1 (weight (1 + 1)^-1), 10 liked; feed b: 11 clicked
    expect([0, 1, 2, 3].map((e) => [label(e, 'click'), label(e, 'like')])).toEqual([[1, 0], [0, 0], [0, 1], [1, 0]])
    expect(Array.from(examples.weight)).toEqual([1, 0.5, 1, 1])
  })

  it('--no-impressions writes the interactions alone, as before', async () => {
    const out = join(dir, 'out-bare')
    const result = await exportInteractions({state, dataset, out, impressions: false})
    expect([result.exported, result.impressions]).toEqual([3, 0])
    const exported = await readDataset(out)
    expect(exported.manifest.hasImpressions).toBe(false)
    expect(getColumn(exported.interactions, 'user_id', 'int64').values.length).toBe(4 + 3)
  })
})
