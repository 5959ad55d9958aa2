// CSV/TSV/Parquet importer: exact int64 ids, timestamp formats, events and weights, users/items features.
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {dictValues, getColumn} from '../../../src/lib/dataset/columns.js'
import {importCsv} from '../../../src/lib/dataset/import/csv.js'
import {encodeParquet} from '../../../src/lib/dataset/parquet.js'
import {readDataset} from '../../../src/lib/dataset/store.js'
import {tempDir} from '../../helpers/cli.js'

const BIG = 2n ** 53n + 1n // 9007199254740993: Number() would round it to ...992
const HUGE = 2n ** 63n - 1n

function file(name: string, text: string): string {
  const path = join(tempDir(), name)
  writeFileSync(path, text)
  return path
}

describe('importCsv', () => {
  it('round-trips int64 ids above 2^53 exactly through import -> Parquet -> readDataset', async () => {
    const events = file(
      'events.csv',
      ['uid,sku,when', `${BIG},${HUGE},1700000000`, `${BIG + 1n},${HUGE},1700000001`, `${BIG},-${BIG},1700000002`, `${BIG},${BIG},1700000003`].join('\n'),
    )
    const out = join(tempDir(), 'ds')
    await importCsv(events, {out, map: {user_id: 'uid', item_id: 'sku', ts: 'when'}})
    const ds = await readDataset(out)
    expect(Array.from(getColumn(ds.interactions, 'user_id', 'int64').values)).toEqual([BIG, BIG + 1n, BIG, BIG])
    expect(Array.from(getColumn(ds.interactions, 'item_id', 'int64').values)).toEqual([HUGE, HUGE, -BIG, BIG])
    expect(Array.from(getColumn(ds.users, 'user_id', 'int64').values)).toEqual([BIG, BIG + 1n])
    expect(Array.from(getColumn(ds.items, 'item_id', 'int64').values)).toEqual([-BIG, BIG, HUGE])
    expect(String(getColumn(ds.items, 'item_id', 'int64').values[2])).toBe('9223372036854775807')
  })

  it('defaults: same-named columns, event click without weights, weight 1, ms timestamps detected', async () => {
    const events = file('clicks.csv', 'user_id,item_id,ts\n1,7,1700000000000\n1,8,1700000000500\n2,7,1700000001000\n')
    const out = join(tempDir(), 'ds')
    const manifest = await importCsv(events, {out})
    expect(manifest).toMatchObject({name: 'clicks', events: ['click'], positives: {click: 1}, source: {kind: 'csv', params: {tsFormat: 'unix-ms', eventSource: 'default'}}})
    const ds = await readDataset(out)
    expect(Array.from(getColumn(ds.interactions, 'ts', 'timestamp_ms').values)).toEqual([1700000000000, 1700000000500, 1700000001000])
    expect(Array.from(getColumn(ds.interactions, 'weight', 'float32').values)).toEqual([1, 1, 1])
  })

  it('reads a weight column as ratings, ISO dates as UTC, and an event column against the vocabulary', async () => {
    const rated = file('r.tsv', 'u\ti\tt\tstars\n1\t7\t2024-01-02\t4.5\n2\t7\t2024-01-01T10:00:00+01:00\t3\n')
    const out = join(tempDir(), 'ds')
    const manifest = await importCsv(rated, {out, map: {user_id: 'u', item_id: 'i', ts: 't', weight: 'stars'}})
    expect(manifest).toMatchObject({events: ['rating'], positives: {rating: 1}})
    const ds = await readDataset(out)
    expect(Array.from(getColumn(ds.interactions, 'ts', 'timestamp_ms').values)).toEqual([Date.UTC(2024, 0, 1, 9), Date.UTC(2024, 0, 2)])
    expect(Array.from(getColumn(ds.interactions, 'weight', 'float32').values)).toEqual([3, 4.5])

    const mixed = file('m.csv', 'user_id,item_id,ts,event\n1,7,10,impression\n1,7,11,click\n1,8,12,like\n2,8,13,skip\n')
    const out2 = join(tempDir(), 'ds')
    const m2 = await importCsv(mixed, {out: out2, tsFormat: 'unix-s'})
    expect(m2.events).toEqual(['impression', 'click', 'like', 'skip'])
    expect(m2.positives).toEqual({click: 1, like: 1})
    expect(m2.hasImpressions).toBe(true)
  })

  it('adds users/items files as features and pads ids only interactions mention', async () => {
    const events = file('e.csv', 'user_id,movie,ts\n1,10,100\n2,10,101\n3,20,102\n1,30,103\n')
    const users = file('users.csv', 'uid,age,country,score\n1,30,FR,\n2,41,DE,0.5\n9,22,FR,1\n')
    const items = file('items.csv', 'item_id,genres,title\n10,"Action|Drama","A, the film"\n20,,B\n')
    const out = join(tempDir(), 'ds')
    const manifest = await importCsv(events, {out, map: {item_id: 'movie'}, users, usersIdCol: 'uid', items, multiColumns: ['genres']})
    expect(manifest.counts).toMatchObject({users: 4, items: 3, interactions: 4})
    expect(manifest.features.users).toEqual({age: {kind: 'numeric'}, country: {kind: 'categorical', vocabSize: 3}, score: {kind: 'numeric'}})
    expect(manifest.features.items).toEqual({genres: {kind: 'multi-categorical', vocabSize: 2}, title: {kind: 'categorical', vocabSize: 3}})
    const ds = await readDataset(out)
    expect(Array.from(getColumn(ds.users, 'user_id', 'int64').values)).toEqual([1n, 2n, 9n, 3n]) // 3 only in interactions
    const age = getColumn(ds.users, 'age', 'float64')
    expect([age.values[0], age.values[1], age.values[2]]).toEqual([30, 41, 22])
    expect(Array.from(age.nulls!)).toEqual([0, 0, 0, 1])
    expect(Array.from(getColumn(ds.users, 'score', 'float64').nulls!)).toEqual([1, 0, 0, 1])
    expect(dictValues(getColumn(ds.users, 'country', 'dict'))).toEqual(['FR', 'DE', 'FR', ''])
    expect(getColumn(ds.items, 'genres', 'list_utf8').values).toEqual([['Action', 'Drama'], [], []])
    expect(dictValues(getColumn(ds.items, 'title', 'dict'))).toEqual(['A, the film', 'B', ''])
  })

  it('reads Parquet interactions and feature files, with typed columns', async () => {
    const dir = tempDir()
    const events = join(dir, 'events.parquet')
    writeFileSync(
      events,
      encodeParquet({
        user: {type: 'int64', values: BigInt64Array.from([BIG, 5n, BIG])},
        item: {type: 'utf8', values: ['11', '12', '11']},
        at: {type: 'timestamp_ms', values: Float64Array.from([3000, 1000, 2000])},
        kind: {type: 'dict', codes: Int32Array.from([0, 1, 0]), dictionary: ['click', 'like']},
      }),
    )
    const items = join(dir, 'items.parquet')
    writeFileSync(
      items,
      encodeParquet({
        item_id: {type: 'int64', values: BigInt64Array.from([11n, 12n])},
        price: {type: 'float32', values: Float32Array.from([1.5, 2])},
        tags: {type: 'list_utf8', values: [['a'], ['a', 'b']]},
      }),
    )
    const out = join(dir, 'ds')
    const manifest = await importCsv(events, {out, map: {user_id: 'user', item_id: 'item', ts: 'at', event: 'kind'}, items})
    expect(manifest.features.items).toEqual({price: {kind: 'numeric'}, tags: {kind: 'multi-categorical', vocabSize: 2}})
    const ds = await readDataset(out)
    expect(Array.from(getColumn(ds.interactions, 'user_id', 'int64').values)).toEqual([5n, BIG, BIG])
    expect(Array.from(getColumn(ds.interactions, 'ts', 'timestamp_ms').values)).toEqual([1000, 2000, 3000])
    expect(dictValues(getColumn(ds.interactions, 'event', 'dict'))).toEqual(['like', 'click', 'click'])
  })

  it('is deterministic: the same input gives byte-identical tables (same fingerprint)', async () => {
    const events = file('e.csv', 'user_id,item_id,ts\n1,10,100\n2,10,100\n1,20,101\n1,30,99\n')
    const a = await importCsv(events, {out: join(tempDir(), 'a')})
    const b = await importCsv(events, {out: join(tempDir(), 'b')})
    expect(a.fingerprint).toBe(b.fingerprint)
  })
})
