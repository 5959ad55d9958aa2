// The worker pool against a fixture worker: typed calls, the queue and its cap, failures, deaths, start-up and fallback.
import {describe, expect, it} from 'vitest'

import {WorkerPool, type WorkerPoolOptions} from '../../src/lib/workers/worker-pool.js'
import type {EchoData, EchoProtocol} from './echo-worker.js'

const options = (size: number, data: EchoData = {tag: 'w'}, more: Partial<WorkerPoolOptions> = {}): WorkerPoolOptions => ({
  from: import.meta.url,
  module: 'echo-worker',
  size,
  workerData: data,
  label: 'echo',
  ...more,
})

async function withPool<T>(pool: WorkerPool<EchoProtocol>, body: (pool: WorkerPool<EchoProtocol>) => Promise<T>): Promise<T> {
  try {
    return await body(pool)
  } finally {
    await pool.close()
  }
}

describe('WorkerPool', () => {
  it('answers each call with its own response, from the workerData the workers started with', () =>
    withPool(new WorkerPool<EchoProtocol>(options(2, {tag: 'seven'})), async (pool) => {
      await pool.ready()
      expect(pool.size).toBe(2)
      expect(await Promise.all([1, 2, 3].map((n) => pool.submit('echo', n)))).toEqual([['seven', 1], ['seven', 2], ['seven', 3]])
      // Notifications and calls to one worker arrive in order.
      const [first] = pool.workers
      for (const n of [1, 2, 3]) first.notify('add', n)
      expect(await first.call('total', null)).toBe(6)
    }))

  it('holds at most perWorker queued calls in each worker and sends the rest oldest first', async () => {
    await withPool(new WorkerPool<EchoProtocol>(options(2, undefined, {perWorker: 2})), async (pool) => {
      const calls = [0, 1, 2, 3, 4, 5, 6].map((value) => pool.submit('wait', {ms: 5, value}))
      expect(pool.waiting).toBe(3)
      expect(await Promise.all(calls)).toEqual([0, 1, 2, 3, 4, 5, 6])
      expect(pool.waiting).toBe(0)
    })
    // One worker holding one call at a time: shorter waits queued later still finish in arrival order.
    await withPool(new WorkerPool<EchoProtocol>(options(1)), async (pool) => {
      const order: number[] = []
      const calls = [40, 20, 5, 0].map((ms, value) => pool.submit('wait', {ms, value}).then((v) => void order.push(v)))
      expect(pool.waiting).toBe(3)
      await Promise.all(calls)
      expect(order).toEqual([0, 1, 2, 3])
    })
  })

  it('rethrows a RecError with its code and hint, and gives failureCode to a plain failure', () =>
    withPool(new WorkerPool<EchoProtocol>(options(1, undefined, {failureCode: 'BAD_DATA'})), async (pool) => {
      await expect(pool.submit('fail', {code: 'NOT_FOUND'})).rejects.toMatchObject({code: 'NOT_FOUND', message: 'no such thing', hint: 'make it'})
      await expect(pool.submit('fail', {})).rejects.toMatchObject({code: 'BAD_DATA', message: 'plain'})
      // The worker lives on after a failed call.
      expect(await pool.submit('echo', 4)).toEqual(['w', 4])
    }))

  it('a death fails the calls that worker held; queued calls fall back to the calling thread or reject', () =>
    withPool(new WorkerPool<EchoProtocol>(options(1)), async (pool) => {
      await pool.ready()
      const [worker] = pool.workers
      const crash = pool.submit('crash', null)
      const queued = pool.submit('echo', 5, {fallback: async () => ['here', 5] as [string, number]})
      const orphan = pool.submit('echo', 6)
      expect(pool.waiting).toBe(2)
      await expect(crash).rejects.toThrow('a echo worker exited with code 3')
      expect(await queued).toEqual(['here', 5])
      await expect(orphan).rejects.toThrow("no echo worker is left to take a 'echo' call")
      expect(pool.size).toBe(0)
      expect(worker.alive).toBe(false)
      await expect(worker.call('echo', 1)).rejects.toThrow('a echo worker exited with code 3')
    }))

  it('runs a call no worker is eligible for on the calling thread', () =>
    withPool(new WorkerPool<EchoProtocol>(options(2)), async (pool) => {
      const [first] = pool.workers
      expect(await pool.submit('echo', 1, {eligible: (w) => w === first})).toEqual(['w', 1])
      expect(await pool.submit('echo', 2, {eligible: () => false, fallback: async () => ['here', 2] as [string, number]})).toEqual(['here', 2])
    }))

  it('a pool of 0 runs every call on its fallback', () =>
    withPool(new WorkerPool<EchoProtocol>(options(0)), async (pool) => {
      await pool.ready()
      expect(await pool.submit('echo', 3, {fallback: async () => ['here', 3] as [string, number]})).toEqual(['here', 3])
      expect(pool.waiting).toBe(0)
    }))

  it('a worker that cannot start rejects ready() and its calls with the start-up failure, then ends', () =>
    withPool(new WorkerPool<EchoProtocol>(options(1, {tag: 'w', failStart: true})), async (pool) => {
      const call = pool.workers[0].call('echo', 1)
      await expect(pool.ready()).rejects.toMatchObject({code: 'BAD_DATA', message: 'cannot start', hint: 'fix the data'})
      await expect(call).rejects.toMatchObject({code: 'BAD_DATA', message: 'cannot start'})
      await expect.poll(() => pool.size).toBe(0)
    }))
})
