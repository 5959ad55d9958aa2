// The validation problems inspect reports: broken references, split order, empty splits, bad values.
import {SPLITS, EVENTS} from './schema.js'
import type {InspectTables} from './inspect-load.js'

/** One kind of problem, how many rows it touches, and a line saying what and where. */
export interface Problem {
  check: string
  count: number
  message: string
}

/** The interaction columns the checks read, decoded once by the caller. */
export interface InteractionView {
  userId: BigInt64Array
  itemId: BigInt64Array
  ts: Float64Array
  weight: Float32Array
  /** 0 train, 1 val, 2 test, -1 a label outside train|val|test */
  split: Int8Array
  events: string[]
}

function duplicates(ids: BigInt64Array): {count: number; first?: bigint} {
  const seen = new Set<bigint>()
  let count = 0
  let first: bigint | undefined
  for (const id of ids) {
    if (seen.has(id)) {
      count++
      first ??= id
    } else seen.add(id)
  }
  return {count, first}
}

function missing(used: BigInt64Array, known: BigInt64Array): {count: number; first?: bigint} {
  const set = new Set(known)
  let count = 0
  let first: bigint | undefined
  for (const id of used) {
    if (!set.has(id)) {
      count++
      first ??= id
    }
  }
  return {count, first}
}

/** val rows earlier than the user's latest train row, test rows earlier than the latest train or val row. */
function outOfOrder(view: InteractionView): {rows: number; users: number} {
  const latest = [new Map<bigint, number>(), new Map<bigint, number>()] // split -> user -> max ts
  for (let i = 0; i < view.ts.length; i++) {
    const s = view.split[i]
    if (s !== 0 && s !== 1) continue
    const prev = latest[s].get(view.userId[i])
    if (prev === undefined || view.ts[i] > prev) latest[s].set(view.userId[i], view.ts[i])
  }
  const users = new Set<bigint>()
  let rows = 0
  for (let i = 0; i < view.ts.length; i++) {
    const s = view.split[i]
    if (s !== 1 && s !== 2) continue
    const u = view.userId[i]
    const bound = Math.max(latest[0].get(u) ?? -Infinity, s === 2 ? (latest[1].get(u) ?? -Infinity) : -Infinity)
    if (view.ts[i] < bound) {
      rows++
      users.add(u)
    }
  }
  return {rows, users: users.size}
}

/** Every problem found; an empty list means the dataset honours the contract of ARCHITECTURE section 1. */
export function findProblems(tables: InspectTables, view: InteractionView, userIds: BigInt64Array, itemIds: BigInt64Array): Problem[] {
  const problems: Problem[] = []
  const add = (check: string, count: number, message: string) => {
    if (count > 0) problems.push({check, count, message})
  }
  const dupUsers = duplicates(userIds)
  add('duplicate-user-id', dupUsers.count, `users.parquet repeats ${dupUsers.count} user_id values (first ${dupUsers.first})`)
  const dupItems = duplicates(itemIds)
  add('duplicate-item-id', dupItems.count, `items.parquet repeats ${dupItems.count} item_id values (first ${dupItems.first})`)
  const noUser = missing(view.userId, userIds)
  add('unknown-user', noUser.count, `${noUser.count} interactions name a user_id missing from users.parquet (first ${noUser.first})`)
  const noItem = missing(view.itemId, itemIds)
  add('unknown-item', noItem.count, `${noItem.count} interactions name an item_id missing from items.parquet (first ${noItem.first})`)
  const badSplit = view.split.filter((s) => s < 0).length
  add('split-label', badSplit, `${badSplit} interactions have a split label other than ${SPLITS.join('|')}`)
  const sizes = [0, 0, 0]
  for (const s of view.split) if (s >= 0) sizes[s]++
  SPLITS.forEach((name, s) => add('empty-split', sizes[s] === 0 ? 1 : 0, `the ${name} split is empty`))
  const order = outOfOrder(view)
  add('split-order', order.rows, `${order.rows} val/test interactions of ${order.users} users are earlier than that user's train (or val) interactions`)
  const badWeight = view.weight.filter((w) => !Number.isFinite(w)).length
  add('weight-not-finite', badWeight, `${badWeight} interactions have a NaN or infinite weight`)
  const unknownEvents = view.events.filter((e) => !(EVENTS as readonly string[]).includes(e))
  add('unknown-event', unknownEvents.length, `events outside the vocabulary: ${unknownEvents.join(', ')}`)
  if (tables.follows) {
    const src = tables.follows.src_user_id
    const dst = tables.follows.dst_user_id
    const ids = src.type === 'int64' && dst.type === 'int64' ? new BigInt64Array([...src.values, ...dst.values]) : new BigInt64Array(0)
    const noFollowUser = missing(ids, userIds)
    add('unknown-follow-user', noFollowUser.count, `${noFollowUser.count} follow ends name a user_id missing from users.parquet (first ${noFollowUser.first})`)
  }
  const {manifest} = tables
  add('fingerprint', manifest.fingerprint === tables.fingerprint ? 0 : 1, 'the table files do not match the fingerprint in dataset.json (edited after writing?)')
  const actual = {users: userIds.length, items: itemIds.length, interactions: view.ts.length, train: sizes[0], val: sizes[1], test: sizes[2]}
  const wrong = Object.entries(actual).filter(([k, v]) => manifest.counts[k as keyof typeof actual] !== v)
  add('manifest-counts', wrong.length, `dataset.json counts differ from the tables: ${wrong.map(([k, v]) => `${k} ${manifest.counts[k as keyof typeof actual]} vs ${v}`).join(', ')}`)
  return problems
}
