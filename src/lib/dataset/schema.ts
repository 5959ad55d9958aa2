// Required columns of each table and the checks every reader applies before trusting a dataset.
import {RecError} from '../errors.js'
import {type Column, type ColumnTable, type ColumnType, columnLength} from './columns.js'

export const EVENTS = [
  'impression',
  'click',
  'like',
  'repost',
  'reply',
  'share',
  'follow_author',
  'dwell',
  'skip',
  'hide',
  'report',
  'rating',
] as const
export type EventName = (typeof EVENTS)[number]

/** Split codes in interactions.split; the dictionary is always written in this order. */
export const SPLITS = ['train', 'val', 'test'] as const
export type SplitName = (typeof SPLITS)[number]
export const TRAIN = 0
export const VAL = 1
export const TEST = 2

type Required = Record<string, ColumnType[]>

export const REQUIRED_COLUMNS: Record<'users' | 'items' | 'interactions' | 'follows', Required> = {
  users: {user_id: ['int64']},
  items: {item_id: ['int64']},
  interactions: {
    user_id: ['int64'],
    item_id: ['int64'],
    ts: ['timestamp_ms'],
    event: ['dict'],
    weight: ['float32'],
    split: ['dict'],
  },
  follows: {src_user_id: ['int64'], dst_user_id: ['int64'], ts: ['timestamp_ms'], weight: ['float32']},
}

/** Optional interaction columns and their types. */
export const OPTIONAL_INTERACTION_COLUMNS: Required = {dwell_ms: ['int32'], position: ['int16'], source: ['dict']}

/** Throws BAD_SCHEMA naming the file and column when a required column is missing or mistyped. */
export function checkColumns(table: ColumnTable, required: Required, file: string): void {
  let length: number | undefined
  for (const [name, types] of Object.entries(required)) {
    const column = table[name]
    if (!column) throw new RecError('BAD_SCHEMA', `${file}: missing required column "${name}" (${types.join('|')})`)
    if (!types.includes(column.type)) {
      throw new RecError('BAD_SCHEMA', `${file}: column "${name}" is ${column.type}, expected ${types.join('|')}`)
    }
  }
  for (const [name, column] of Object.entries(table)) {
    const n = columnLength(column)
    if (length !== undefined && n !== length) throw new RecError('BAD_SCHEMA', `${file}: column "${name}" has ${n} rows, others ${length}`)
    length = n
  }
}

/** Throws BAD_DATA when a numeric column holds NaN or Infinity. */
export function checkFinite(column: Column, name: string, file: string): void {
  if (column.type !== 'float32' && column.type !== 'float64' && column.type !== 'timestamp_ms') return
  const {values} = column
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]) && !(column.nulls && column.nulls[i])) {
      throw new RecError('BAD_DATA', `${file}: row ${i + 1}, column "${name}" is ${values[i]}`)
    }
  }
}

/** Throws BAD_DATA on the first repeated id. */
export function checkUniqueIds(ids: BigInt64Array, column: string, file: string): void {
  const seen = new Set<bigint>()
  for (let i = 0; i < ids.length; i++) {
    if (seen.has(ids[i])) throw new RecError('BAD_DATA', `${file}: row ${i + 1}, duplicate ${column} ${ids[i]}`)
    seen.add(ids[i])
  }
}
