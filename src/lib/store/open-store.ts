// Opens the Store a command names: --state DIR is SQLite in that directory.
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {RecError} from '../errors.js'
import {SQLITE_FILE, SqliteStore} from './sqlite-store.js'
import type {Store} from './types.js'

export interface StoreLocation {
  /** A state directory (SQLite). */
  state?: string
}

/** The store at `location`; with `mustExist`, NOT_FOUND when there is nothing stored yet (readers: export, analytics). */
export async function openStore(location: StoreLocation, options: {mustExist?: boolean} = {}): Promise<Store> {
  if (!location.state) throw new RecError('INVALID_ARGUMENT', 'give --state DIR (the state directory of rec serve)')
  const path = join(location.state, SQLITE_FILE)
  if (options.mustExist && !existsSync(path)) throw new RecError('NOT_FOUND', `${path} does not exist`, {hint: 'pass the --state directory of `rec serve`'})
  return new SqliteStore(location.state)
}
