import {afterEach, describe, expect, it} from 'vitest'

import {ImpressionWriter, type ImpressionWriterOptions} from '../../src/lib/store/impression-writer.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import type {Impression, Store} from '../../src/lib/store/types.js'
import {tempDir} from '../helpers/cli.js'

/** A feed of `n` slots for user 1, items 100.. */
const feed = (requestId: string, n: number, ts = 1000): Impression[] =>
  Array.from({length: n}, (_, position) => ({requestId, ts, userId: 1n, itemId: BigInt(100 + position), position, source: 'Popular', score: 1 - position / 10, versions: {retrieval: 'v1'}}))

const counter = () => {
  const c = {n: 0, inc: (by = 1) => void (c.n += by)}
  return c
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('ImpressionWriter', () => {
  let store: SqliteStore
  /** The sizes of the batches the store was handed, one transaction each. */
  let batches: number[]
  /** Set to make the next recordImpressions calls reject; a promise to make them wait for it. */
  let failing: Error | undefined
  let gate: Promise<void> | undefined
  const counters = {logged: counter(), dropped: counter(), flushFailures: counter()}
  const errors: string[] = []

  const open = (options: ImpressionWriterOptions) => {
    store = new SqliteStore(tempDir())
    batches = []
    failing = undefined
    gate = undefined
    for (const c of Object.values(counters)) c.n = 0
    errors.length = 0
    // the real store, with each call recorded and made to fail or wait on demand
    const watched: Store = Object.create(store) as Store
    watched.recordImpressions = async (rows) => {
      batches.push(rows.length)
      if (gate) await gate
      if (failing) throw failing
      return store.recordImpressions(rows)
    }
    return new ImpressionWriter(watched, {counters, onError: (error, rows) => void errors.push(`${(error as Error).message} (${rows} rows)`), ...options})
  }
  afterEach(async () => {
    await store.close()
  })

  it('flushes once batchRows wait, in one transaction, and a partial batch within intervalMs', async () => {
    const writer = open({batchRows: 10, intervalMs: 40})
    for (let f = 0; f < 3; f++) writer.enqueue(feed(`r${f}`, 3))
    expect(batches).toEqual([]) // 9 rows: under the batch, waiting for the timer
    writer.enqueue(feed('r3', 3))
    await sleep(0)
    expect(batches).toEqual([12]) // the 12 queued rows, as one call
    expect(await store.countImpressions()).toBe(12)
    writer.enqueue(feed('r4', 2))
    expect(await store.countImpressions()).toBe(12)
    await sleep(100)
    expect(batches).toEqual([12, 2])
    expect((await store.impressions()).map((r) => `${r.requestId}:${r.position}`)).toEqual([0, 1, 2, 3, 4].flatMap((f) => Array.from({length: f === 4 ? 2 : 3}, (_, p) => `r${f}:${p}`)))
    expect(counters.logged.n).toBe(14)
    expect(counters.dropped.n).toBe(0)
    await writer.close()
  })

  it('drops whole feeds beyond maxQueue and counts their rows; close() flushes what is left, and drops what comes after', async () => {
    const writer = open({maxQueue: 10, batchRows: 1000, intervalMs: 60_000})
    for (let f = 0; f < 4; f++) writer.enqueue(feed(`r${f}`, 3)) // the fourth does not fit: 9 + 3 > 10
    writer.enqueue(feed('r4', 1)) // this one does
    expect(counters.dropped.n).toBe(3)
    expect(batches).toEqual([])
    await writer.close()
    expect(batches).toEqual([10])
    expect(new Set((await store.impressions()).map((r) => r.requestId))).toEqual(new Set(['r0', 'r1', 'r2', 'r4']))
    writer.enqueue(feed('late', 2))
    expect(counters.dropped.n).toBe(5)
    await writer.close()
    expect(await store.countImpressions()).toBe(10)
  })

  it('a failing store never throws into enqueue or flush: the failure is counted and reported, its rows dropped, and the next flush writes', async () => {
    const writer = open({batchRows: 4, intervalMs: 60_000})
    failing = new Error('disk full')
    expect(() => writer.enqueue(feed('r0', 5))).not.toThrow()
    await writer.flush()
    expect(counters.flushFailures.n).toBe(1)
    expect(counters.dropped.n).toBe(5)
    expect(errors).toEqual(['disk full (5 rows)'])
    expect(writer.pending.find(1n, 100n, {since: 0})).toBeUndefined() // released: not findable twice
    failing = undefined
    writer.enqueue(feed('r1', 4))
    await writer.flush()
    expect(counters.logged.n).toBe(4)
    expect(await store.countImpressions()).toBe(4)
    await writer.close()
  })

  it('keeps queued and in-flight rows findable until their flush commits, then the store has them', async () => {
    const writer = open({batchRows: 3, intervalMs: 60_000})
    let open_!: () => void
    gate = new Promise((resolve) => (open_ = resolve))
    writer.enqueue(feed('r0', 3, 1000)) // starts a flush that waits on the gate
    writer.enqueue(feed('r1', 2, 2000)) // queued behind it
    expect(batches).toEqual([3])
    expect(writer.pending.find(1n, 101n, {since: 0})?.requestId).toBe('r1') // the latest of (user, item)
    expect(writer.pending.find(1n, 102n, {since: 0})?.requestId).toBe('r0') // in flight, not yet stored
    expect(writer.pending.find(1n, 102n, {since: 1001})).toBeUndefined() // before the window
    expect(writer.pending.find(1n, 100n, {since: 0, requestId: 'r0'})?.position).toBe(0)
    expect(writer.pending.find(2n, 100n, {since: 0, requestId: 'r0'})).toBeUndefined() // another user's feed
    expect(await store.countImpressions()).toBe(0)
    open_()
    await writer.close()
    expect(batches).toEqual([3, 2])
    expect(writer.pending.find(1n, 100n, {since: 0})).toBeUndefined()
    expect((await store.findImpression(1n, 101n, {since: 0}))?.requestId).toBe('r1')
  })
})
