// Cell, timestamp, CSV-record and column-map parsers: the exact rules importers rely on.
import {describe, expect, it} from 'vitest'

import {parseId, parseNumber} from '../../../src/lib/dataset/import/cells.js'
import {parseColumnMap, resolveColumnMap} from '../../../src/lib/dataset/import/column-map.js'
import {splitCsvRecord} from '../../../src/lib/dataset/import/csv-reader.js'
import {toFeatureColumn} from '../../../src/lib/dataset/import/feature-column.js'
import {parseIsoMs, TimestampColumn} from '../../../src/lib/dataset/import/timestamps.js'
import {RecError} from '../../../src/lib/errors.js'

describe('parseId', () => {
  it('keeps ids above 2^53 exact and rejects what is not an int64', () => {
    expect(parseId('9007199254740993')).toBe(9007199254740993n) // 2^53 + 1: Number would give ...992
    expect(parseId(' -42 ')).toBe(-42n)
    expect(parseId('9223372036854775807')).toBe(2n ** 63n - 1n)
    expect(parseId('9223372036854775808')).toBeUndefined()
    for (const bad of ['', '1.5', '1e3', 'abc', '0x10', null]) expect(parseId(bad)).toBeUndefined()
    expect(parseId(2 ** 53 + 2)).toBeUndefined() // an unsafe float cannot be trusted as an id
    expect(parseId(7n)).toBe(7n)
  })
})

describe('parseNumber', () => {
  it('accepts decimals and exponents, refuses NaN, infinity and junk', () => {
    expect(parseNumber('3.5')).toBe(3.5)
    expect(parseNumber('-1e-3')).toBe(-0.001)
    expect(parseNumber('.5')).toBe(0.5)
    for (const bad of ['', 'NaN', 'inf', '-Infinity', '1,5', '0x10', '1e', 'abc']) expect(parseNumber(bad)).toBeUndefined()
    expect(parseNumber(Number.NaN)).toBeUndefined()
  })
})

describe('timestamps', () => {
  it('reads ISO dates as UTC when they carry no zone, and honours offsets', () => {
    expect(parseIsoMs('2021-03-04')).toBe(Date.UTC(2021, 2, 4))
    expect(parseIsoMs('2021-03-04T05:06:07')).toBe(Date.UTC(2021, 2, 4, 5, 6, 7))
    expect(parseIsoMs('2021-03-04 05:06:07.250Z')).toBe(Date.UTC(2021, 2, 4, 5, 6, 7, 250))
    expect(parseIsoMs('2021-03-04T05:06:07+02:00')).toBe(Date.UTC(2021, 2, 4, 3, 6, 7))
    expect(parseIsoMs('2021-03-04T05:06:07-0130')).toBe(Date.UTC(2021, 2, 4, 6, 36, 7))
    for (const bad of ['2021-02-30', '2021-13-01', '2021-01-01T25:00', '04/03/2021', 'yesterday']) expect(parseIsoMs(bad)).toBeUndefined()
  })

  it('detects seconds versus milliseconds per column by magnitude', () => {
    const seconds = new TimestampColumn('auto')
    for (const v of ['881250949', '891717742']) expect(seconds.add(v)).toBeUndefined()
    expect(seconds.finish()).toMatchObject({format: 'unix-s', ms: Float64Array.from([881250949000, 891717742000])})
    const ms = new TimestampColumn('auto')
    for (const v of ['881250949000', '891717742123']) expect(ms.add(v)).toBeUndefined()
    expect(ms.finish()).toMatchObject({format: 'unix-ms', ms: Float64Array.from([881250949000, 891717742123])})
  })

  it('refuses a column that mixes numbers and dates, and values that do not match a forced format', () => {
    const mixed = new TimestampColumn('auto')
    expect(mixed.add('2021-01-01')).toBeUndefined()
    expect(mixed.add('1609459200')).toMatch(/first timestamp of the column was an ISO-8601 date/)
    expect(new TimestampColumn('unix-s').add('2021-01-01')).toMatch(/does not match --ts-format unix-s/)
    expect(new TimestampColumn('auto').add('')).toMatch(/empty/)
    expect(new TimestampColumn('auto').add('soon')).toMatch(/not a number or an ISO-8601 date/)
  })
})

describe('splitCsvRecord', () => {
  it('handles quotes, doubled quotes, delimiters and empty fields', () => {
    expect(splitCsvRecord('a,b,,d', ',')).toEqual({fields: ['a', 'b', '', 'd']})
    expect(splitCsvRecord('"x, y","say ""hi""",z', ',')).toEqual({fields: ['x, y', 'say "hi"', 'z']})
    expect(splitCsvRecord('1,"a",', ',')).toEqual({fields: ['1', 'a', '']})
    expect(splitCsvRecord('1\t"a\tb"', '\t')).toEqual({fields: ['1', 'a\tb']})
  })

  it('reports an open quote (record continues) and stray quotes', () => {
    expect(splitCsvRecord('1,"multi', ',')).toEqual({open: true})
    expect(splitCsvRecord('1,"multi\nline",2', ',')).toEqual({fields: ['1', 'multi\nline', '2']})
    expect(splitCsvRecord('1,"a"b,2', ',')).toHaveProperty('error')
    expect(splitCsvRecord('1,a"b,2', ',')).toHaveProperty('error')
  })
})

describe('column map', () => {
  it('parses field=column pairs and falls back to same-named columns', () => {
    const map = parseColumnMap('user_id=uid, item_id = movie id ,ts=time')
    expect(map).toEqual({user_id: 'uid', item_id: 'movie id', ts: 'time'})
    const resolved = resolveColumnMap(map, {file: 'f.csv', unit: 'line', columns: ['time', 'uid', 'movie id', 'weight']})
    expect(resolved).toEqual({user_id: 1, item_id: 2, ts: 0, event: -1, weight: 3})
  })

  it('refuses unknown fields, repeats, and columns that do not exist', () => {
    expect(() => parseColumnMap('user=uid')).toThrow(/field "user" is unknown/)
    expect(() => parseColumnMap('ts=a,ts=b')).toThrow(/twice/)
    expect(() => parseColumnMap('ts')).toThrow(RecError)
    expect(() => resolveColumnMap({ts: 'when'}, {file: 'f.csv', unit: 'line', columns: ['user_id', 'item_id', 'time']})).toThrow(
      'f.csv line 1: no column "when" for ts (columns: user_id, item_id, time)',
    )
    expect(() => resolveColumnMap({weight: 'user_id'}, {file: 'f.csv', unit: 'line', columns: ['user_id', 'item_id', 'ts']})).toThrow(/two fields/)
  })
})

describe('toFeatureColumn', () => {
  it('infers numeric with nulls, categorical, and lists', () => {
    expect(toFeatureColumn(['1', '', '2.5'], false)).toEqual({type: 'float64', values: Float64Array.from([1, 0, 2.5]), nulls: Uint8Array.from([0, 1, 0])})
    expect(toFeatureColumn(['1', 'x', ''], false)).toEqual({type: 'dict', codes: Int32Array.from([0, 1, 2]), dictionary: ['1', 'x', '']})
    expect(toFeatureColumn(['a|b', '', 'c'], true)).toEqual({type: 'list_utf8', values: [['a', 'b'], [], ['c']]})
    expect(toFeatureColumn(['1', 'NaN', '3'], false)).toEqual({row: 1, message: expect.stringMatching(/not finite/)})
  })
})
