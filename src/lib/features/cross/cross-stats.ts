// Precomputed statistics behind cross features, built once from the train split (and the follow graph).
import {getColumn} from '../../dataset/columns.js'
import {TRAIN} from '../../dataset/schema.js'
import type {Dataset} from '../../dataset/store.js'
import type {UserHistory} from '../history.js'
import type {Positives} from '../positives.js'
import {type IdVocab, OOV_ROW} from '../vocab.js'
import {type ItemColumns, readItemColumns} from './item-columns.js'
import {DenseTimeIndex, PairTimeIndex} from './time-index.js'

/**
 * Everything a cross feature reads, as time-indexed counters so that a feature at time t sees only
 * events strictly before t: training examples never see their own outcome, and serving (t = now)
 * sees all of it. Engagements are the positives of the chosen splits (train by default).
 */
export interface CrossStats {
  nUsers: number
  nItems: number
  columns: ItemColumns
  /** (src, dst) user rows -> follow times (first() = when the edge appeared). */
  follows?: PairTimeIndex
  /** (user, author) -> the user's engagement times on that author's items (RealGraph-like). */
  userAuthor?: PairTimeIndex
  /** (user, topic code) -> engagement times on items of that topic. */
  userTopic?: PairTimeIndex
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
    const engagers: number[] = []
    const authors: number[] = []
    const times: number[] = []
    for (let j = 0; j < user.length; j++) {
      if (author[item[j]] < 0) continue
      engagers.push(user[j])
      authors.push(author[item[j]])
      times.push(ts[j])
    }
    stats.userAuthor = new PairTimeIndex(nUsers, engagers, authors, times)
    if (dataset.follows) stats.follows = followIndex(dataset, users)
  }
  if (columns.topics) {
    const {offsets, codes} = columns.topics
    const engagers: number[] = []
    const topics: number[] = []
    const times: number[] = []
    for (let j = 0; j < user.length; j++) {
      for (let k = offsets[item[j]]; k < offsets[item[j] + 1]; k++) {
        engagers.push(user[j])
        topics.push(codes[k])
        times.push(ts[j])
      }
    }
    stats.userTopic = new PairTimeIndex(nUsers, engagers, topics, times)
  }
  return stats
}

function followIndex(dataset: Dataset, users: IdVocab): PairTimeIndex {
  const follows = dataset.follows!
  const src = users.rows(getColumn(follows, 'src_user_id', 'int64').values)
  const dst = users.rows(getColumn(follows, 'dst_user_id', 'int64').values)
  const ts = getColumn(follows, 'ts', 'timestamp_ms').values
  const from: number[] = []
  const to: number[] = []
  const times: number[] = []
  for (let i = 0; i < src.length; i++) {
    if (src[i] === OOV_ROW || dst[i] === OOV_ROW) continue
    from.push(src[i])
    to.push(dst[i])
    times.push(ts[i])
  }
  return new PairTimeIndex(users.size, from, to, times)
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
