// rec data inspect: schema, counts, split sizes, sparsity, activity and popularity skew, event mix, problems.
import {type ColumnTable, type ColumnType, getColumn, tableLength} from './columns.js'
import {findProblems, type InteractionView, type Problem} from './inspect-checks.js'
import {loadForInspect} from './inspect-load.js'
import {countSummary, DenseIds, headShare} from './inspect-stats.js'
import type {FeatureSpec, SplitSpec} from './manifest.js'
import {SPLITS} from './schema.js'

export interface ColumnInfo {
  name: string
  type: ColumnType
  /** The manifest's feature kind (users and items tables). */
  kind?: FeatureSpec['kind']
  vocabSize?: number
}

export interface SplitStats {
  interactions: number
  users: number
  items: number
}

export interface DatasetReport {
  dir: string
  name: string
  source: string
  fingerprint: string
  split: SplitSpec
  schema: Record<string, ColumnInfo[]>
  rows: {users: number; items: number; interactions: number; follows: number}
  splits: Record<(typeof SPLITS)[number], SplitStats>
  /** First and last interaction, ISO-8601. */
  timeRange: {first: string; last: string} | null
  /** 1 - distinct (user, item) pairs / (users x items), users and items counted from their tables. */
  sparsity: number
  /** Over users with at least one interaction; nearest-rank median and p99. */
  interactionsPerUser: {min: number; median: number; p99: number; max: number; mean: number}
  usersWithoutInteractions: number
  itemsWithoutInteractions: number
  /** Share of interactions on the most popular 1% / 10% of the items table (at least one item). */
  itemHeadShare: {top1pct: number; top10pct: number}
  events: {event: string; count: number; share: number}[]
  problems: Problem[]
}

function schemaOf(table: ColumnTable, specs: Record<string, FeatureSpec> = {}): ColumnInfo[] {
  return Object.entries(table).map(([name, column]) => {
    const spec = specs[name]
    return {name, type: column.type, ...(spec ? {kind: spec.kind} : {}), ...(spec?.vocabSize === undefined ? {} : {vocabSize: spec.vocabSize})}
  })
}

/** Reads `dir` (see loadForInspect) and measures it; problems are reported, not thrown. */
export async function inspectDataset(dir: string): Promise<DatasetReport> {
  const tables = await loadForInspect(dir)
  const {manifest, interactions} = tables
  const userIds = getColumn(tables.users, 'user_id', 'int64').values
  const itemIds = getColumn(tables.items, 'item_id', 'int64').values
  const splitCol = getColumn(interactions, 'split', 'dict')
  const eventCol = getColumn(interactions, 'event', 'dict')
  const splitOf = splitCol.dictionary.map((label) => (SPLITS as readonly string[]).indexOf(label))
  const view: InteractionView = {
    userId: getColumn(interactions, 'user_id', 'int64').values,
    itemId: getColumn(interactions, 'item_id', 'int64').values,
    ts: getColumn(interactions, 'ts', 'timestamp_ms').values,
    weight: getColumn(interactions, 'weight', 'float32').values,
    split: Int8Array.from(splitCol.codes, (c) => splitOf[c]),
    events: eventCol.dictionary,
  }
  const n = view.ts.length

  // --- dense ids: table ids first (repeats collapse), then ids that only interactions name
  const users = new DenseIds()
  const items = new DenseIds()
  for (const id of userIds) users.add(id)
  for (const id of itemIds) items.add(id)
  const tableUsers = users.size
  const tableItems = items.size
  const u = Int32Array.from(view.userId, (id) => users.add(id))
  const it = Int32Array.from(view.itemId, (id) => items.add(id))

  // --- one pass: per split, per user, per item, per (user, item) pair, per event
  const perUser = new Float64Array(users.size)
  const perItem = new Float64Array(items.size)
  const userInSplit = SPLITS.map(() => new Uint8Array(users.size))
  const itemInSplit = SPLITS.map(() => new Uint8Array(items.size))
  const splits = SPLITS.map(() => ({interactions: 0, users: 0, items: 0}))
  const pairs = new Set<number>()
  const eventCounts = new Float64Array(eventCol.dictionary.length)
  let first = Infinity
  let last = -Infinity
  for (let i = 0; i < n; i++) {
    perUser[u[i]]++
    perItem[it[i]]++
    pairs.add(u[i] * items.size + it[i])
    eventCounts[eventCol.codes[i]]++
    if (view.ts[i] < first) first = view.ts[i]
    if (view.ts[i] > last) last = view.ts[i]
    const s = view.split[i]
    if (s < 0) continue
    splits[s].interactions++
    if (!userInSplit[s][u[i]]) {
      userInSplit[s][u[i]] = 1
      splits[s].users++
    }
    if (!itemInSplit[s][it[i]]) {
      itemInSplit[s][it[i]] = 1
      splits[s].items++
    }
  }

  return {
    dir,
    name: manifest.name,
    source: manifest.source.kind,
    fingerprint: manifest.fingerprint,
    split: manifest.split,
    schema: {
      users: schemaOf(tables.users, manifest.features.users),
      items: schemaOf(tables.items, manifest.features.items),
      interactions: schemaOf(interactions),
      ...(tables.follows ? {follows: schemaOf(tables.follows)} : {}),
    },
    rows: {users: userIds.length, items: itemIds.length, interactions: n, follows: tables.follows ? tableLength(tables.follows) : 0},
    splits: {train: splits[0], val: splits[1], test: splits[2]},
    timeRange: n > 0 ? {first: new Date(first).toISOString(), last: new Date(last).toISOString()} : null,
    sparsity: 1 - pairs.size / Math.max(1, tableUsers * tableItems),
    interactionsPerUser: countSummary(perUser.filter((c) => c > 0)),
    usersWithoutInteractions: perUser.subarray(0, tableUsers).filter((c) => c === 0).length,
    itemsWithoutInteractions: perItem.subarray(0, tableItems).filter((c) => c === 0).length,
    itemHeadShare: {top1pct: headShare(perItem, tableItems, 0.01).share, top10pct: headShare(perItem, tableItems, 0.1).share},
    events: eventCol.dictionary
      .map((event, k) => ({event, count: eventCounts[k], share: n > 0 ? eventCounts[k] / n : 0}))
      .filter((e) => e.count > 0)
      .sort((a, b) => b.count - a.count),
    problems: findProblems(tables, view, userIds, itemIds),
  }
}
