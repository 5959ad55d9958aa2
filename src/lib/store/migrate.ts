// `rec store migrate`: brings a store's schema up to date without starting a server (a deploy step before replicas roll).
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import Database from 'better-sqlite3'

import {openStore, resolveStoreLocation, type StoreLocation} from './open-store.js'
import {PostgresStore} from './postgres-store.js'
import {SQLITE_FILE} from './sqlite-store.js'

export interface MigrateResult {
  store: string
  /** Schema version before and after. */
  from: number
  to: number
}

export async function migrateStore(location: StoreLocation): Promise<MigrateResult> {
  const resolved = resolveStoreLocation(location)
  const from = resolved.store ? await PostgresStore.peekVersion(resolved.store) : sqliteVersion(resolved.state)
  // opening applies the pending steps
  const store = await openStore(resolved)
  try {
    return {store: store.description, from, to: await store.schemaVersion()}
  } finally {
    await store.close()
  }
}

function sqliteVersion(dir: string | undefined): number {
  const path = dir && join(dir, SQLITE_FILE)
  if (!path || !existsSync(path)) return 0
  const db = new Database(path, {readonly: true})
  try {
    return db.pragma('user_version', {simple: true}) as number
  } finally {
    db.close()
  }
}
