// Item columns by vocabulary row (author, topic) and the follow lists, for the serving world.
import {type ColumnTable, getColumn} from '../dataset/columns.js'
import type {IdVocab} from '../features/vocab.js'

/** Per item row the int64 column's value; undefined when the items table lacks it. */
export function itemColumnInt64(items: ColumnTable, name: string, rows: Int32Array, size: number): BigInt64Array | undefined {
  const column = items[name]
  if (column?.type !== 'int64') return undefined
  const out = new BigInt64Array(size).fill(-1n)
  for (let i = 0; i < rows.length; i++) if (!column.nulls?.[i]) out[rows[i]] = column.values[i]
  return out
}

/** Per row a code 0.. for each distinct value, in first-seen order; -1 where the value is negative (absent). */
export function denseCodes(values: BigInt64Array): Int32Array {
  const codes = new Int32Array(values.length).fill(-1)
  const seen = new Map<bigint, number>()
  for (let row = 0; row < values.length; row++) {
    const value = values[row]
    if (value < 0n) continue
    let code = seen.get(value)
    if (code === undefined) seen.set(value, (code = seen.size))
    codes[row] = code
  }
  return codes
}

/** Per item row a topic code: a categorical column, or the first value of a multi-categorical one (genres). */
export function itemColumnTopics(items: ColumnTable, name: string, rows: Int32Array, size: number): {codes: Int32Array; names: string[]} | undefined {
  const column = items[name] ?? items.genres
  if (!column) return undefined
  const codes = new Int32Array(size).fill(-1)
  if (column.type === 'dict') {
    for (let i = 0; i < rows.length; i++) codes[rows[i]] = column.codes[i]
    return {codes, names: column.dictionary}
  }
  if (column.type !== 'utf8' && column.type !== 'list_utf8') return undefined
  const names: string[] = []
  const index = new Map<string, number>()
  for (let i = 0; i < rows.length; i++) {
    const value = column.type === 'utf8' ? column.values[i] : column.values[i][0]
    if (value === undefined || value === '') continue
    let code = index.get(value)
    if (code === undefined) {
      code = names.push(value) - 1
      index.set(value, code)
    }
    codes[rows[i]] = code
  }
  return {codes, names}
}

/** One author's items, newest first (empty when they posted none), with their recency side by side: read in order, not by row. */
export interface AuthoredItems {
  items: Int32Array
  /** created_at (ms) of each item in the same order, or the row when items have no created_at. */
  recency: Float64Array
}

/** One followed account, resolved at load so that a request does no int64-keyed lookups (~1 us each). */
export interface Follow extends AuthoredItems {
  author: bigint
  weight: number
  /** The author's user row (0 when the author is not a known user). */
  userRow: number
}

/** src user row -> followed authors (dst user ids) with weights. */
export function buildFollows(follows: ColumnTable, users: IdVocab, authorItems: Map<bigint, AuthoredItems>): Map<number, Follow[]> {
  const src = getColumn(follows, 'src_user_id', 'int64').values
  const dst = getColumn(follows, 'dst_user_id', 'int64').values
  const weight = getColumn(follows, 'weight', 'float32').values
  const none: AuthoredItems = {items: new Int32Array(0), recency: new Float64Array(0)}
  const out = new Map<number, Follow[]>()
  for (let i = 0; i < src.length; i++) {
    const row = users.row(src[i])
    if (row === 0) continue
    let list = out.get(row)
    if (!list) out.set(row, (list = []))
    const {items, recency} = authorItems.get(dst[i]) ?? none
    list.push({author: dst[i], weight: weight[i], userRow: users.row(dst[i]), items, recency})
  }
  return out
}

/** author id -> item rows, newest first (by created_at, else by row). */
export function buildAuthorItems(author: BigInt64Array, createdAt: Float64Array | undefined): Map<bigint, AuthoredItems> {
  const lists = new Map<bigint, number[]>()
  for (let row = 1; row < author.length; row++) {
    if (author[row] < 0n) continue
    let list = lists.get(author[row])
    if (!list) lists.set(author[row], (list = []))
    list.push(row)
  }
  const out = new Map<bigint, AuthoredItems>()
  for (const [id, list] of lists) {
    const items = Int32Array.from(list)
    items.sort((a, b) => (createdAt ? createdAt[b] - createdAt[a] : 0) || b - a)
    out.set(id, {items, recency: Float64Array.from(items, (row) => (createdAt ? createdAt[row] : row))})
  }
  return out
}
