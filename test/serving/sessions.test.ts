import {join} from 'node:path'

import Database from 'better-sqlite3'
import {describe, expect, it} from 'vitest'

import {addPositive, Sessions} from '../../src/lib/serving/sessions.js'
import {SQLITE_MIGRATIONS} from '../../src/lib/store/sqlite-migrations.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import {tempDir} from '../helpers/cli.js'

describe('sessions', () => {
  it('reading a user without a session keeps nothing; changing one keeps it', () => {
    const sessions = new Sessions(undefined)
    const empty = sessions.peek(7n)
    expect(empty).toEqual({history: [], seen: [], delta: undefined})
    expect(() => empty.history.push(1n)).toThrow()
    expect(sessions.peek(8n)).toBe(empty) // one shared empty session, not one per user
    sessions.get(7n).history.push(42n)
    expect(sessions.peek(7n).history).toEqual([42n])
    expect(sessions.peek(8n).history).toEqual([])
  })

  it('a stored session is read once and kept', async () => {
    const store = new SqliteStore(tempDir())
    try {
      const state = {history: [5n], seen: [5n, 6n], delta: Float32Array.of(0.5, -0.5)}
      await store.record([{userId: 3n, itemId: 5n, event: 'like', ts: 1}], new Map([[3n, state]]))
      const sessions = new Sessions(store)
      expect(sessions.peek(3n).history).toEqual([]) // not read before load
      await Promise.all([sessions.load(3n), sessions.load(3n)])
      const read = sessions.peek(3n)
      expect(read).toEqual(state)
      expect(sessions.peek(3n)).toBe(read)
      expect(sessions.get(3n)).toBe(read)
    } finally {
      await store.close()
    }
  })

  it('keeps the event of each session positive; a session stored before events were kept loads with them unknown', async () => {
    const dir = tempDir()
    // the sessions table as earlier versions wrote it: no history_events column
    const old = new Database(join(dir, 'interactions.sqlite'))
    old.exec(SQLITE_MIGRATIONS[0])
    old.prepare('INSERT INTO sessions (user_id, history, seen, delta) VALUES (?, ?, ?, ?)').run('3', '["5"]', '["5","6"]', null)
    old.close()
    let store = new SqliteStore(dir)
    try {
      const state = (await store.session(3n))!
      expect(state).toEqual({history: [5n], seen: [5n, 6n], delta: undefined})
      expect(state.historyEvents).toBeUndefined()
      addPositive(state, 7n, 'click')
      addPositive(state, 8n, 'share')
      expect(state.history).toEqual([5n, 7n, 8n])
      expect(state.historyEvents).toEqual(['', 'click', 'share'])
      await store.record([{userId: 3n, itemId: 7n, event: 'click', ts: 1}], new Map([[3n, state]]))
      await store.close()
      store = new SqliteStore(dir)
      expect(await store.session(3n)).toEqual(state)
      expect((await store.session(3n))!.historyEvents).toEqual(['', 'click', 'share'])
    } finally {
      await store.close()
    }
  })
})
