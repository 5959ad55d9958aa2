// Adds rows for ids that interactions use but a users/items table lacks, with missing feature values.
import type {Column, ColumnTable} from '../columns.js'
import {tableLength} from '../columns.js'

/** Appends `extra` missing values: null for numbers, "" for strings and categories, [] for lists. */
function padColumn(column: Column, extra: number): Column {
  if (column.type === 'utf8') return {type: 'utf8', values: [...column.values, ...Array<string>(extra).fill('')]}
  if (column.type === 'list_utf8') return {type: 'list_utf8', values: [...column.values, ...Array.from({length: extra}, () => [])]}
  if (column.type === 'dict') {
    const dictionary = column.dictionary.includes('') ? column.dictionary : [...column.dictionary, '']
    const codes = new Int32Array(column.codes.length + extra).fill(dictionary.indexOf(''))
    codes.set(column.codes)
    return {type: 'dict', codes, dictionary}
  }
  const n = column.values.length
  const values = new (column.values.constructor as new (length: number) => {set(src: ArrayLike<unknown>): void})(n + extra)
  values.set(column.values as ArrayLike<unknown>)
  const nulls = new Uint8Array(n + extra).fill(1, n)
  if (column.nulls) nulls.set(column.nulls)
  return {...column, values, nulls} as Column
}

/**
 * Returns `table` with one new row per id of `used` that it lacks (ascending id order, after the
 * existing rows), so every interaction's id exists. A missing table becomes an id-only table.
 */
export function addMissingIds(table: ColumnTable | undefined, idColumn: string, used: BigInt64Array): {table: ColumnTable; added: number} {
  const base: ColumnTable = table ?? {[idColumn]: {type: 'int64', values: new BigInt64Array(0)}}
  const idCol = base[idColumn]
  if (idCol.type !== 'int64') throw new TypeError(`${idColumn} must be int64`)
  const known = new Set(idCol.values)
  const missing = new Set<bigint>()
  for (const id of used) if (!known.has(id)) missing.add(id)
  if (missing.size === 0) return {table: base, added: 0}
  const extra = [...missing].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const out: ColumnTable = {}
  for (const [name, column] of Object.entries(base)) {
    if (name === idColumn) {
      const values = new BigInt64Array(tableLength(base) + extra.length)
      values.set(idCol.values)
      values.set(extra, idCol.values.length)
      out[name] = {type: 'int64', values}
    } else out[name] = padColumn(column, extra.length)
  }
  return {table: out, added: extra.length}
}
