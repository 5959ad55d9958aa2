// The in-memory columnar table rec works with: typed arrays per column, converted to Arrow only at I/O.

/** One column. `nulls[i] === 1` marks row i as null (numeric columns only). */
export type Column =
  | {type: 'int64'; values: BigInt64Array; nulls?: Uint8Array}
  | {type: 'int32'; values: Int32Array; nulls?: Uint8Array}
  | {type: 'int16'; values: Int16Array; nulls?: Uint8Array}
  | {type: 'float32'; values: Float32Array; nulls?: Uint8Array}
  | {type: 'float64'; values: Float64Array; nulls?: Uint8Array}
  | {type: 'bool'; values: Uint8Array; nulls?: Uint8Array}
  /** Milliseconds since the Unix epoch; float64 holds every ms timestamp exactly. */
  | {type: 'timestamp_ms'; values: Float64Array; nulls?: Uint8Array}
  | {type: 'utf8'; values: string[]}
  /** Dictionary-encoded strings: row i is dictionary[codes[i]]. */
  | {type: 'dict'; codes: Int32Array; dictionary: string[]}
  /** A list of strings per row (multi-categorical features such as genres). */
  | {type: 'list_utf8'; values: string[][]}

export type ColumnType = Column['type']

/** Columns by name, all of the same length, in write order. */
export type ColumnTable = Record<string, Column>

export function columnLength(column: Column): number {
  return column.type === 'dict' ? column.codes.length : column.values.length
}

export function tableLength(table: ColumnTable): number {
  const first = Object.values(table)[0]
  return first ? columnLength(first) : 0
}

/** Decodes a dict column to its strings. */
export function dictValues(column: Extract<Column, {type: 'dict'}>): string[] {
  return Array.from(column.codes, (code) => column.dictionary[code])
}

/** Encodes strings as a dict column; the dictionary keeps first-seen order unless `vocabulary` is given. */
export function toDict(values: readonly string[], vocabulary?: readonly string[]): Extract<Column, {type: 'dict'}> {
  const dictionary = vocabulary ? [...vocabulary] : []
  const index = new Map(dictionary.map((v, i) => [v, i]))
  const codes = new Int32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    let code = index.get(values[i])
    if (code === undefined) {
      code = dictionary.length
      dictionary.push(values[i])
      index.set(values[i], code)
    }
    codes[i] = code
  }
  return {type: 'dict', codes, dictionary}
}

/** Rows `indices` of every column, in that order. */
export function takeRows(table: ColumnTable, indices: ArrayLike<number>): ColumnTable {
  const out: ColumnTable = {}
  for (const [name, column] of Object.entries(table)) out[name] = takeColumn(column, indices)
  return out
}

function takeColumn(column: Column, indices: ArrayLike<number>): Column {
  const n = indices.length
  const pick = <A extends {length: number; [i: number]: unknown}>(src: A, make: (n: number) => A): A => {
    const dst = make(n)
    for (let i = 0; i < n; i++) dst[i] = src[indices[i]]
    return dst
  }
  const nulls = 'nulls' in column && column.nulls ? pick(column.nulls, (k) => new Uint8Array(k)) : undefined
  switch (column.type) {
    case 'int64':
      return {type: column.type, values: pick(column.values, (k) => new BigInt64Array(k)), nulls}
    case 'int32':
      return {type: column.type, values: pick(column.values, (k) => new Int32Array(k)), nulls}
    case 'int16':
      return {type: column.type, values: pick(column.values, (k) => new Int16Array(k)), nulls}
    case 'float32':
      return {type: column.type, values: pick(column.values, (k) => new Float32Array(k)), nulls}
    case 'float64':
    case 'timestamp_ms':
      return {type: column.type, values: pick(column.values, (k) => new Float64Array(k)), nulls}
    case 'bool':
      return {type: column.type, values: pick(column.values, (k) => new Uint8Array(k)), nulls}
    case 'dict':
      return {type: 'dict', codes: pick(column.codes, (k) => new Int32Array(k)), dictionary: column.dictionary}
    case 'utf8':
      return {type: 'utf8', values: Array.from(indices, (i) => column.values[i])}
    case 'list_utf8':
      return {type: 'list_utf8', values: Array.from(indices, (i) => column.values[i])}
  }
}

/** The column `name` narrowed to `type`; throws when absent or of another type (a schema bug, checked earlier). */
export function getColumn<T extends ColumnType>(table: ColumnTable, name: string, type: T): Extract<Column, {type: T}> {
  const column = table[name]
  if (!column || column.type !== type) throw new TypeError(`column ${name} is ${column?.type ?? 'missing'}, expected ${type}`)
  return column as Extract<Column, {type: T}>
}
