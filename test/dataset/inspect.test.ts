// inspectDataset on a dataset small enough to count by hand, then on one broken in every checked way.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import type {ColumnTable} from '../../src/lib/dataset/columns.js'
import {formatDatasetReport} from '../../src/lib/dataset/inspect-format.js'
import {inspectDataset} from '../../src/lib/dataset/inspect.js'
import {encodeParquet} from '../../src/lib/dataset/parquet.js'
import {splitColumn} from '../../src/lib/dataset/split-options.js'
import {leaveLastOut} from '../../src/lib/dataset/split.js'
import {writeDataset} from '../../src/lib/dataset/store.js'
import {tempDir} from '../helpers/cli.js'

// u1 rates items 10-13, u2 rates 10, 11, 10 (a repeated pair), u3 rates 10; user 4 and items 14-39 are idle.
const USERS = [1n, 1n, 1n, 1n, 2n, 2n, 2n, 3n]
const ITEMS = [10n, 11n, 12n, 13n, 10n, 11n, 10n, 10n]

async function writeTiny(): Promise<string> {
  const out = join(tempDir(), 'tiny')
  const userId = BigInt64Array.from(USERS)
  const ts = Float64Array.from(USERS, (_, i) => 1000 * (i + 1))
  await writeDataset(out, {
    name: 'tiny',
    source: {kind: 'csv', params: {}},
    split: {method: 'leave-last-out'},
    users: {user_id: {type: 'int64', values: BigInt64Array.from([1n, 2n, 3n, 4n])}, group: {type: 'dict', codes: Int32Array.from([0, 0, 1, 1]), dictionary: ['x', 'y']}},
    items: {item_id: {type: 'int64', values: BigInt64Array.from({length: 30}, (_, i) => BigInt(10 + i))}},
    interactions: {
      user_id: {type: 'int64', values: userId},
      item_id: {type: 'int64', values: BigInt64Array.from(ITEMS)},
      ts: {type: 'timestamp_ms', values: ts},
      event: {type: 'dict', codes: Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1]), dictionary: ['click', 'like']},
      weight: {type: 'float32', values: new Float32Array(8).fill(1)},
      split: splitColumn(leaveLastOut({userId, ts})),
    },
    positives: {click: 1, like: 1},
  })
  return out
}

describe('inspectDataset', () => {
  it('counts splits, sparsity, activity, popularity and events', async () => {
    const dir = await writeTiny()
    const report = await inspectDataset(dir)
    expect(report.rows).toEqual({users: 4, items: 30, interactions: 8, follows: 0})
    expect(report.schema.users).toEqual([{name: 'user_id', type: 'int64'}, {name: 'group', type: 'dict', kind: 'categorical', vocabSize: 2}])
    expect(report.splits).toEqual({
      train: {interactions: 4, users: 3, items: 2},
      val: {interactions: 2, users: 2, items: 2},
      test: {interactions: 2, users: 2, items: 2},
    })
    expect(report.sparsity).toBeCloseTo(1 - 7 / (4 * 30), 12) // 7 distinct pairs
    expect(report.interactionsPerUser).toEqual({min: 1, median: 3, p99: 4, max: 4, mean: 8 / 3})
    expect([report.usersWithoutInteractions, report.itemsWithoutInteractions]).toEqual([1, 26])
    // item 10 has 4 of 8 interactions; the top 10% (3 items) hold 4 + 2 + 1
    expect(report.itemHeadShare).toEqual({top1pct: 0.5, top10pct: 7 / 8})
    expect(report.events).toEqual([{event: 'click', count: 6, share: 0.75}, {event: 'like', count: 2, share: 0.25}])
    expect(report.timeRange).toEqual({first: '1970-01-01T00:00:01.000Z', last: '1970-01-01T00:00:08.000Z'})
    expect(report.problems).toEqual([])
    const text = formatDatasetReport(report).join('\n')
    expect(text).toMatch(/interactions per user  min 1  median 3  p99 4  max 4/)
    expect(text).toMatch(/problems: none/)
  })

  it('lists every problem instead of failing on the first', async () => {
    const dir = await writeTiny()
    const interactions: ColumnTable = {
      user_id: {type: 'int64', values: BigInt64Array.from([1n, 1n, 1n, 99n, 2n, 2n])},
      item_id: {type: 'int64', values: BigInt64Array.from([10n, 11n, 12n, 10n, 77n, 10n])},
      ts: {type: 'timestamp_ms', values: Float64Array.from([1, 2, 3, 4, 5, 6])},
      event: {type: 'dict', codes: Int32Array.from([0, 0, 0, 0, 0, 1]), dictionary: ['click', 'purchase']},
      weight: {type: 'float32', values: Float32Array.from([1, 1, 1, 1, Number.NaN, 1])},
      // row 1 is val but earlier than u1's train row 2; row 5 has a label outside train|val|test; no test rows
      split: {type: 'dict', codes: Int32Array.from([0, 1, 0, 0, 0, 2]), dictionary: ['train', 'val', 'holdout']},
    }
    writeFileSync(join(dir, 'interactions.parquet'), encodeParquet(interactions))
    writeFileSync(join(dir, 'users.parquet'), encodeParquet({user_id: {type: 'int64', values: BigInt64Array.from([1n, 2n, 1n])}}))
    const report = await inspectDataset(dir)
    const found = Object.fromEntries(report.problems.map((p) => [p.check, p.count]))
    expect(found).toEqual({
      'duplicate-user-id': 1,
      'unknown-user': 1,
      'unknown-item': 1,
      'split-label': 1,
      'empty-split': 1,
      'split-order': 1,
      'weight-not-finite': 1,
      'unknown-event': 1,
      fingerprint: 1,
      'manifest-counts': 4, // users, interactions, val and test differ; items and train (4) happen to match
    })
    expect(report.problems.find((p) => p.check === 'unknown-user')?.message).toBe('1 interactions name a user_id missing from users.parquet (first 99)')
    expect(report.problems.find((p) => p.check === 'empty-split')?.message).toBe('the test split is empty')
    expect(formatDatasetReport(report)).toContain('problems: 10')
  })

  it('fails with NOT_FOUND or BAD_SCHEMA when there is nothing to inspect', async () => {
    await expect(inspectDataset(join(tempDir(), 'none'))).rejects.toMatchObject({code: 'NOT_FOUND'})
    const dir = await writeTiny()
    writeFileSync(join(dir, 'items.parquet'), encodeParquet({id: {type: 'int64', values: BigInt64Array.from([1n])}}))
    await expect(inspectDataset(dir)).rejects.toThrow(/items\.parquet: missing required column "item_id"/)
  })
})
