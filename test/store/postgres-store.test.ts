import pg from 'pg'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {PostgresStore, notifyPayloads} from '../../src/lib/store/postgres-store.js'
import {POSTGRES_MIGRATIONS} from '../../src/lib/store/postgres-migrations.js'
import {startPostgres, type TestPostgres} from '../helpers/postgres.js'
import {storeContract} from './contract.js'

let server: TestPostgres
let database = 0
beforeAll(async () => {
  server = await startPostgres()
}, 60_000)
afterAll(() => server?.stop())

/** A fresh database per test, so the contract's tests start empty as they do on SQLite. */
async function freshUrl(): Promise<string> {
  const name = `t${++database}`
  const admin = new pg.Client(server.url)
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  return server.url.replace(/\/rec$/, `/${name}`)
}

const urls = new WeakMap<PostgresStore, string>()
storeContract(
  'PostgreSQL',
  async () => {
    const url = await freshUrl()
    const store = await PostgresStore.open(url)
    urls.set(store, url)
    return store
  },
  async (store) => {
    const url = urls.get(store as PostgresStore)!
    await store.close()
    const next = await PostgresStore.open(url)
    urls.set(next, url)
    return next
  },
)

describe('PostgreSQL store', () => {
  it('replicas migrating at once apply each step once', async () => {
    const url = await freshUrl()
    const stores = await Promise.all([1, 2, 3].map(() => PostgresStore.open(url)))
    expect(await Promise.all(stores.map((s) => s.schemaVersion()))).toEqual([1, 2, 3].map(() => POSTGRES_MIGRATIONS.length))
    await Promise.all(stores.map((s) => s.close()))
  })

  it('refuses to start on a behind schema without migrate, naming the command', async () => {
    const url = await freshUrl()
    await expect(PostgresStore.open(url, {migrate: false})).rejects.toThrow(/has schema version 0; this rec needs \d+/)
  })

  it('tells other replicas which sessions changed, not itself', async () => {
    const url = await freshUrl()
    const [a, b] = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)])
    const heardByA: (bigint[] | undefined)[] = []
    const heardByB: (bigint[] | undefined)[] = []
    await a.watchSessions((ids) => heardByA.push(ids))
    await b.watchSessions((ids) => heardByB.push(ids))
    await a.record([{userId: 5n, itemId: 9n, event: 'like', ts: 1}], new Map([[5n, {history: [9n], seen: [9n], delta: undefined}]]))
    for (let i = 0; i < 100 && heardByB.length === 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(heardByB).toEqual([[5n]])
    expect(heardByA).toEqual([])
    await Promise.all([a.close(), b.close()])
  })

  it('an unreachable database is UNAVAILABLE, and the store works again when it returns', async () => {
    const url = await freshUrl()
    const store = await PostgresStore.open(url, {connectTimeoutMs: 500})
    try {
      await store.record([{userId: 1n, itemId: 2n, event: 'click', ts: 3}], new Map())
      server.pause()
      await expect(store.countInteractions()).rejects.toMatchObject({code: 'UNAVAILABLE', message: expect.stringMatching(/^the store at postgres:\/\/rec@127\.0\.0\.1:\d+\/t\d+ is unavailable/)})
      server.start()
      expect(await store.countInteractions()).toBe(1)
    } finally {
      await store.close()
    }
  }, 60_000)

  it('splits notifications under the payload limit', () => {
    const ids = Array.from({length: 1000}, (_, i) => 9_000_000_000_000_000_000n + BigInt(i))
    const payloads = notifyPayloads('r', ids)
    expect(payloads.length).toBeGreaterThan(1)
    for (const p of payloads) expect(p.length).toBeLessThan(8000)
    expect(payloads.flatMap((p) => p.slice(2).split(',')).map(BigInt)).toEqual(ids)
  })
})
