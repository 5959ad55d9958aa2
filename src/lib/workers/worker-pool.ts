// Worker threads serving one typed protocol: a FIFO queue of calls, a cap per worker, deaths, and the calling thread as fallback.
import type {RecErrorCode} from '../errors.js'
import type {CallName, Protocol, RequestOf, ResponseOf} from './pool-protocol.js'
import {PoolWorker} from './pool-worker.js'
import {spawnWorker} from './spawn-worker.js'

export interface WorkerPoolOptions {
  /** The caller's import.meta.url; the worker module `module` (which calls serveWorker) sits beside it. */
  from: string
  module: string
  size: number
  /** Passed to every worker's start function; typed arrays over SharedArrayBuffers are shared, not copied. */
  workerData?: unknown
  /** Names the workers in errors: "a top-K worker exited with code 1". */
  label: string
  /** Queued calls a worker holds at once, computing or waiting in its port; default 1. */
  perWorker?: number
  /** RecError code of a worker failure that crossed without one; default a plain Error. */
  failureCode?: RecErrorCode
}

export interface SubmitOptions<P extends Protocol, R> {
  /** The workers that may take the call (e.g. those holding its model generation); default every one. */
  eligible?(worker: PoolWorker<P>): boolean
  /** The same call on the calling thread, run when no eligible worker is alive; without it the call rejects. */
  fallback?(): Promise<R>
}

interface Job<P extends Protocol> {
  name: CallName<P>
  request: unknown
  options: SubmitOptions<P, unknown>
  resolve(value: unknown): void
  reject(error: Error): void
}

/**
 * `size` workers started from `module`. submit() queues a call; calls leave the queue oldest first,
 * each to the least busy eligible worker holding fewer than `perWorker` queued calls, so a worker
 * the OS pauses takes fewer of them. A worker's death fails only the calls it held; queued calls go
 * to the others, or to their fallback once no eligible worker is left (a pool of 0 runs every call
 * there). Direct calls to one worker (`workers[i].call`, e.g. to load a model into each) bypass the
 * queue and its cap. Responses are never reordered into other calls: each settles its own promise.
 */
export class WorkerPool<P extends Protocol> {
  private readonly spawned: readonly PoolWorker<P>[]
  private readonly live: PoolWorker<P>[]
  /** Live worker -> queued calls it holds now. */
  private readonly held = new Map<PoolWorker<P>, number>()
  private readonly queue: Job<P>[] = []
  private readonly perWorker: number

  constructor(private readonly options: WorkerPoolOptions) {
    this.perWorker = options.perWorker ?? 1
    this.spawned = Array.from({length: options.size}, () => {
      const worker = spawnWorker(options.from, options.module, options.workerData)
      return new PoolWorker<P>(worker, options.label, options.failureCode, (dead) => this.remove(dead))
    })
    this.live = [...this.spawned]
    for (const worker of this.live) this.held.set(worker, 0)
  }

  /** The live workers, in start order. */
  get workers(): readonly PoolWorker<P>[] {
    return this.live
  }

  get size(): number {
    return this.live.length
  }

  /** Calls queued for a worker, not yet sent to one. */
  get waiting(): number {
    return this.queue.length
  }

  /** Resolves once every worker's handlers started; rejects with the first start-up failure. */
  async ready(): Promise<void> {
    await Promise.all(this.spawned.map((worker) => worker.started))
  }

  submit<K extends CallName<P>>(name: K, request: RequestOf<P, K>, options: SubmitOptions<P, ResponseOf<P, K>> = {}): Promise<ResponseOf<P, K>> {
    return new Promise((resolve, reject) => {
      this.queue.push({name, request, options, resolve: resolve as (value: unknown) => void, reject})
      this.dispatch()
    })
  }

  /** Sends what the queue can send now; call it again when eligibility changed (a worker finished loading a generation). */
  dispatch(): void {
    for (let i = 0; i < this.queue.length; ) {
      const job = this.queue[i]
      let best: PoolWorker<P> | undefined
      let holders = 0
      for (const worker of this.live) {
        if (job.options.eligible && !job.options.eligible(worker)) continue
        holders++
        const held = this.held.get(worker)!
        if (held < this.perWorker && (!best || held < this.held.get(best)!)) best = worker
      }
      if (best) {
        this.queue.splice(i, 1)
        this.send(best, job)
      } else if (holders === 0) {
        this.queue.splice(i, 1)
        this.fallBack(job)
      } else i++
      // every worker full: the rest wait for a completion (with no worker left, all fall back)
      if (this.live.length > 0 && this.live.every((worker) => this.held.get(worker)! >= this.perWorker)) return
    }
  }

  /** Ends every worker: the calls they hold reject, and queued calls fall back (or reject) as on any death. */
  async close(): Promise<void> {
    await Promise.all(this.live.map((worker) => worker.worker.terminate()))
  }

  private send(worker: PoolWorker<P>, job: Job<P>): void {
    this.held.set(worker, this.held.get(worker)! + 1)
    worker.call(job.name, job.request as RequestOf<P, CallName<P>>).then(
      (response) => {
        this.release(worker)
        job.resolve(response)
      },
      (error: Error) => {
        this.release(worker)
        job.reject(error)
      },
    )
  }

  private fallBack(job: Job<P>): void {
    const {fallback} = job.options
    if (!fallback) return job.reject(new Error(`no ${this.options.label} worker is left to take a '${job.name}' call`))
    // Called now, as a worker would have been; a synchronous throw rejects the call like an async one.
    new Promise((resolve) => resolve(fallback())).then(job.resolve, job.reject)
  }

  private release(worker: PoolWorker<P>): void {
    const held = this.held.get(worker)
    if (held !== undefined) this.held.set(worker, held - 1)
    this.dispatch()
  }

  private remove(dead: PoolWorker<P>): void {
    this.live.splice(this.live.indexOf(dead), 1)
    this.held.delete(dead)
    this.dispatch()
  }
}
