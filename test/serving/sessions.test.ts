import {describe, expect, it} from 'vitest'

import {Sessions} from '../../src/lib/serving/sessions.js'
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
})
