// Writes the served interactions (from the store) appended to the original tables, as a dataset for the next training run.
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
}

export interface ExportResult {
  out: string
  exported: number
  newUsers: number
  manifest: DatasetManifest
}

/**
 * New interactions get split "train" and source "online" (when the dataset has a source column); unknown
 * users are appended to users.parquet with null features. Re-split with `rec data split` for evaluation.
 */
export async function exportInteractions(options: ExportOptions): Promise<ExportResult> {
  const store = await openStore({state: options.state, store: options.store}, {mustExist: true})
  const dbPath = store.description
  let stored
  try {
    stored = await store.interactions()
  } finally {
    await store.close()
  }
  const dataset = await readDataset(options.dataset)
  if (stored.length === 0) throw new RecError('EMPTY', `${dbPath} holds no interactions`)
  const knownItems = new Set(getColumn(dataset.items, 'item_id', 'int64').values)
  const unknown = stored.find((r) => !knownItems.has(r.itemId))
  if (unknown) throw new RecError('MISMATCH', `${dbPath}: item ${unknown.itemId} is not in ${options.dataset}`, {hint: 'export against the dataset the server ran on'})
  const knownUsers = new Set(getColumn(dataset.users, 'user_id', 'int64').values)
  const newUsers = [...new Set(stored.filter((r) => !knownUsers.has(r.userId)).map((r) => r.userId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const n = stored.length
  const values: Record<string, bigint[] | number[] | string[]> = {
    user_id: stored.map((r) => r.userId),
    item_id: stored.map((r) => r.itemId),
    ts: stored.map((r) => r.ts),
    event: stored.map((r) => r.event),
    weight: stored.map(() => 1),
    split: stored.map(() => 'train'),
    source: stored.map(() => 'online'),
  }
  if (dataset.interactions.dwell_ms && stored.every((r) => r.dwellMs !== undefined)) values.dwell_ms = stored.map((r) => r.dwellMs!)
  if (dataset.interactions.position && stored.every((r) => r.position !== undefined)) values.position = stored.map((r) => r.position!)
  const manifest = await writeDataset(
    options.out,
    {
      name: `${dataset.manifest.name}+online`,
      source: {kind: 'export', params: {from: options.dataset, ...(options.state ? {state: options.state} : {store: dbPath}), interactions: n}},
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
  return {out: options.out, exported: n, newUsers: newUsers.length, manifest}
}
