// rec data import csv: an interactions CSV/TSV/Parquet file (+ optional users/items files) -> dataset.
import {basename, extname} from 'node:path'

import {RecError} from '../../errors.js'
import {assertWritable} from '../../io/atomic.js'
import {type Reporter, silentReporter} from '../../reporter.js'
import type {DatasetManifest} from '../manifest.js'
import type {SplitRequest} from '../split.js'
import {writeDataset} from '../store.js'
import {assembleDraft} from './assemble.js'
import type {ColumnMap} from './column-map.js'
import {readFeatureTable} from './feature-table.js'
import {readInteractionsFile} from './interactions-reader.js'
import {defaultPositives} from './raw-interactions.js'
import {tabularFormat} from './tabular.js'
import type {TsFormat} from './timestamps.js'

export interface CsvImportOptions {
  out: string
  /** Field -> column; unmapped fields use a column of the same name when there is one. */
  map?: ColumnMap
  users?: string
  items?: string
  /** Id columns of the users/items files; default "user_id" / "item_id". */
  usersIdCol?: string
  itemsIdCol?: string
  /** "|"-separated list columns of the users/items files (each must exist in one of them). */
  multiColumns?: string[]
  tsFormat?: TsFormat
  split?: SplitRequest
  /** Dataset name; default the interactions file's name without extension. */
  name?: string
  force?: boolean
  reporter?: Reporter
}

/**
 * Imports `file` into a dataset directory at `options.out` (written atomically; nothing on failure).
 * Every interaction's user and item appears in users.parquet / items.parquet, with missing features
 * when the optional files lack them. Positives: {rating: 1} or {click: 1} for a file without an
 * event column (rating when it has weights), else every engagement event present with weight 1.
 */
export async function importCsv(file: string, options: CsvImportOptions): Promise<DatasetManifest> {
  const reporter = options.reporter ?? silentReporter
  assertWritable(options.out, options.force ?? false)
  for (const path of [file, options.users, options.items]) if (path !== undefined) tabularFormat(path)

  const read = await readInteractionsFile(file, {map: options.map ?? {}, tsFormat: options.tsFormat ?? 'auto', reporter})
  const multiColumns = options.multiColumns ?? []
  const users = options.users === undefined ? undefined : await readFeatureTable(options.users, {idColumn: options.usersIdCol ?? 'user_id', outIdColumn: 'user_id', multiColumns, reporter})
  const items = options.items === undefined ? undefined : await readFeatureTable(options.items, {idColumn: options.itemsIdCol ?? 'item_id', outIdColumn: 'item_id', multiColumns, reporter})
  const unknownMulti = multiColumns.find((c) => !(users && c in users) && !(items && c in items))
  if (unknownMulti !== undefined) throw new RecError('BAD_SCHEMA', `--multi column "${unknownMulti}" is in neither the users nor the items file`)

  const events = read.interactions.event.dictionary
  const draft = assembleDraft(
    {
      name: options.name ?? basename(file, extname(file)),
      source: {
        kind: 'csv',
        params: {
          file,
          map: options.map ?? {},
          users: options.users ?? null,
          items: options.items ?? null,
          tsFormat: read.tsFormat,
          eventSource: read.eventSource,
          multiColumns,
        },
      },
      interactions: read.interactions,
      users,
      items,
      split: options.split ?? {method: 'leave-last-out'},
      positives: read.eventSource === 'default' ? {[events[0]]: 1} : defaultPositives(events),
    },
    reporter,
  )
  return writeDataset(options.out, draft, {force: options.force})
}
