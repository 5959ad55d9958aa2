// The serving world: item metadata, histories, follows and popularity by vocabulary row, built once per model load.
import {type ColumnTable, getColumn} from '../dataset/columns.js'
import type {Dataset} from '../dataset/store.js'
import {buildHistory, type UserHistory} from '../features/history.js'
import {selectPositives} from '../features/positives.js'
import type {IdVocab} from '../features/vocab.js'
import {type AuthoredItems, buildAuthorItems, buildFollows, denseCodes, type Follow, itemColumnInt64, itemColumnTopics} from './world-columns.js'
import {decayedPopularity, topByScore} from './world-popularity.js'

export interface ServingWorld {
  users: IdVocab
  items: IdVocab
  dim: number
  /** [items.size, dim] item-tower embeddings, L2-normalised (row 0 = OOV stays zero). */
  itemVectors: Float32Array
  /** Per item row: a dense author code (-1 none), undefined without author_id; per-candidate checks read no BigInt (each read allocates one). */
  authorCode?: Int32Array
  /** Per item row: topic code (-1 none) into topicNames. */
  topic?: Int32Array
  topicNames: string[]
  createdAt?: Float64Array
  /** label -> per item row 1 (flagged), 0 (clean) or NaN (unlabelled). */
  labels: Record<string, Float32Array>
  title?: string[]
  /** Positives of every split by user row, time order: what the user has seen and engaged with, and each entry's event. */
  history: UserHistory & {events: Uint8Array}
  /** Train positives by item row -> user rows (for co-engagement). */
  itemUsers: UserHistory
  /** user row -> followed accounts; undefined when there is no follows table. */
  follows?: Map<number, Follow[]>
  /** [items.size] recency-decayed popularity of every item row (the Blend scorer's popularity part). */
  popularity: Float32Array
  /** Item rows by recency-decayed popularity, best first (top 2,000) with their scores. */
  popular: {rows: Int32Array; scores: Float32Array}
  /** Per topic code: the topic's popular item rows, best first (top 300). */
  topicPopular: Int32Array[]
  /** The dataset's last interaction time: "now" for a replayed world. */
  clock: number
}

export interface WorldOptions {
  /** Half-life of popularity decay; default 3 days. */
  halfLifeMs?: number
  topicColumn?: string
}

function labelColumns(items: ColumnTable, rows: Int32Array, size: number): Record<string, Float32Array> {
  const out: Record<string, Float32Array> = {}
  for (const name of ['nsfw', 'toxic']) {
    const column = items[name]
    if (!column || !(column.type === 'bool' || column.type === 'float32' || column.type === 'float64')) continue
    const values = new Float32Array(size).fill(Number.NaN)
    for (let i = 0; i < rows.length; i++) if (!column.nulls?.[i]) values[rows[i]] = Number(column.values[i])
    out[name] = values
  }
  return out
}

/** `itemVectors` must be [items.size, dim], already normalised. */
export function buildWorld(dataset: Dataset, users: IdVocab, items: IdVocab, itemVectors: Float32Array, options: WorldOptions = {}): ServingWorld {
  const size = items.size
  const itemRows = items.rows(getColumn(dataset.items, 'item_id', 'int64').values)
  const positives = selectPositives(dataset.interactions, users, items, {events: dataset.manifest.positives})
  const history = buildHistory(positives, users.size, [0, 1, 2])
  const train = {...positives, userRow: positives.itemRow, itemRow: positives.userRow}
  const itemUsers = buildHistory(train, size, [0])
  const ts = getColumn(dataset.interactions, 'ts', 'timestamp_ms').values
  const clock = ts.length > 0 ? ts[ts.length - 1] : Date.now()
  const author = itemColumnInt64(dataset.items, 'author_id', itemRows, size)
  const topics = itemColumnTopics(dataset.items, options.topicColumn ?? 'topic', itemRows, size)
  const created = dataset.items.created_at
  let createdAt: Float64Array | undefined
  if (created?.type === 'timestamp_ms') {
    createdAt = new Float64Array(size)
    for (let i = 0; i < itemRows.length; i++) createdAt[itemRows[i]] = created.values[i]
  }
  const titleColumn = dataset.items.title
  let title: string[] | undefined
  if (titleColumn?.type === 'utf8') {
    title = new Array<string>(size).fill('')
    for (let i = 0; i < itemRows.length; i++) title[itemRows[i]] = titleColumn.values[i]
  }
  const authorItems = author ? buildAuthorItems(author, createdAt) : new Map<bigint, AuthoredItems>()
  const popularity = decayedPopularity(positives, size, clock, options.halfLifeMs ?? 3 * 86_400_000)
  const topicPopular = topics ? topics.names.map((_, t) => topByScore(popularity, 300, (row) => topics.codes[row] === t).rows) : []
  return {
    users,
    items,
    dim: itemVectors.length / size,
    itemVectors,
    authorCode: author && denseCodes(author),
    topic: topics?.codes,
    topicNames: topics?.names ?? [],
    createdAt,
    labels: labelColumns(dataset.items, itemRows, size),
    title,
    history,
    itemUsers,
    follows: dataset.follows ? buildFollows(dataset.follows, users, authorItems) : undefined,
    popularity,
    popular: topByScore(popularity, 2000, (row) => row > 0),
    topicPopular,
    clock,
  }
}
