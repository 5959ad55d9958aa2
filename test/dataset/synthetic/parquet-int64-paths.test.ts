// The word-wise int64 timestamp and bitmap null paths of the Parquet codec the generator relies on at 10M rows.
import {describe, expect, it} from 'vitest'

import type {ColumnTable} from '../../../src/lib/dataset/columns.js'
import {decodeParquet, encodeParquet} from '../../../src/lib/dataset/parquet.js'

describe('Parquet timestamps and nulls', () => {
  it('round-trips negative, large and null timestamps, and nulls of every numeric kind', () => {
    const ts = Float64Array.from([0, -1, -4_294_967_297, 1_704_067_200_123, 2 ** 52 + 1, Number.NaN, 4_294_967_296, -86_400_000])
    const tsNulls = Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 0])
    const dwellNulls = Uint8Array.from([1, 0, 1, 1, 0, 1, 0, 1])
    const table: ColumnTable = {
      ts: {type: 'timestamp_ms', values: ts, nulls: tsNulls},
      dwell_ms: {type: 'int32', values: Int32Array.from([0, 12_000, 0, 0, -5, 0, 7, 0]), nulls: dwellNulls},
      flag: {type: 'bool', values: Uint8Array.from([1, 0, 1, 0, 1, 0, 1, 0]), nulls: dwellNulls},
    }
    const back = decodeParquet(encodeParquet(table))
    expect(back.ts.type).toBe('timestamp_ms')
    if (back.ts.type !== 'timestamp_ms' || back.dwell_ms.type !== 'int32' || back.flag.type !== 'bool') throw new Error('types')
    expect(Array.from(back.ts.nulls!)).toEqual(Array.from(tsNulls))
    const valid = (i: number) => !tsNulls[i]
    expect(Array.from(back.ts.values).filter((_, i) => valid(i))).toEqual(Array.from(ts).filter((_, i) => valid(i)))
    expect(Array.from(back.dwell_ms.nulls!)).toEqual(Array.from(dwellNulls))
    expect([back.dwell_ms.values[1], back.dwell_ms.values[4], back.dwell_ms.values[6]]).toEqual([12_000, -5, 7])
    expect(Array.from(back.flag.nulls!)).toEqual(Array.from(dwellNulls))
  })

  it('refuses a timestamp that is NaN on a non-null row', () => {
    const table: ColumnTable = {ts: {type: 'timestamp_ms', values: Float64Array.from([1, Number.NaN])}}
    expect(() => encodeParquet(table)).toThrow(/timestamp at row 2 is NaN/)
  })

  it('keeps ascending timestamps exact across many rows (delta encoding)', () => {
    const n = 50_000
    const ts = Float64Array.from({length: n}, (_, i) => 1_704_067_200_000 + i * 137 + (i % 7))
    const back = decodeParquet(encodeParquet({ts: {type: 'timestamp_ms', values: ts}}))
    if (back.ts.type !== 'timestamp_ms') throw new Error(`ts came back as ${back.ts.type}`)
    const values = back.ts.values
    expect(values.length).toBe(n)
    expect(values.filter((v, i) => v !== ts[i]).length).toBe(0)
  })
})
