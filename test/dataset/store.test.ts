// writeDataset/readDataset round trip: every column type, nulls, time order, manifest, refusals.
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {type Column, type ColumnTable, dictValues, getColumn} from '../../src/lib/dataset/columns.js'
import {encodeParquet} from '../../src/lib/dataset/parquet.js'
import {type DatasetDraft, readDataset, writeDataset} from '../../src/lib/dataset/store.js'
import {RecError} from '../../src/lib/errors.js'
import {tempDir} from '../helpers/cli.js'

const BIG = 2n ** 62n + 12345n

function draft(): DatasetDraft {
  return {
    name: 'tiny',
    source: {kind: 'generator', params: {n: 3}, seed: 1},
    split: {method: 'leave-last-out'},
    users: {
      user_id: {type: 'int64', values: BigInt64Array.from([1n, BIG, 3n])},
      age: {type: 'float64', values: Float64Array.from([20.5, 0, 40]), nulls: Uint8Array.from([0, 1, 0])},
      visits: {type: 'int32', values: Int32Array.from([3, 4, 0]), nulls: Uint8Array.from([0, 0, 1])},
      country: {type: 'dict', codes: Int32Array.from([1, 0, 1]), dictionary: ['DE', 'FR']},
      tags: {type: 'list_utf8', values: [['a', 'b'], [], ['c']]},
      bio: {type: 'utf8', values: ['hé', '', 'x,y']},
      verified: {type: 'bool', values: Uint8Array.from([1, 0, 1])},
      joined: {type: 'timestamp_ms', values: Float64Array.from([1_600_000_000_123, 0, 1_600_000_000_999]), nulls: Uint8Array.from([0, 1, 0])},
    },
    items: {
      item_id: {type: 'int64', values: BigInt64Array.from([10n, 11n])},
      author_id: {type: 'int64', values: BigInt64Array.from([1n, BIG])},
      price: {type: 'float32', values: Float32Array.from([1.25, 2])},
    },
    interactions: {
      user_id: {type: 'int64', values: BigInt64Array.from([BIG, 1n, BIG, 3n])},
      item_id: {type: 'int64', values: BigInt64Array.from([10n, 11n, 11n, 10n])},
      ts: {type: 'timestamp_ms', values: Float64Array.from([3000, 1000, 2000, 1000])},
      event: {type: 'dict', codes: Int32Array.from([0, 1, 1, 0]), dictionary: ['click', 'impression']},
      weight: {type: 'float32', values: Float32Array.from([1, 0.5, 0.25, 2])},
      split: {type: 'dict', codes: Int32Array.from([0, 0, 0, 0]), dictionary: ['train', 'val', 'test']},
      dwell_ms: {type: 'int32', values: Int32Array.from([100, 200, 300, 400])},
      position: {type: 'int16', values: Int16Array.from([1, 2, 3, 4])},
      source: {type: 'dict', codes: Int32Array.from([0, 0, 1, 0]), dictionary: ['home', 'search']},
    },
    follows: {
      src_user_id: {type: 'int64', values: BigInt64Array.from([1n])},
      dst_user_id: {type: 'int64', values: BigInt64Array.from([BIG])},
      ts: {type: 'timestamp_ms', values: Float64Array.from([500])},
      weight: {type: 'float32', values: Float32Array.from([1])},
    },
    featureOverrides: {items: {author_id: {kind: 'id'}}},
    positives: {click: 1},
  }
}

/** Values equal at every non-null row, and the same nulls. */
function expectSameColumn(actual: Column, expected: Column): void {
  expect(actual.type).toBe(expected.type)
  if (expected.type === 'dict') return expect(dictValues(actual as typeof expected)).toEqual(dictValues(expected))
  if (expected.type === 'utf8' || expected.type === 'list_utf8') return expect(actual).toEqual(expected)
  const nulls = 'nulls' in expected ? expected.nulls : undefined
  expect(Array.from((actual as {nulls?: Uint8Array}).nulls ?? new Uint8Array(expected.values.length))).toEqual(Array.from(nulls ?? new Uint8Array(expected.values.length)))
  const values = Array.from(expected.values as ArrayLike<number | bigint>)
  const got = Array.from((actual as typeof expected).values as ArrayLike<number | bigint>)
  values.forEach((v, i) => nulls?.[i] || expect(got[i]).toBe(v))
}

function expectSameTable(actual: ColumnTable, expected: ColumnTable): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected))
  for (const name of Object.keys(expected)) expectSameColumn(actual[name], expected[name])
}

describe('writeDataset / readDataset', () => {
  it('round-trips every column type, nulls included, with interactions in time order', async () => {
    const out = join(tempDir(), 'ds')
    const written = await writeDataset(out, draft())
    const ds = await readDataset(out)
    expect(ds.manifest).toEqual(written)
    expectSameTable(ds.users, draft().users)
    expectSameTable(ds.items, draft().items)
    expectSameTable(ds.follows!, draft().follows!)
    // sorted by (ts, source row): rows 1 and 3 tie at 1000 and keep their order
    expect(Array.from(getColumn(ds.interactions, 'user_id', 'int64').values)).toEqual([1n, 3n, BIG, BIG])
    expect(Array.from(getColumn(ds.interactions, 'dwell_ms', 'int32').values)).toEqual([200, 400, 300, 100])
    expect(Array.from(getColumn(ds.interactions, 'position', 'int16').values)).toEqual([2, 4, 3, 1])
    expect(dictValues(getColumn(ds.interactions, 'source', 'dict'))).toEqual(['home', 'home', 'search', 'home'])
    expect(written.features.users).toMatchObject({age: {kind: 'numeric'}, country: {kind: 'categorical', vocabSize: 2}, tags: {kind: 'multi-categorical', vocabSize: 3}, bio: {kind: 'text'}})
    expect(written.features.items.author_id).toEqual({kind: 'id'})
    expect(written.counts).toEqual({users: 3, items: 2, interactions: 4, follows: 1, train: 4, val: 0, test: 0})
    expect(written.events).toEqual(['impression', 'click'])
    expect(written.hasImpressions).toBe(true)
  })

  it('is byte-deterministic and refuses to overwrite without force', async () => {
    const dir = tempDir()
    const a = await writeDataset(join(dir, 'a'), draft())
    const b = await writeDataset(join(dir, 'b'), draft())
    expect(a.fingerprint).toBe(b.fingerprint)
    await expect(writeDataset(join(dir, 'a'), draft())).rejects.toMatchObject({code: 'ALREADY_EXISTS'})
    await writeDataset(join(dir, 'a'), draft(), {force: true})
  })

  it('rejects a draft without a required column before writing anything', async () => {
    const bad = draft()
    delete (bad.interactions as Partial<ColumnTable>).weight
    const out = join(tempDir(), 'ds')
    await expect(writeDataset(out, bad)).rejects.toThrow(/interactions\.parquet: missing required column "weight"/)
    expect(existsSync(out)).toBe(false)
  })

  it('refuses to read NaN weights and duplicate ids', async () => {
    const out = join(tempDir(), 'ds')
    await writeDataset(out, draft())
    const broken = {...draft().interactions, weight: {type: 'float32', values: Float32Array.from([1, Number.NaN, 1, 1])}} as ColumnTable
    writeFileSync(join(out, 'interactions.parquet'), encodeParquet(broken))
    await expect(readDataset(out)).rejects.toThrow(/row 2, column "weight" is NaN/)
    const dupUsers = {...draft().users, user_id: {type: 'int64', values: BigInt64Array.from([1n, 1n, 3n])}} as ColumnTable
    writeFileSync(join(out, 'interactions.parquet'), encodeParquet(draft().interactions))
    writeFileSync(join(out, 'users.parquet'), encodeParquet(dupUsers))
    await expect(readDataset(out)).rejects.toBeInstanceOf(RecError)
    await expect(readDataset(out)).rejects.toThrow(/duplicate user_id 1/)
  })
})
