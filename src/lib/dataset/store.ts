// Reads and writes a dataset directory: four Parquet tables, truth/ (optional) and dataset.json.
import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {RecError} from '../errors.js'
import {writeDirAtomic, writeFileAtomic} from '../io/atomic.js'
import {type ColumnTable, getColumn, tableLength, takeRows} from './columns.js'
import {DATASET_FORMAT, type DatasetManifest, DatasetManifestSchema, type FeatureSpec, type SplitSpec, type WindowSpec} from './manifest.js'
import {decodeParquet, encodeParquet} from './parquet.js'
import {checkColumns, checkFinite, checkUniqueIds, EVENTS, OPTIONAL_INTERACTION_COLUMNS, REQUIRED_COLUMNS, SPLITS} from './schema.js'
import {timeOrder} from './split.js'

export interface Dataset {
  manifest: DatasetManifest
  users: ColumnTable
  items: ColumnTable
  /** Sorted by (ts, source order); see timeOrder. */
  interactions: ColumnTable
  follows?: ColumnTable
}

/** What a generator or importer hands over; counts, events and fingerprint are derived on write. */
export interface DatasetDraft {
  name: string
  source: DatasetManifest['source']
  split: SplitSpec
  window?: WindowSpec
  users: ColumnTable
  items: ColumnTable
  interactions: ColumnTable
  follows?: ColumnTable
  /** Column kinds where inference would guess wrong (ids and labels). */
  featureOverrides?: {users?: Record<string, FeatureSpec>; items?: Record<string, FeatureSpec>}
  positives: Record<string, number>
  /** Extra files written inside the directory before it is renamed into place (e.g. truth/). */
  writeExtra?: (dir: string) => Promise<void>
}

export const TABLE_FILES = {
  users: 'users.parquet',
  items: 'items.parquet',
  interactions: 'interactions.parquet',
  follows: 'follows.parquet',
} as const

/** Infers a spec per column from its type; `idColumn` itself is not a feature. */
export function inferFeatureSpecs(table: ColumnTable, idColumn: string, overrides: Record<string, FeatureSpec> = {}): Record<string, FeatureSpec> {
  const specs: Record<string, FeatureSpec> = {}
  for (const [name, column] of Object.entries(table)) {
    if (name === idColumn) continue
    if (overrides[name]) {
      specs[name] = overrides[name]
      continue
    }
    switch (column.type) {
      case 'dict':
        specs[name] = {kind: 'categorical', vocabSize: column.dictionary.length}
        break
      case 'list_utf8':
        specs[name] = {kind: 'multi-categorical', vocabSize: new Set(column.values.flat()).size}
        break
      case 'utf8':
        specs[name] = {kind: 'text'}
        break
      case 'int64':
        specs[name] = {kind: 'id'}
        break
      default:
        specs[name] = {kind: 'numeric'}
    }
  }
  return specs
}

function splitCounts(interactions: ColumnTable): {train: number; val: number; test: number} {
  const split = interactions.split
  const counts = [0, 0, 0]
  if (split.type === 'dict') for (const code of split.codes) counts[SPLITS.indexOf(split.dictionary[code] as (typeof SPLITS)[number])]++
  return {train: counts[0], val: counts[1], test: counts[2]}
}

/** Orders interactions by (ts, source order) so that files are in time order. */
export function sortByTime(interactions: ColumnTable): ColumnTable {
  const ts = interactions.ts
  if (ts.type !== 'timestamp_ms') throw new RecError('BAD_SCHEMA', 'interactions.ts must be timestamp_ms')
  const order = timeOrder(ts.values)
  for (let i = 0; i < order.length; i++) if (order[i] !== i) return takeRows(interactions, order)
  return interactions
}

/**
 * Writes `draft` as a dataset directory at `out`, atomically. Returns the manifest written.
 * Interactions are sorted by time first; the fingerprint hashes the table bytes.
 */
export async function writeDataset(out: string, draft: DatasetDraft, options: {force?: boolean} = {}): Promise<DatasetManifest> {
  checkColumns(draft.users, REQUIRED_COLUMNS.users, TABLE_FILES.users)
  checkColumns(draft.items, REQUIRED_COLUMNS.items, TABLE_FILES.items)
  checkColumns(draft.interactions, REQUIRED_COLUMNS.interactions, TABLE_FILES.interactions)
  if (draft.follows) checkColumns(draft.follows, REQUIRED_COLUMNS.follows, TABLE_FILES.follows)
  const interactions = sortByTime(draft.interactions)
  return writeDirAtomic(out, options.force ?? false, async (dir) => {
    const hash = createHash('sha256')
    const tables: [keyof typeof TABLE_FILES, ColumnTable | undefined][] = [
      ['users', draft.users],
      ['items', draft.items],
      ['interactions', interactions],
      ['follows', draft.follows],
    ]
    for (const [name, table] of tables) {
      if (!table) continue
      const bytes = encodeParquet(table)
      hash.update(name).update(bytes)
      await writeFileAtomic(join(dir, TABLE_FILES[name]), bytes)
    }
    const event = interactions.event
    const used = new Uint8Array(event.type === 'dict' ? event.dictionary.length : 0)
    if (event.type === 'dict') for (let i = 0; i < event.codes.length; i++) used[event.codes[i]] = 1
    const events = event.type === 'dict' ? [...new Set(event.dictionary.filter((_, code) => used[code]))] : []
    events.sort((a, b) => EVENTS.indexOf(a as never) - EVENTS.indexOf(b as never))
    const manifest: DatasetManifest = {
      format: DATASET_FORMAT,
      name: draft.name,
      createdBy: 'rec',
      source: draft.source,
      split: draft.split,
      ...(draft.window ? {window: draft.window} : {}),
      counts: {
        users: tableLength(draft.users),
        items: tableLength(draft.items),
        interactions: tableLength(interactions),
        follows: draft.follows ? tableLength(draft.follows) : 0,
        ...splitCounts(interactions),
      },
      events,
      features: {
        users: inferFeatureSpecs(draft.users, 'user_id', draft.featureOverrides?.users),
        items: inferFeatureSpecs(draft.items, 'item_id', draft.featureOverrides?.items),
      },
      positives: draft.positives,
      hasImpressions: events.includes('impression'),
      fingerprint: hash.digest('hex'),
    }
    if (draft.writeExtra) await draft.writeExtra(dir)
    await writeFileAtomic(join(dir, 'dataset.json'), JSON.stringify(manifest, null, 2) + '\n')
    return manifest
  })
}

/** Reads and validates dataset.json alone (cheap: for fingerprint checks). */
export async function readManifest(dir: string): Promise<DatasetManifest> {
  const path = join(dir, 'dataset.json')
  if (!existsSync(dir) || !(await stat(dir)).isDirectory()) {
    throw new RecError('NOT_FOUND', `dataset directory ${dir} does not exist`, {hint: 'create one with rec gen-data or rec data import'})
  }
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RecError('NOT_FOUND', `${path} is missing: ${dir} is not a rec dataset`)
    throw new RecError('BAD_DATA', `${path} is not valid JSON: ${(error as Error).message}`)
  }
  const parsed = DatasetManifestSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new RecError('BAD_SCHEMA', `${path}: field "${issue.path.join('.')}" ${issue.message}`)
  }
  return parsed.data
}

async function readTable(dir: string, file: string): Promise<ColumnTable> {
  const path = join(dir, file)
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch {
    throw new RecError('NOT_FOUND', `${path} is missing`)
  }
  return decodeParquet(bytes, path)
}

/** Reads a whole dataset and checks the contract: required columns and types, finite values, unique ids. */
export async function readDataset(dir: string): Promise<Dataset> {
  const manifest = await readManifest(dir)
  const users = await readTable(dir, TABLE_FILES.users)
  const items = await readTable(dir, TABLE_FILES.items)
  const interactions = await readTable(dir, TABLE_FILES.interactions)
  const follows = existsSync(join(dir, TABLE_FILES.follows)) ? await readTable(dir, TABLE_FILES.follows) : undefined
  checkColumns(users, REQUIRED_COLUMNS.users, join(dir, TABLE_FILES.users))
  checkColumns(items, REQUIRED_COLUMNS.items, join(dir, TABLE_FILES.items))
  checkColumns(interactions, {...REQUIRED_COLUMNS.interactions}, join(dir, TABLE_FILES.interactions))
  for (const [name, types] of Object.entries(OPTIONAL_INTERACTION_COLUMNS)) {
    if (interactions[name]) checkColumns(interactions, {[name]: types}, join(dir, TABLE_FILES.interactions))
  }
  if (follows) checkColumns(follows, REQUIRED_COLUMNS.follows, join(dir, TABLE_FILES.follows))
  checkFinite(interactions.weight, 'weight', join(dir, TABLE_FILES.interactions))
  checkUniqueIds(getColumn(users, 'user_id', 'int64').values, 'user_id', join(dir, TABLE_FILES.users))
  checkUniqueIds(getColumn(items, 'item_id', 'int64').values, 'item_id', join(dir, TABLE_FILES.items))
  const split = interactions.split
  if (split.type === 'dict') {
    const bad = split.dictionary.find((s) => !(SPLITS as readonly string[]).includes(s))
    if (bad !== undefined) throw new RecError('BAD_DATA', `${join(dir, TABLE_FILES.interactions)}: unknown split "${bad}" (expected train|val|test)`)
  }
  return {manifest, users, items, interactions, follows}
}
