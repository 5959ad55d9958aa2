// gen-data --items-from: a dataset's items (e.g. RSS articles) as the catalogue a synthetic world is built around.
import {join} from 'node:path'

import {RecError} from '../../errors.js'
import {type ColumnTable, getColumn, tableLength, takeRows} from '../columns.js'
import {readDataset} from '../store.js'

/** Columns the generator writes itself: a catalogue column of the same name is not carried. */
const GENERATED = new Set(['item_id', 'author_id', 'topic', 'created_at', 'text_length', 'has_media', 'hashtag_count', 'nsfw', 'toxic'])
/** The article's real time only orders the catalogue; the world gives each item a time in its window. */
const ORDER_COLUMN = 'published_at'

/** Rows in publication order (row i is the world's item row i). */
export interface Catalogue {
  source: {path: string; name: string; fingerprint: string}
  ids: BigInt64Array
  /** The topics items use, in the dataset's dictionary order. */
  topics: string[]
  /** Index into `topics` per row. */
  topic: Int32Array
  /** Every other column of the items table (title, description, link, ...), rows in the same order. */
  columns: ColumnTable
}

/**
 * Reads the items of `dir`: an int64 item_id and a categorical `topic` are required, at least two
 * topics must be used. Rows are ordered by published_at (items without one last), ties by item_id.
 */
export async function readCatalogue(dir: string): Promise<Catalogue> {
  const dataset = await readDataset(dir)
  const items = dataset.items
  const file = join(dir, 'items.parquet')
  const n = tableLength(items)
  if (n === 0) throw new RecError('EMPTY', `${file} holds no items`, {hint: 'import articles with rec data import rss'})
  const topicColumn = items.topic
  if (!topicColumn || topicColumn.type !== 'dict') {
    throw new RecError('BAD_SCHEMA', `${file}: --items-from needs a categorical column "topic" (has ${Object.keys(items).join(', ')})`, {hint: 'rec data import rss writes one from the feeds\' categories'})
  }
  const ids = getColumn(items, 'item_id', 'int64').values
  const published = items[ORDER_COLUMN]?.type === 'timestamp_ms' ? getColumn(items, ORDER_COLUMN, 'timestamp_ms') : undefined
  const time = (r: number) => (published && !published.nulls?.[r] ? published.values[r] : Infinity)
  const order = Array.from({length: n}, (_, r) => r).sort((a, b) => time(a) - time(b) || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0))
  const sorted = takeRows(items, order)
  const codes = getColumn(sorted, 'topic', 'dict')
  const used = new Uint8Array(codes.dictionary.length)
  for (const c of codes.codes) used[c] = 1
  const remap = new Int32Array(codes.dictionary.length).fill(-1)
  const topics: string[] = []
  codes.dictionary.forEach((name, c) => {
    if (used[c]) remap[c] = topics.push(name) - 1
  })
  if (topics.length < 2) throw new RecError('INVALID_ARGUMENT', `${file}: the items use ${topics.length} topic (${topics.join(', ')}); a world needs at least 2`, {hint: 'import feeds with more than one category'})
  const columns: ColumnTable = {}
  for (const [name, column] of Object.entries(sorted)) if (!GENERATED.has(name) && name !== ORDER_COLUMN) columns[name] = column
  return {
    source: {path: dir, name: dataset.manifest.name, fingerprint: dataset.manifest.fingerprint},
    ids: getColumn(sorted, 'item_id', 'int64').values,
    topics,
    topic: Int32Array.from(codes.codes, (c) => remap[c]),
    columns,
  }
}
