import {existsSync, mkdirSync, readFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {beforeAll, describe, expect, it} from 'vitest'

import {getColumn} from '../../src/lib/dataset/columns.js'
import {readDataset} from '../../src/lib/dataset/store.js'
import {SqliteStore} from '../../src/lib/store/sqlite-store.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {spawnServer} from './spawn-server.js'
import {itemId, trainWorld, type Trained, userId} from './world-fixture.js'

/** Screenshots outlive the test's temp dirs: REC_TEST_OUTPUT, else <tmpdir>/rec-test-output. */
const SHOTS = process.env.REC_TEST_OUTPUT ?? join(tmpdir(), 'rec-test-output')

describe('rec serve (child process)', () => {
  let trained: Trained
  let dir: string
  beforeAll(async () => {
    dir = tempDir()
    trained = await trainWorld(dir)
  })
  const modelFlags = () => ['--retrieval', trained.ckpt, '--index', trained.index, '--dataset', trained.dataset]

  it('kill -9 during a burst of feeds and interactions loses no interaction that got a 2xx, and of the feeds answered at most the last unflushed batch of impressions; export writes both as a dataset', async () => {
    const state = join(dir, 'state-kill')
    const server = await spawnServer([...modelFlags(), '--state', state])
    const acked: string[] = []
    let sent = 0
    const worker = async (w: number) => {
      for (let i = 0; ; i++) {
        const body = {user_id: String(userId(w)), item_id: String(itemId(i % 60)), event: i % 3 === 0 ? 'skip' : 'click', ts: 1_700_000_000_000 + sent++}
        try {
          const res = await fetch(`${server.url}/v1/interactions`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)})
          if (res.status === 201) acked.push(`${body.user_id}:${body.item_id}:${body.ts}`)
        } catch {
          return // the server died mid-request
        }
      }
    }
    // a feed counts as answered once its whole body is read; sentAt/receivedAt order feeds causally
    type Answered = {requestId: string; user: string; items: string[]; sentAt: number; receivedAt: number}
    const feeds: Answered[] = []
    const reader = async (w: number) => {
      for (let i = 0; ; i++) {
        const user = String(userId(10 + ((w * 7 + i) % 30)))
        const sentAt = performance.now()
        try {
          const res = await fetch(`${server.url}/v1/recommendations?user_id=${user}&k=10`)
          const body = (await res.json()) as {request_id: string; items: {item_id: string}[]}
          if (res.status === 200) feeds.push({requestId: body.request_id, user, items: body.items.map((item) => item.item_id), sentAt, receivedAt: performance.now()})
        } catch {
          return
        }
      }
    }
    const workers = [...Array.from({length: 8}, (_, w) => worker(w)), ...Array.from({length: 4}, (_, w) => reader(w))]
    while (acked.length < 150 || feeds.length < 40) await new Promise((r) => setTimeout(r, 5))
    server.child.kill('SIGKILL')
    await Promise.all(workers)
    await server.exited
    const store = new SqliteStore(state)
    const stored = new Set((await store.interactions()).map((r) => `${r.userId}:${r.itemId}:${r.ts}`))
    const impressions = await store.impressions()
    await store.close()
    expect(acked.length).toBeGreaterThanOrEqual(150)
    for (const key of acked) expect(stored.has(key), key).toBe(true)

    // impressions: a feed is stored whole or not at all (one transaction per flush, whole feeds per enqueue),
    // every stored slot is what the feed showed, and what is missing is at most one batch (1,000 rows) ...
    const byFeed = new Map<string, typeof impressions>()
    for (const r of impressions) byFeed.set(r.requestId, [...(byFeed.get(r.requestId) ?? []), r])
    const missing = feeds.filter((f) => !byFeed.has(f.requestId))
    for (const f of feeds.filter((f) => byFeed.has(f.requestId))) {
      expect(byFeed.get(f.requestId)!.map((r) => [String(r.userId), String(r.itemId), r.position])).toEqual(f.items.map((item, position) => [f.user, item, position]))
    }
    expect(missing.reduce((n, f) => n + f.items.length, 0)).toBeLessThanOrEqual(1000)
    expect(missing.length).toBeLessThan(feeds.length)
    // ... and the last one: no feed requested after a missing feed was answered is stored (the queue is FIFO)
    for (const m of missing) for (const f of feeds) if (f.sentAt > m.receivedAt) expect(byFeed.has(f.requestId), `${f.requestId} after ${m.requestId}`).toBe(false)

    const out = join(dir, 'exported')
    const result = runCli(['data', 'export-interactions', '--state', state, '--dataset', trained.dataset, '--out', out, '--json'])
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toMatchObject({exported: stored.size, impressions: impressions.length})
    const exported = await readDataset(out)
    const original = await readDataset(trained.dataset)
    expect(getColumn(exported.interactions, 'user_id', 'int64').values.length).toBe(getColumn(original.interactions, 'user_id', 'int64').values.length + stored.size + impressions.length)
    expect(exported.manifest.source.kind).toBe('export')
    expect(exported.manifest.hasImpressions).toBe(true)
  })

  it('a busy port fails at once with exit 2 and one line naming it, before loading, creating no --state', async () => {
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen({host: '127.0.0.1', port: 0}, resolve))
    const port = (holder.address() as {port: number}).port
    try {
      const state = join(dir, 'state-busy')
      const started = Date.now()
      const result = runCli(['serve', ...modelFlags(), '--state', state, '--host', '127.0.0.1', '--port', String(port)])
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr).toBe(`rec: error: port ${port} on 127.0.0.1 is already in use (stop the server holding it or choose another --port (0 = any free port))\n`)
      expect(existsSync(state)).toBe(false)
      // no model is loaded: the CLI's start-up alone (loading takes seconds more)
      expect(Date.now() - started).toBeLessThan(15_000)
    } finally {
      holder.close()
    }
  })

  it('logs one JSON line per request and shuts down gracefully on SIGTERM (db closed)', async () => {
    const state = join(dir, 'state-term')
    const server = await spawnServer([...modelFlags(), '--state', state])
    const slow = fetch(`${server.url}/v1/recommendations?user_id=${userId(1)}&k=5`)
    const res = await fetch(`${server.url}/v1/interactions`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify({user_id: 5, item_id: String(itemId(2)), event: 'like'})})
    expect(res.status).toBe(201)
    server.child.kill('SIGTERM')
    expect((await slow).status).toBe(200)
    expect(await server.exited).toBe(0)
    const lines = server.logs().trim().split('\n').map((l) => JSON.parse(l) as {msg: string; route?: string; status?: number})
    const requests = lines.filter((l) => l.msg === 'request')
    expect(requests.map((l) => l.route).sort()).toEqual(['/v1/interactions', '/v1/recommendations'])
    // a clean close checkpoints the WAL and removes it
    expect(existsSync(join(state, 'interactions.sqlite-wal'))).toBe(false)
  })

  it('hands each JSON log line to a piped stdout at once, and keeps human text on stderr; --log-format pretty puts readable lines on stderr', async () => {
    const waitFor = async (read: () => string, pattern: RegExp) => {
      const deadline = Date.now() + 5_000
      while (!pattern.test(read()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
      return read()
    }
    const json = await spawnServer([...modelFlags(), '--workers', '0'])
    try {
      // the server keeps running: nothing but promptness can bring the lines in
      await fetch(`${json.url}/healthz`)
      expect(await waitFor(json.logs, /"route":"\/healthz"/)).toMatch(/"route":"\/healthz"/)
      await fetch(`${json.url}/v1/recommendations?user_id=${userId(1)}&k=3`)
      const logs = await waitFor(json.logs, /"route":"\/v1\/recommendations"/)
      const lines = logs.trim().split('\n')
      for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow()
      expect(lines.map((l) => (JSON.parse(l) as {msg: string}).msg)).toEqual(expect.arrayContaining(['request']))
      for (const line of json.stderr().trim().split('\n')) expect(line.startsWith('{'), line).toBe(false)
    } finally {
      json.child.kill('SIGTERM')
      expect(await json.exited).toBe(0)
    }

    const pretty = await spawnServer([...modelFlags(), '--workers', '0', '--log-format', 'pretty'])
    try {
      await fetch(`${pretty.url}/v1/items/${itemId(1)}/similar?k=2`)
      expect(await waitFor(pretty.stderr, /GET \/v1\/items/)).toMatch(/^\d\d:\d\d:\d\d\.\d{3} GET \/v1\/items\/\d+\/similar\?k=2 200 [\d.]+ ms$/m)
    } finally {
      pretty.child.kill('SIGTERM')
      expect(await pretty.exited).toBe(0)
    }
    expect(pretty.logs()).toBe('')
  })

  it('serves the feed page; headless Chromium renders posts (title, @author, topic, age, reason, buttons), a like click posts and shows in recent actions, the debug toggle reveals stages; a screenshot is saved', async () => {
    if (!existsSync('/usr/bin/chromium')) return
    const server = await spawnServer([...modelFlags(), '--state', join(dir, 'state-page')])
    try {
      const html = await (await fetch(`${server.url}/`)).text()
      expect(html).toContain('<ol id="feed">')
      expect(html).not.toMatch(/<link|@import|url\(|src=/i) // self-contained
      const {renderPage, screenshotPage} = await import('./headless.js')
      const page = `${server.url}/?user=${userId(4)}`
      const dom = await renderPage(page)
      const cards = [...dom.matchAll(/<li class="card" data-item="(\d+)" data-source="(\w+)">([\s\S]*?)<\/li>/g)]
      expect(cards.length).toBe(10)
      expect(dom).toContain('Your feed · 10 posts')
      for (const [, id, , body] of cards) {
        const i = Number(BigInt(id) - itemId(0))
        expect(body).toContain(`<span class="author">@user${userId(i % 10)}</span>`)
        expect(body).toContain(`<span class="topic">#${i < 30 ? 'a' : 'b'}${i % 3}</span>`)
        expect(body).toMatch(/<span class="age">\d+ (min|h|d|mo|y) ago<\/span>|<span class="age">just now<\/span>/)
        expect(body).toMatch(/<div class="title">A post about [ab]\d<\/div>/)
        expect(body).toMatch(/<p class="reason">[^<]+<\/p>/)
        expect(body).not.toMatch(/<p class="reason">[^<]*(item \d|@\d)/) // reasons name posts and handles, not ids
        for (const b of ['like', 'skip', 'hide']) expect(body).toContain(`<button class="${b}" type="button" aria-pressed="false">`)
        expect(body).not.toContain('item ' + id) // no raw ids on the card outside the debug line
      }
      // debug is off: the debug lines are in the DOM but hidden, and no stage table was asked for
      expect(dom).not.toMatch(/<body[^>]*class="debug"/)
      expect(dom).toContain('<table id="stages"></table>')
      expect(dom).toContain('Nothing yet: like, skip or hide a post.')

      // the page clicks the first card's like button itself (#autoclick=like): it posts, lists it under recent actions, refreshes
      const liked = cards[0][1]
      const after = await renderPage(`${page}#autoclick=like`)
      expect(after).toMatch(/<li data-event="like"><span class="what">Liked “A post about [ab]\d” <\/span><span class="when">/)
      expect(after).toMatch(/<div id="toast"[^>]*>Liked — you will see more like this<\/div>/) // the toast (faded by now in virtual time)
      expect(after).toContain('data-loaded="2"') // the feed was fetched again after the like
      const next = [...after.matchAll(/<li class="card" data-item="(\d+)"/g)].map((m) => m[1])
      expect(next).toHaveLength(10)
      expect(next).not.toContain(liked) // the server stored the like: the refreshed feed leaves the item out
      const again = await (await fetch(`${server.url}/v1/recommendations?user_id=${userId(4)}&k=10`)).json() as {items: {item_id: string}[]}
      expect(again.items.map((item) => item.item_id)).not.toContain(liked)

      // the debug toggle: sources, scores and per-stage timings
      const debug = await renderPage(`${page}&debug=1`)
      expect(debug).toMatch(/<body[^>]*class="debug"/)
      expect(debug).toMatch(/<div class="dbg">#1 · source \w+ · score -?\d+\.\d{3}/)
      expect(debug).toMatch(/<tr><td>source<\/td><td>OutOfNetwork<\/td><td class="n">\d+→\d+<\/td><td class="n">\d+\.\d\d ms<\/td><\/tr>/)
      expect(debug).toContain('candidates per source: ')

      // screenshots after a like, as a person sees it and with debug on, kept under the test output folder to look at
      mkdirSync(SHOTS, {recursive: true})
      for (const [name, query] of [['feed-page.png', ''], ['feed-page-debug.png', '&debug=1']]) {
        const png = join(SHOTS, name)
        await screenshotPage(`${server.url}/?user=${userId(6)}${query}#autoclick=like`, png)
        const bytes = readFileSync(png)
        expect(bytes.subarray(1, 4).toString()).toBe('PNG')
        expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 1000])
        expect(bytes.length).toBeGreaterThan(30_000) // a blank page is ~4 KB
      }
    } finally {
      server.child.kill('SIGTERM')
      await server.exited
    }
  })
})
