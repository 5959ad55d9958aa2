// Opens the Store a command names: --store postgres://... (or REC_DATABASE_URL) is PostgreSQL, --state DIR is SQLite.
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {RecError} from '../errors.js'
import {PostgresStore} from './postgres-store.js'
import {SQLITE_FILE, SqliteStore} from './sqlite-store.js'
import type {Store} from './types.js'

export interface StoreLocation {
  /** A state directory (SQLite). */
  state?: string
  /** A PostgreSQL URL (postgres:// or postgresql://). */
  store?: string
}

/** The location with REC_DATABASE_URL filled in when neither flag is given; INVALID_ARGUMENT for both or a URL of another scheme. */
export function resolveStoreLocation(location: StoreLocation, env: NodeJS.ProcessEnv = process.env): StoreLocation {
  if (location.state && location.store) throw new RecError('INVALID_ARGUMENT', 'give --state DIR (SQLite) or --store URL (PostgreSQL), not both')
  const store = location.store ?? (location.state ? undefined : env.REC_DATABASE_URL || undefined)
  if (store !== undefined && !/^postgres(ql)?:\/\//.test(store)) {
    throw new RecError('INVALID_ARGUMENT', `--store must be a postgres:// or postgresql:// URL, got "${store.replace(/:[^:@/]*@/, ':***@')}"`, {hint: 'for SQLite pass --state DIR'})
  }
  return store === undefined ? {state: location.state} : {store}
}

/** The store at `location`; with `mustExist`, NOT_FOUND when a state directory holds nothing yet (readers: export, analytics). */
export async function openStore(location: StoreLocation, options: {mustExist?: boolean} = {}): Promise<Store> {
  const resolved = resolveStoreLocation(location)
  if (resolved.store) return PostgresStore.open(resolved.store)
  if (!resolved.state) throw new RecError('INVALID_ARGUMENT', 'give --state DIR (the state directory of rec serve) or --store postgres://...')
  const path = join(resolved.state, SQLITE_FILE)
  if (options.mustExist && !existsSync(path)) throw new RecError('NOT_FOUND', `${path} does not exist`, {hint: 'pass the --state directory of `rec serve`'})
  return new SqliteStore(resolved.state)
}
