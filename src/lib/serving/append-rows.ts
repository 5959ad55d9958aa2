// Appends rows to a column table: given values for some columns, nulls (or "") for the rest and for null entries.
import type {Column, ColumnTable} from '../dataset/columns.js'
import {columnLength} from '../dataset/columns.js'

/** A numeric column's values may hold null for a row that has none (an impression's dwell_ms). */
type Values = bigint[] | (number | null)[] | string[]

function grow<A extends {length: number; set(a: ArrayLike<number | bigint>, o?: number): void}>(old: A, extra: number, make: (n: number) => A): A {
  const out = make(old.length + extra)
  out.set(old as unknown as ArrayLike<number | bigint>)
  return out
}

function appendColumn(column: Column, n: number, values: Values | undefined): Column {
  const length = columnLength(column)
  const hasNull = values?.some((v) => v === null) ?? false
  const nulls = (): Uint8Array => {
    const out = new Uint8Array(length + n)
    if ('nulls' in column && column.nulls) out.set(column.nulls)
    if (!values) out.fill(1, length)
    else if (hasNull) values.forEach((v, i) => (out[length + i] = v === null ? 1 : 0))
    return out
  }
  switch (column.type) {
    case 'int64': {
      const out = grow(column.values, n, (k) => new BigInt64Array(k))
      if (values) (values as bigint[]).forEach((v, i) => (out[length + i] = v))
      return {type: 'int64', values: out, nulls: values && !column.nulls ? undefined : nulls()}
    }
    case 'dict': {
      const dictionary = [...column.dictionary]
      const codes = grow(column.codes, n, (k) => new Int32Array(k))
      for (let i = 0; i < n; i++) {
        const value = values ? String(values[i]) : ''
        let code = dictionary.indexOf(value)
        if (code < 0) code = dictionary.push(value) - 1
        codes[length + i] = code
      }
      return {type: 'dict', codes, dictionary}
    }
    case 'utf8':
      return {type: 'utf8', values: [...column.values, ...Array.from({length: n}, (_, i) => (values ? String(values[i]) : ''))]}
    case 'list_utf8':
      return {type: 'list_utf8', values: [...column.values, ...Array.from({length: n}, (): string[] => [])]}
    default: {
      const numeric = column as Extract<Column, {type: 'float64'}>
      const Ctor = numeric.values.constructor as new (n: number) => Float64Array
      const out = new Ctor(length + n)
      out.set(numeric.values)
      if (values) (values as (number | null)[]).forEach((v, i) => (out[length + i] = v ?? 0))
      return {type: column.type, values: out, nulls: values && !column.nulls && !hasNull ? undefined : nulls()} as Column
    }
  }
}

/** `values[name]` gives the new rows' values of that column (length n); other columns get nulls. */
export function appendRows(table: ColumnTable, n: number, values: Record<string, Values>): ColumnTable {
  const out: ColumnTable = {}
  for (const [name, column] of Object.entries(table)) out[name] = appendColumn(column, n, values[name])
  return out
}
