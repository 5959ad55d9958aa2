// Two `rec serve` replicas on one real PostgreSQL: shared sessions, no lost acknowledged write, 503 while the database is away.
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {readDataset} from '../../src/lib/dataset/store.js'
import {PostgresStore} from '../../src/lib/store/postgres-store.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {startPostgres, type TestPostgres} from '../helpers/postgres.js'
import {spawnServer, type ServerProcess} from './spawn-server.js'
import {itemId, trainWorld, type Trained, userId} from './world-fixture.js'

interface FeedBody {
  items: {item_id: string}[]
}

describe('rec serve replicas on PostgreSQL', () => {
  let pg: TestPostgres
  let trained: Trained
  let dir: string
  const servers: ServerProcess[] = []
  beforeAll(async () => {
    dir = tempDir()
    ;[pg, trained] = await Promise.all([startPostgres(), trainWorld(tempDir())])
  }, 120_000)
  afterAll(() => {
    for (const s of servers) s.child.kill('SIGKILL')
    pg?.stop()
  })
  const replica = async (extra: string[] = []) => {
    const server = await spawnServer(['--retrieval', trained.ckpt, '--index', trained.index, '--dataset', trained.dataset, '--workers', '0', '--store', pg.url, ...extra])
    servers.push(server)
    return server
  }
  const feed = async (server: ServerProcess, user: bigint) => {
    const res = await fetch(`${server.url}/v1/recommendations?user_id=${user}&k=10`)
    expect(res.status).toBe(200)
    return ((await res.json()) as FeedBody).items.map((i) => i.item_id)
  }
  const post = (server: ServerProcess, body: unknown) => fetch(`${server.url}/v1/interactions`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)})

  it('an interaction posted to one replica changes the next feed from the other', async () => {
    const [a, b] = await Promise.all([replica(), replica()])
    const user = userId(3)
    const before = await feed(b, user)
    expect(await feed(a, user)).toEqual(before)
    // hide the whole feed on replica a: replica b must stop showing those items at once
    const res = await post(a, before.map((item, i) => ({user_id: String(user), item_id: item, event: 'hide', ts: 1_700_000_000_000 + i})))
    expect(res.status).toBe(201)
    let after = await feed(b, user)
    for (let i = 0; i < 50 && after.some((item) => before.includes(item)); i++) {
      await new Promise((r) => setTimeout(r, 20)) // NOTIFY arrives within ms of the commit
      after = await feed(b, user)
    }
    for (const item of after) expect(before).not.toContain(item)
  })

  it('kill -9 of one replica during a burst loses no acknowledged interaction; export reads them from PostgreSQL', async () => {
    const [a, b] = await Promise.all([replica(), replica()])
    const acked: string[] = []
    let sent = 0
    const worker = async (w: number) => {
      const server = w % 2 === 0 ? a : b
      for (let i = 0; ; i++) {
        const body = {user_id: String(userId(10 + w)), item_id: String(itemId(i % 60)), event: i % 3 === 0 ? 'skip' : 'click', ts: 1_700_000_100_000 + sent++}
        try {
          const res = await post(server, body)
          if (res.status === 201) acked.push(`${body.user_id}:${body.item_id}:${body.ts}`)
        } catch {
          return // the replica died mid-request
        }
        if (server === b && acked.length > 400) return
      }
    }
    const workers = Array.from({length: 8}, (_, w) => worker(w))
    while (acked.length < 200) await new Promise((r) => setTimeout(r, 5))
    a.child.kill('SIGKILL')
    await Promise.all(workers)
    await a.exited
    const store = await PostgresStore.open(pg.url)
    const stored = new Set((await store.interactions()).map((r) => `${r.userId}:${r.itemId}:${r.ts}`))
    await store.close()
    expect(acked.length).toBeGreaterThan(200)
    for (const key of acked) expect(stored.has(key), key).toBe(true)

    const out = join(dir, 'exported')
    const result = runCli(['data', 'export-interactions', '--dataset', trained.dataset, '--out', out, '--json'], {env: {REC_DATABASE_URL: pg.url}})
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout).exported).toBe(stored.size)
    expect((await readDataset(out)).manifest.source.params).toMatchObject({store: expect.stringMatching(/^postgres:\/\/rec@127\.0\.0\.1:\d+\/rec$/)})
  })

  it('while the database is away, writes answer 503 with a clear body and the replica stays up; it recovers', async () => {
    const server = await replica()
    const body = {user_id: String(userId(30)), item_id: String(itemId(1)), event: 'click', ts: 1_700_000_200_000}
    expect((await post(server, body)).status).toBe(201)
    pg.pause()
    try {
      const res = await post(server, {...body, ts: body.ts + 1, user_id: String(userId(31))})
      expect(res.status).toBe(503)
      const error = (await res.json()) as {error: string; message: string}
      expect(error.error).toBe('UNAVAILABLE')
      expect(error.message).toMatch(/^the store at postgres:\/\/rec@127\.0\.0\.1:\d+\/rec is unavailable/)
      // a feed for a user whose session is cached needs no database
      expect((await fetch(`${server.url}/v1/recommendations?user_id=${userId(30)}&k=5`)).status).toBe(200)
      expect((await fetch(`${server.url}/healthz`)).status).toBeLessThan(500)
    } finally {
      pg.start()
    }
    let status = 0
    for (let i = 0; i < 100 && status !== 201; i++) {
      status = (await post(server, {...body, ts: body.ts + 2})).status
      if (status !== 201) await new Promise((r) => setTimeout(r, 100))
    }
    expect(status).toBe(201)
    expect(server.child.exitCode).toBeNull()
  }, 60_000)

  it('rec store migrate reports the version; a down database fails serve with one line, exit 2', async () => {
    const result = runCli(['store', 'migrate', '--store', pg.url, '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({from: expect.any(Number), to: expect.any(Number)})
    const down = runCli(['serve', '--retrieval', trained.ckpt, '--dataset', trained.dataset, '--store', 'postgres://rec@127.0.0.1:1/rec', '--port', '0'])
    expect(down.code).toBe(2)
    expect(down.stderr).toMatch(/^rec: error: the store at postgres:\/\/rec@127\.0\.0\.1:1\/rec is unavailable: .*\n$/)
    const bad = runCli(['serve', '--retrieval', trained.ckpt, '--dataset', trained.dataset, '--store', 'mysql://x', '--port', '0'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--store must be a postgres:\/\/ or postgresql:\/\/ URL/)
  })
})
