// Loads a dataset for inspection: required columns must be there, but bad values are left for the checks.
import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {RecError} from '../errors.js'
import type {ColumnTable} from './columns.js'
import type {DatasetManifest} from './manifest.js'
import {decodeParquet} from './parquet.js'
import {checkColumns, REQUIRED_COLUMNS} from './schema.js'
import {readManifest, TABLE_FILES} from './store.js'

export interface InspectTables {
  manifest: DatasetManifest
  users: ColumnTable
  items: ColumnTable
  interactions: ColumnTable
  follows?: ColumnTable
  /** sha256 over the files as writeDataset computes it, to compare with manifest.fingerprint. */
  fingerprint: string
}

/**
 * Unlike readDataset this does not stop at the first NaN, duplicate id or unknown split label, so
 * that inspect can list them all; a missing file or required column still throws (BAD_SCHEMA).
 */
export async function loadForInspect(dir: string): Promise<InspectTables> {
  const manifest = await readManifest(dir)
  const hash = createHash('sha256')
  const tables: Partial<Record<keyof typeof TABLE_FILES, ColumnTable>> = {}
  for (const name of ['users', 'items', 'interactions', 'follows'] as const) {
    const path = join(dir, TABLE_FILES[name])
    if (name === 'follows' && !existsSync(path)) continue
    let bytes: Uint8Array
    try {
      bytes = await readFile(path)
    } catch {
      throw new RecError('NOT_FOUND', `${path} is missing`)
    }
    hash.update(name).update(bytes)
    const table = decodeParquet(bytes, path)
    checkColumns(table, REQUIRED_COLUMNS[name], path)
    tables[name] = table
  }
  return {
    manifest,
    users: tables.users!,
    items: tables.items!,
    interactions: tables.interactions!,
    follows: tables.follows,
    fingerprint: hash.digest('hex'),
  }
}
