// The item columns cross features read: author (a user id), topic(s) and creation time, found through the feature specs.
import {type ColumnTable, getColumn} from '../../dataset/columns.js'
import type {FeatureSpec} from '../../dataset/manifest.js'
import {type IdVocab, OOV_ROW} from '../vocab.js'

export interface ItemColumns {
  /** Item row -> author's user row, -1 when unknown; undefined without an author column. */
  author?: Int32Array
  /** Item row -> topic codes as CSR; undefined without a topic column. */
  topics?: {offsets: Int32Array; codes: Int32Array; count: number; column: string}
  /** Item row -> creation time (ms), NaN when unknown; undefined without a timestamp column. */
  createdAt?: Float64Array
}

/** The preferred column name if it has an accepted kind, else the first (by name) that has one. */
function pick(specs: Record<string, FeatureSpec>, preferred: string, kinds: FeatureSpec['kind'][], table: ColumnTable): string | undefined {
  const ok = (name: string) => Boolean(specs[name] && kinds.includes(specs[name].kind) && table[name])
  if (ok(preferred)) return preferred
  return Object.keys(specs).sort().find(ok)
}

/**
 * Reads author (kind "id", prefer author_id), topic (categorical or multi-categorical, prefer
 * "topic": MovieLens falls back to "genres") and creation time (a timestamp column, prefer created_at).
 */
export function readItemColumns(items: ColumnTable, specs: Record<string, FeatureSpec>, itemVocab: IdVocab, userVocab: IdVocab): ItemColumns {
  const n = itemVocab.size
  const rowOf = itemVocab.rows(getColumn(items, 'item_id', 'int64').values)
  const out: ItemColumns = {}
  const authorName = pick(specs, 'author_id', ['id'], items)
  if (authorName && items[authorName].type === 'int64') {
    const ids = getColumn(items, authorName, 'int64')
    out.author = new Int32Array(n).fill(-1)
    for (let i = 0; i < rowOf.length; i++) {
      const u = userVocab.row(ids.values[i])
      if (rowOf[i] !== OOV_ROW && u !== OOV_ROW && !ids.nulls?.[i]) out.author[rowOf[i]] = u
    }
  }
  const topicName = pick(specs, 'topic', ['categorical', 'multi-categorical'], items)
  if (topicName) out.topics = topicCodes(items, topicName, rowOf, n)
  const timeName = ['created_at', ...Object.keys(items).sort()].find((name) => items[name]?.type === 'timestamp_ms')
  if (timeName) {
    const column = getColumn(items, timeName, 'timestamp_ms')
    out.createdAt = new Float64Array(n).fill(Number.NaN)
    for (let i = 0; i < rowOf.length; i++) if (rowOf[i] !== OOV_ROW && !column.nulls?.[i]) out.createdAt[rowOf[i]] = column.values[i]
  }
  return out
}

function topicCodes(items: ColumnTable, name: string, rowOf: Int32Array, n: number): NonNullable<ItemColumns['topics']> {
  const column = items[name]
  const index = new Map<string, number>()
  const perRow: number[][] = Array.from({length: n}, () => [])
  for (let i = 0; i < rowOf.length; i++) {
    if (rowOf[i] === OOV_ROW) continue
    const values = column.type === 'dict' ? [column.dictionary[column.codes[i]]] : column.type === 'list_utf8' ? column.values[i] : column.type === 'utf8' ? [column.values[i]] : []
    for (const v of values) {
      let code = index.get(v)
      if (code === undefined) index.set(v, (code = index.size))
      perRow[rowOf[i]].push(code)
    }
  }
  const offsets = new Int32Array(n + 1)
  for (let r = 0; r < n; r++) offsets[r + 1] = offsets[r] + perRow[r].length
  return {offsets, codes: Int32Array.from(perRow.flat()), count: index.size, column: name}
}
