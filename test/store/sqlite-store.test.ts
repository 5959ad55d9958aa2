import {join} from 'node:path'

import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'

import {SQLITE_MIGRATIONS} from '../../src/lib/store/sqlite-migrations.js'
import {SQLITE_FILE, SqliteStore} from '../../src/lib/store/sqlite-store.js'
import {tempDir} from '../helpers/cli.js'
import {storeContract} from './contract.js'

const dirs = new WeakMap<SqliteStore, string>()
storeContract(
  'SQLite',
  async () => {
    const dir = tempDir()
    const store = new SqliteStore(dir)
    dirs.set(store, dir)
    return store
  },
  async (store) => {
    const dir = dirs.get(store as SqliteStore)!
    await store.close()
    const next = new SqliteStore(dir)
    dirs.set(next, dir)
    return next
  },
)

describe('SQLite migrations', () => {
  it('upgrades a state directory written before versioning, keeping its rows', async () => {
    const dir = tempDir()
    const old = new Database(join(dir, SQLITE_FILE))
    old.exec(SQLITE_MIGRATIONS[0])
    old.prepare('INSERT INTO interactions (user_id, item_id, event, ts, received_at) VALUES (?, ?, ?, ?, ?)').run('4', '9', 'like', 12, 13)
    old.close()
    const store = new SqliteStore(dir)
    try {
      expect(await store.interactions()).toEqual([{userId: 4n, itemId: 9n, event: 'like', ts: 12, dwellMs: undefined, position: undefined, requestId: undefined}])
      await store.recordImpressions([{requestId: 'r', ts: 1, userId: 4n, itemId: 9n, position: 0, source: 'Popular', score: 1, versions: {}}])
      expect(await store.countImpressions()).toBe(1)
    } finally {
      await store.close()
    }
    const db = new Database(join(dir, SQLITE_FILE))
    expect(db.pragma('user_version', {simple: true})).toBe(SQLITE_MIGRATIONS.length)
    db.close()
  })

  it('refuses a database from a newer rec', () => {
    const dir = tempDir()
    const db = new Database(join(dir, SQLITE_FILE))
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length + 1}`)
    db.close()
    expect(() => new SqliteStore(dir)).toThrow(/has schema version \d+, newer than this rec's/)
  })
})
