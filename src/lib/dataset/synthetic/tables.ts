// The observable tables a model may read: users, items (with sparse moderation labels) and follows.
import type {ColumnTable} from '../columns.js'
import type {FeatureSpec} from '../manifest.js'
import {itemIds, sequentialIds, toIds} from './ids.js'
import type {ItemWorld} from './items.js'
import type {LiveFollows} from './live-follows.js'
import {radixTimeOrder} from './time-order.js'
import type {UserWorld} from './users.js'
import {ITEM_ID_BASE, REGIONS, USER_ID_BASE} from './vocab.js'

/** Kinds inference would get wrong: the author is a user id, nsfw/toxic are targets, never inputs. */
export const FEATURE_OVERRIDES: {users: Record<string, FeatureSpec>; items: Record<string, FeatureSpec>} = {
  users: {},
  items: {author_id: {kind: 'id'}, nsfw: {kind: 'label'}, toxic: {kind: 'label'}},
}

/** Follower and following counts are as of the window start, so they leak nothing from it. */
export function usersTable(users: UserWorld, follows: LiveFollows): ColumnTable {
  const n = users.count
  const {offsets, dst} = follows.graph
  const followers = new Int32Array(n)
  const following = new Int32Array(n)
  for (let u = 0; u < n; u++) {
    following[u] = offsets[u + 1] - offsets[u]
    for (let e = offsets[u]; e < offsets[u + 1]; e++) followers[dst[e]]++
  }
  return {
    user_id: {type: 'int64', values: sequentialIds(n, USER_ID_BASE)},
    region: {type: 'dict', codes: users.region.slice(), dictionary: [...REGIONS]},
    account_age_days: {type: 'float32', values: users.accountAgeDays.slice()},
    follower_count: {type: 'int32', values: followers},
    following_count: {type: 'int32', values: following},
  }
}

/**
 * The observable item columns, then `extra` (a catalogue's carried columns, or the generated
 * `title`) after them, so that adding one never changes the bytes of another.
 */
export function itemsTable(items: ItemWorld, topics: string[], extra: ColumnTable = {}): ColumnTable {
  const unlabelled = Uint8Array.from(items.labelled, (l) => 1 - l)
  // Zero under the nulls too, so that no reader can find the hidden labels in memory either.
  const published = (truth: Uint8Array) => truth.map((v, i) => v & items.labelled[i])
  return {
    item_id: {type: 'int64', values: itemIds(items, ITEM_ID_BASE)},
    author_id: {type: 'int64', values: toIds(items.author, USER_ID_BASE)},
    topic: {type: 'dict', codes: items.topic.slice(), dictionary: [...topics]},
    created_at: {type: 'timestamp_ms', values: items.createdAt.slice()},
    text_length: {type: 'int32', values: items.textLength.slice()},
    has_media: {type: 'bool', values: items.hasMedia.slice()},
    hashtag_count: {type: 'int32', values: items.hashtagCount.slice()},
    nsfw: {type: 'bool', values: published(items.nsfw), nulls: unlabelled},
    toxic: {type: 'bool', values: published(items.toxic), nulls: unlabelled.slice()},
    ...extra,
  }
}

/** Edges from before the window and follow_author events from it, in time order; weight 1. */
export function followsTable(follows: LiveFollows): ColumnTable {
  const {offsets, dst, ts} = follows.graph
  const added = follows.added
  const before = dst.length
  const n = before + added.src.length
  const src = new Int32Array(n)
  const to = new Int32Array(n)
  const when = new Float64Array(n)
  for (let u = 0; u + 1 < offsets.length; u++) src.fill(u, offsets[u], offsets[u + 1])
  to.set(dst)
  when.set(ts)
  for (let j = 0; j < added.src.length; j++) {
    src[before + j] = added.src[j]
    to[before + j] = added.dst[j]
    when[before + j] = added.ts[j]
  }
  const order = radixTimeOrder(when)
  const srcSorted = new Int32Array(n)
  const toSorted = new Int32Array(n)
  const whenSorted = new Float64Array(n)
  for (let j = 0; j < n; j++) {
    srcSorted[j] = src[order[j]]
    toSorted[j] = to[order[j]]
    whenSorted[j] = when[order[j]]
  }
  return {
    src_user_id: {type: 'int64', values: toIds(srcSorted, USER_ID_BASE)},
    dst_user_id: {type: 'int64', values: toIds(toSorted, USER_ID_BASE)},
    ts: {type: 'timestamp_ms', values: whenSorted},
    weight: {type: 'float32', values: new Float32Array(n).fill(1)},
  }
}
