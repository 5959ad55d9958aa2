import {cpSync} from 'node:fs'
import {join} from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {beforeAll, describe, expect, it} from 'vitest'

import {registerCheckpoint, setAlias} from '../../src/lib/registry/index.js'
import {startServer} from '../../src/lib/serving/server.js'
import {RetrievalConfigSchema} from '../../src/lib/models/two-tower/config.js'
import {trainRetrieval} from '../../src/lib/training/train-retrieval.js'
import {tempDir} from '../helpers/cli.js'
import {trainWorld, type Trained, userId} from './world-fixture.js'

const TOKEN = 't0k'

/** Fires feed requests until `stop()` resolves; returns every status seen. */
async function hammer(url: string, stop: Promise<unknown>): Promise<number[]> {
  const statuses: number[] = []
  let done = false
  void stop.then(() => (done = true))
  await Promise.all(
    Array.from({length: 4}, async (_, w) => {
      for (let i = 0; !done; i++) statuses.push((await fetch(`${url}/v1/recommendations?user_id=${userId((w * 7 + i) % 40)}&k=5`)).status)
    }),
  )
  return statuses
}

describe('model reload', () => {
  let trained: Trained
  let dir: string
  beforeAll(async () => {
    dir = tempDir()
    trained = await trainWorld(dir)
  })

  it.each([0, 2])('POST /admin/reload while requests are in flight fails none (%i pipeline workers)', async (workers) => {
    const server = await startServer({dataset: trained.dataset, retrieval: trained.ckpt, index: trained.index, host: '127.0.0.1', port: 0, online: 'private', requireAuth: false, tokens: [TOKEN], logLevel: 'silent', workers})
    try {
      const reloads = (async () => {
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`${server.url}/admin/reload`, {method: 'POST', headers: {authorization: `Bearer ${TOKEN}`}})
          expect(res.status).toBe(200)
        }
      })()
      const statuses = await hammer(server.url, reloads)
      await reloads
      expect(statuses.length).toBeGreaterThan(10)
      expect(statuses.every((s) => s === 200)).toBe(true)
    } finally {
      await server.close()
    }
  })

  it('follows a registry alias: moving it swaps the model (and the workers\' copies) without failing requests', async () => {
    const second = join(dir, 'ckpt-2')
    const config = RetrievalConfigSchema.parse({dim: 8, epochs: 1, 'batch-size': 16, ks: [5], backend: 'wasm', seed: 9, 'history-length': 10})
    await trainRetrieval({dataset: trained.dataset, out: second, config})
    const registry = join(dir, 'registry')
    const first = join(dir, 'ckpt-1')
    cpSync(trained.ckpt, first, {recursive: true})
    await registerCheckpoint(registry, first)
    await registerCheckpoint(registry, second)
    await setAlias(registry, 'staging', 1)
    const server = await startServer({dataset: trained.dataset, registry, alias: 'staging', host: '127.0.0.1', port: 0, online: 'private', requireAuth: false, tokens: [TOKEN], logLevel: 'silent', watchIntervalMs: 50, workers: 2})
    const models = async () => (await (await fetch(`${server.url}/admin/models`, {headers: {authorization: `Bearer ${TOKEN}`}})).json()) as {versions: {retrieval: string}}
    try {
      expect((await models()).versions.retrieval).toContain('ckpt-1')
      const moved = (async () => {
        await sleep(100)
        await setAlias(registry, 'staging', 2)
        const deadline = Date.now() + 20_000
        while (!(await models()).versions.retrieval.includes('ckpt-2')) {
          if (Date.now() > deadline) throw new Error('alias move not followed')
          await sleep(50)
        }
      })()
      const statuses = await hammer(server.url, moved)
      await moved
      expect(statuses.every((s) => s === 200)).toBe(true)
    } finally {
      await server.close()
    }
  })
})
