// The topn.parquet contract: one row per (user, rank), written by rec recommend and read by rec serve --topn.
import {type Column, type ColumnTable, dictValues, tableLength, toDict} from '../dataset/columns.js'
import {decodeParquet} from '../dataset/parquet.js'
import {checkColumns} from '../dataset/schema.js'
import {RecError} from '../errors.js'

/**
 * user_id int64, rank int32 (1 = first), item_id int64, score float32 (as the live feed shows it, rounded
 * to 1e-6), source and reason strings, versions (JSON of the model versions) string, generated_at
 * timestamp[ms]. Rows are grouped by user in input order, ranks ascending. source and versions are
 * dictionary<utf8> (a handful of values, like the dataset's event column); reason is plain utf8.
 */
export const TOPN_COLUMNS: Record<string, Column['type'][]> = {
  user_id: ['int64'],
  rank: ['int32'],
  item_id: ['int64'],
  score: ['float32', 'float64'],
  source: ['dict', 'utf8'],
  reason: ['dict', 'utf8'],
  versions: ['dict', 'utf8'],
  generated_at: ['timestamp_ms'],
}

/** The columns of many users' lists, row-aligned: user i's rows are [offsets[i], offsets[i + 1]). */
export interface TopNColumns {
  userIds: BigInt64Array
  offsets: Int32Array
  itemIds: BigInt64Array
  scores: Float32Array
  sources: string[]
  reasons: string[]
  /** Per user: JSON of the versions that computed the list, and when (ms). */
  versions: string[]
  generatedAt: Float64Array
}

/** The Parquet table of `lists` (one row per item; a user with an empty list has no rows). */
export function topNTable(lists: TopNColumns): ColumnTable {
  const n = lists.itemIds.length
  const userOfRow = new Int32Array(n)
  const rank = new Int32Array(n)
  for (let u = 0; u < lists.userIds.length; u++) {
    for (let i = lists.offsets[u]; i < lists.offsets[u + 1]; i++) {
      userOfRow[i] = u
      rank[i] = i - lists.offsets[u] + 1
    }
  }
  return {
    user_id: {type: 'int64', values: BigInt64Array.from(userOfRow, (u) => lists.userIds[u])},
    rank: {type: 'int32', values: rank},
    item_id: {type: 'int64', values: lists.itemIds},
    score: {type: 'float32', values: lists.scores},
    source: toDict(lists.sources),
    reason: {type: 'utf8', values: lists.reasons},
    versions: toDict(Array.from(userOfRow, (u) => lists.versions[u])),
    generated_at: {type: 'timestamp_ms', values: Float64Array.from(userOfRow, (u) => lists.generatedAt[u])},
  }
}

const strings = (column: Column): string[] => (column.type === 'dict' ? dictValues(column) : (column as Extract<Column, {type: 'utf8'}>).values)

/** Decodes topn.parquet bytes; BAD_SCHEMA for a missing or mistyped column, BAD_DATA for a user's rows out of rank order or split apart. */
export function decodeTopN(bytes: Uint8Array, file: string): TopNColumns {
  const table = decodeParquet(bytes, file)
  checkColumns(table, TOPN_COLUMNS, file)
  const n = tableLength(table)
  const users = (table.user_id as Extract<Column, {type: 'int64'}>).values
  const ranks = (table.rank as Extract<Column, {type: 'int32'}>).values
  const generated = (table.generated_at as Extract<Column, {type: 'timestamp_ms'}>).values
  const versions = strings(table.versions)
  const userIds: bigint[] = []
  const offsets: number[] = [0]
  const listVersions: string[] = []
  const generatedAt: number[] = []
  const seen = new Set<bigint>()
  for (let i = 0; i < n; i++) {
    const first = i === 0 || users[i] !== users[i - 1]
    if (first) {
      if (seen.has(users[i])) throw new RecError('BAD_DATA', `${file}: row ${i + 1}: the rows of user ${users[i]} are not together`, {hint: 'write it with rec recommend'})
      seen.add(users[i])
      if (i > 0) offsets.push(i)
      userIds.push(users[i])
      listVersions.push(versions[i])
      generatedAt.push(generated[i])
    }
    const expected = first ? 1 : ranks[i - 1] + 1
    if (ranks[i] !== expected) throw new RecError('BAD_DATA', `${file}: row ${i + 1}: user ${users[i]} has rank ${ranks[i]} where ${expected} was expected`, {hint: 'each list is ranks 1, 2, ... in order'})
  }
  if (n > 0) offsets.push(n)
  const score = table.score
  return {
    userIds: BigInt64Array.from(userIds),
    offsets: Int32Array.from(offsets),
    itemIds: (table.item_id as Extract<Column, {type: 'int64'}>).values,
    scores: score.type === 'float32' ? score.values : Float32Array.from((score as Extract<Column, {type: 'float64'}>).values),
    sources: strings(table.source),
    reasons: strings(table.reason),
    versions: listVersions,
    generatedAt: Float64Array.from(generatedAt),
  }
}
