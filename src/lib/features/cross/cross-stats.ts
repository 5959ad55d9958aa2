// Precomputed statistics behind cross features, built once from the train split (and the follow graph).
import {getColumn} from '../../dataset/columns.js'
import {TRAIN} from '../../dataset/schema.js'
import type {Dataset} from '../../dataset/store.js'
import type {UserHistory} from '../history.js'
import type {Positives} from '../positives.js'
import {type IdVocab, OOV_ROW} from '../vocab.js'
import {type ItemColumns, readItemColumns} from './item-columns.js'
import {DenseTimeIndex, SparseTimeIndex} from './time-index.js'

/**
 * Everything a cross feature reads, as time-indexed counters so that a feature at time t sees only
 * events strictly before t: training examples never see their own outcome, and serving (t = now)
 * sees all of it. Engagements are the positives of the chosen splits (train by default).
 */
export interface CrossStats {
  nUsers: number
  nItems: number
  columns: ItemColumns
  /** Key src * nUsers + dst -> follow times (first() = when the edge appeared). */
  follows?: SparseTimeIndex
  /** Key user * nUsers + author -> the user's engagement times on that author's items (RealGraph-like). */
  userAuthor?: SparseTimeIndex
  /** Key user * nTopics + topic -> engagement times on items of that topic. */
  userTopic?: SparseTimeIndex
  /** User row -> engagement times. */
  userHistory: DenseTimeIndex
  /** User row -> engaged item rows in time order (the ranker's history slot reads the last L before t). */
  history: UserHistory
  /** Item row -> engagement times received. */
  itemEngagement: DenseTimeIndex
}

export interface CrossStatsOptions {
  /** Split codes whose positives feed the counters; default [TRAIN]. */
  splits?: readonly number[]
}

export function buildCrossStats(dataset: Dataset, users: IdVocab, items: IdVocab, positives: Positives, options: CrossStatsOptions = {}): CrossStats {
  const nUsers = users.size
  const nItems = items.size
  const allowed = new Set(options.splits ?? [TRAIN])
  const keep: number[] = []
  for (let i = 0; i < positives.userRow.length; i++) {
    if (allowed.has(positives.split[i]) && positives.userRow[i] !== OOV_ROW && positives.itemRow[i] !== OOV_ROW) keep.push(i)
  }
  const user = Int32Array.from(keep, (i) => positives.userRow[i])
  const item = Int32Array.from(keep, (i) => positives.itemRow[i])
  const ts = Float64Array.from(keep, (i) => positives.ts[i])
  const columns = readItemColumns(dataset.items, dataset.manifest.features.items, items, users)
  const stats: CrossStats = {
    nUsers,
    nItems,
    columns,
    userHistory: new DenseTimeIndex(nUsers, user, ts),
    history: historyOf(nUsers, user, item, ts),
    itemEngagement: new DenseTimeIndex(nItems, item, ts),
  }
  if (columns.author) {
    const author = columns.author
    const keys: number[] = []
    const times: number[] = []
    for (let j = 0; j < user.length; j++) {
      if (author[item[j]] < 0) continue
      keys.push(user[j] * nUsers + author[item[j]])
      times.push(ts[j])
    }
    stats.userAuthor = new SparseTimeIndex(keys, times)
    if (dataset.follows) stats.follows = followIndex(dataset, users)
  }
  if (columns.topics) {
    const {offsets, codes, count} = columns.topics
    const keys: number[] = []
    const times: number[] = []
    for (let j = 0; j < user.length; j++) {
      for (let k = offsets[item[j]]; k < offsets[item[j] + 1]; k++) {
        keys.push(user[j] * count + codes[k])
        times.push(ts[j])
      }
    }
    stats.userTopic = new SparseTimeIndex(keys, times)
  }
  return stats
}

function followIndex(dataset: Dataset, users: IdVocab): SparseTimeIndex {
  const follows = dataset.follows!
  const src = users.rows(getColumn(follows, 'src_user_id', 'int64').values)
  const dst = users.rows(getColumn(follows, 'dst_user_id', 'int64').values)
  const ts = getColumn(follows, 'ts', 'timestamp_ms').values
  const keys: number[] = []
  const times: number[] = []
  for (let i = 0; i < src.length; i++) {
    if (src[i] === OOV_ROW || dst[i] === OOV_ROW) continue
    keys.push(src[i] * users.size + dst[i])
    times.push(ts[i])
  }
  return new SparseTimeIndex(keys, times)
}

/** CSR of each user's items in the given (time) order. */
function historyOf(nUsers: number, user: Int32Array, item: Int32Array, ts: Float64Array): UserHistory {
  const offsets = new Int32Array(nUsers + 1)
  for (const u of user) offsets[u + 1]++
  for (let u = 0; u < nUsers; u++) offsets[u + 1] += offsets[u]
  const cursor = offsets.slice(0, nUsers)
  const items = new Int32Array(user.length)
  const times = new Float64Array(user.length)
  for (let j = 0; j < user.length; j++) {
    const at = cursor[user[j]]++
    items[at] = item[j]
    times[at] = ts[j]
  }
  return {offsets, items, ts: times}
}
