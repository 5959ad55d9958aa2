// Writes the stored interactions and logged impressions appended to the original tables, as a dataset for the next training run.
import {getColumn} from '../dataset/columns.js'
import type {DatasetManifest} from '../dataset/manifest.js'
import {readDataset, writeDataset} from '../dataset/store.js'
import {RecError} from '../errors.js'
import {appendRows} from './append-rows.js'
import {openStore} from '../store/open-store.js'

export interface ExportOptions {
  /** The state directory of rec serve (SQLite)... */
  state?: string
  /** ...or its PostgreSQL URL. */
  store?: string
  dataset: string
  out: string
  force?: boolean
  /** Also write the logged impressions (event "impression"); default true. */
  impressions?: boolean
}

export interface ExportResult {
  out: string
  /** Interactions written (impressions not included). */
  exported: number
  impressions: number
  newUsers: number
  manifest: DatasetManifest
}

/** One exported row: a stored interaction or a logged impression. */
interface Row {
  userId: bigint
  itemId: bigint
  ts: number
  event: string
  dwellMs?: number
  position?: number
}

/**
 * The exported rows in time order: by ts, an impression before an interaction of the same ts (a response
 * never precedes what it answers: the ranker's impression examples label the latest earlier impression),
 * then in store arrival order. A sort of the stored rows alone, so the same store gives the same bytes.
 */
export function exportOrder(interactions: Row[], impressions: Row[]): Row[] {
  const tagged = [...impressions.map((row, i) => ({row, kind: 0, i})), ...interactions.map((row, i) => ({row, kind: 1, i}))]
  tagged.sort((a, b) => a.row.ts - b.row.ts || a.kind - b.kind || a.i - b.i)
  return tagged.map((t) => t.row)
}

/**
 * New rows get split "train" and source "online" (when the dataset has a source column); dwell_ms and
 * position are written where a row has them (null elsewhere) when the dataset has those columns. Unknown
 * users are appended to users.parquet with null features. Re-split with `rec data split` for evaluation.
 * With impressions the exported dataset has hasImpressions: the ranker then trains on impression examples.
 */
export async function exportInteractions(options: ExportOptions): Promise<ExportResult> {
  const store = await openStore({state: options.state, store: options.store}, {mustExist: true})
  const dbPath = store.description
  let stored
  let shown: Row[] = []
  try {
    stored = await store.interactions()
    if (options.impressions ?? true) shown = (await store.impressions()).map((r) => ({userId: r.userId, itemId: r.itemId, ts: r.ts, event: 'impression', position: r.position}))
  } finally {
    await store.close()
  }
  const dataset = await readDataset(options.dataset)
  if (stored.length === 0 && shown.length === 0) throw new RecError('EMPTY', `${dbPath} holds no interactions or impressions`)
  const rows = exportOrder(stored, shown)
  const knownItems = new Set(getColumn(dataset.items, 'item_id', 'int64').values)
  const unknown = rows.find((r) => !knownItems.has(r.itemId))
  if (unknown) throw new RecError('MISMATCH', `${dbPath}: item ${unknown.itemId} is not in ${options.dataset}`, {hint: 'export against the dataset the server ran on'})
  const knownUsers = new Set(getColumn(dataset.users, 'user_id', 'int64').values)
  const newUsers = [...new Set(rows.filter((r) => !knownUsers.has(r.userId)).map((r) => r.userId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const n = rows.length
  const values: Record<string, bigint[] | (number | null)[] | string[]> = {
    user_id: rows.map((r) => r.userId),
    item_id: rows.map((r) => r.itemId),
    ts: rows.map((r) => r.ts),
    event: rows.map((r) => r.event),
    weight: rows.map(() => 1),
    split: rows.map(() => 'train'),
    source: rows.map(() => 'online'),
  }
  if (dataset.interactions.dwell_ms && rows.some((r) => r.dwellMs !== undefined)) values.dwell_ms = rows.map((r) => r.dwellMs ?? null)
  if (dataset.interactions.position && rows.some((r) => r.position !== undefined)) values.position = rows.map((r) => r.position ?? null)
  const manifest = await writeDataset(
    options.out,
    {
      name: `${dataset.manifest.name}+online`,
      source: {kind: 'export', params: {from: options.dataset, ...(options.state ? {state: options.state} : {store: dbPath}), interactions: stored.length, impressions: shown.length}},
      split: dataset.manifest.split,
      users: appendRows(dataset.users, newUsers.length, {user_id: newUsers}),
      items: dataset.items,
      interactions: appendRows(dataset.interactions, n, values),
      follows: dataset.follows,
      featureOverrides: dataset.manifest.features,
      positives: dataset.manifest.positives,
    },
    {force: options.force},
  )
  return {out: options.out, exported: stored.length, impressions: shown.length, newUsers: newUsers.length, manifest}
}
