// Runs feed pipelines on worker threads that each hold their own copy of the loaded model generations.
import type {Worker} from 'node:worker_threads'

import type {MixerConfig} from '../mixer/config.js'
import type {Pipeline} from '../mixer/types.js'
import type {EngineSources} from './engine.js'
import {type FeedQuery, type FeedRun, type FeedRunner, runFeed} from './feed-run.js'
import type {PoolReply, PoolRequest} from './pipeline-messages.js'
import {spawnWorker} from '../workers/spawn-worker.js'
import {fromFailure} from '../workers/worker-failure.js'

interface Waiter<T> {
  resolve(value: T): void
  reject(error: Error): void
}

/** One worker and what it holds. */
interface Slot {
  worker: Worker
  generations: Set<number>
  runs: Map<number, Waiter<FeedRun> & {generation: number}>
  loads: Map<number, Waiter<void>>
}

/** A run waiting for a worker: the pool's one FIFO queue. */
interface Queued extends Waiter<FeedRun> {
  id: number
  generation: number
  inThread: Pipeline
  query: FeedQuery
}

/**
 * Runs a worker holds at once: one computing and one waiting in its port, so that it never idles for
 * a round trip through the HTTP thread. The rest wait in the pool's queue and go to whichever worker
 * frees up first: with each worker's own queue (up to 32 runs at 64 connections), a worker that the
 * OS pauses for a few ms delays all of its runs while the other one idles.
 */
const PER_WORKER = 2

/**
 * A feed's pipeline costs ~0.35 ms of CPU (100k items: an HNSW search ~0.12 ms, then ~230 candidates
 * through filters, scorers and selectors) on top of ~0.09 ms of HTTP work, so one event loop tops
 * out near 2,300 req/s however many cores there are. The HTTP thread keeps everything that must stay
 * consistent (sessions, the interaction store, user vectors) and queues each pipeline run, a pure
 * function of its query, for a worker holding the query's model generation. With two workers on
 * 2 cores (bench/serve.bench.js, 64 connections, autocannon on the same cores): 3,450-4,070 req/s
 * and a p99 of 20.6-24.2 ms in 11 of 13 runs of 8,000 requests.
 * With no such worker (all of them crashed) the run happens on the calling thread, so the pool
 * never fails a request that one thread would have served.
 */
export class PipelinePool implements FeedRunner {
  private readonly slots: Slot[] = []
  /** Generations loaded or loading and not retired. */
  private readonly live = new Set<number>()
  /** generation -> runs queued or in flight; a retired generation is dropped when it reaches 0. */
  private readonly inFlight = new Map<number, number>()
  private readonly queue: Queued[] = []
  private nextId = 0

  constructor(
    size: number,
    private readonly config: MixerConfig,
  ) {
    for (let i = 0; i < size; i++) this.spawn()
  }

  get size(): number {
    return this.slots.length
  }

  /** Runs queued for a worker (not yet sent to one). */
  get waiting(): number {
    return this.queue.length
  }

  /** Loads generation `generation` into every worker; rejects with the first worker's failure. */
  async load(generation: number, sources: EngineSources): Promise<void> {
    this.live.add(generation)
    await Promise.all(this.slots.map((slot) => this.loadInto(slot, generation, sources)))
  }

  run(generation: number, inThread: Pipeline, query: FeedQuery): Promise<FeedRun> {
    const id = ++this.nextId
    this.inFlight.set(generation, (this.inFlight.get(generation) ?? 0) + 1)
    return new Promise<FeedRun>((resolve, reject) => {
      this.queue.push({id, generation, inThread, query, resolve, reject})
      this.dispatch()
    })
  }

  /** Sends queued runs, oldest first, to the least busy worker with room that holds their generation. */
  private dispatch(): void {
    for (let i = 0; i < this.queue.length; ) {
      const run = this.queue[i]
      let best: Slot | undefined
      let holders = 0
      for (const slot of this.slots) {
        if (!slot.generations.has(run.generation)) continue
        holders++
        if (slot.runs.size < PER_WORKER && (!best || slot.runs.size < best.runs.size)) best = slot
      }
      if (best) {
        this.queue.splice(i, 1)
        best.runs.set(run.id, run)
        this.post(best, {type: 'run', id: run.id, generation: run.generation, query: run.query})
      } else if (holders === 0) {
        // every worker holding it is gone: the calling thread serves it
        this.queue.splice(i, 1)
        runFeed(run.inThread, run.query).then(run.resolve, run.reject).finally(() => this.settle(run.generation))
      } else i++
      // every worker full: the rest wait for a completion (with no worker left, all run here)
      if (this.slots.length > 0 && !this.slots.some((slot) => slot.runs.size < PER_WORKER)) return
    }
  }

  /** The workers free `generation` once the runs already sent to them finish. */
  retire(generation: number): void {
    this.live.delete(generation)
    if (!this.inFlight.get(generation)) this.drop(generation)
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((slot) => slot.worker.terminate()))
  }

  private spawn(): void {
    const slot: Slot = {worker: spawnWorker(import.meta.url, 'pipeline-worker'), generations: new Set(), runs: new Map(), loads: new Map()}
    this.slots.push(slot)
    let crash: Error | undefined
    slot.worker.on('message', (reply: PoolReply) => this.receive(slot, reply))
    slot.worker.on('error', (error) => (crash = error))
    slot.worker.on('exit', (code) => {
      this.slots.splice(this.slots.indexOf(slot), 1)
      const error = crash ?? new Error(`a pipeline worker exited with code ${code}`)
      for (const [id, run] of [...slot.runs]) {
        this.finish(slot, id, run.generation)
        run.reject(error)
      }
      for (const load of slot.loads.values()) load.reject(error)
      this.dispatch()
    })
  }

  private loadInto(slot: Slot, generation: number, sources: EngineSources): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      slot.loads.set(generation, {resolve, reject})
      this.post(slot, {type: 'load', generation, sources, config: this.config})
    })
  }

  private readonly handlers: {[T in PoolReply['type']]: (slot: Slot, reply: Extract<PoolReply, {type: T}>) => void} = {
    loaded: (slot, {generation}) => {
      // a generation retired while this worker was still loading it is freed at once
      if (this.live.has(generation)) slot.generations.add(generation)
      else this.post(slot, {type: 'drop', generation})
      this.takeLoad(slot, generation)?.resolve()
      this.dispatch()
    },
    'load-failed': (slot, {generation, failure}) => this.takeLoad(slot, generation)?.reject(fromFailure(failure)),
    done: (slot, {id, run}) => this.takeRun(slot, id)?.resolve(run),
    failed: (slot, {id, failure}) => this.takeRun(slot, id)?.reject(fromFailure(failure)),
  }

  private receive(slot: Slot, reply: PoolReply): void {
    ;(this.handlers[reply.type] as (slot: Slot, reply: PoolReply) => void)(slot, reply)
  }

  private takeLoad(slot: Slot, generation: number): Waiter<void> | undefined {
    const waiter = slot.loads.get(generation)
    slot.loads.delete(generation)
    return waiter
  }

  private takeRun(slot: Slot, id: number): Waiter<FeedRun> | undefined {
    const run = slot.runs.get(id)
    if (run) this.finish(slot, id, run.generation)
    this.dispatch()
    return run
  }

  private finish(slot: Slot, id: number, generation: number): void {
    slot.runs.delete(id)
    this.settle(generation)
  }

  /** One run of `generation` ended: a retired generation is dropped with its last run. */
  private settle(generation: number): void {
    const left = (this.inFlight.get(generation) ?? 1) - 1
    this.inFlight.set(generation, left)
    if (left === 0 && !this.live.has(generation)) this.drop(generation)
  }

  private drop(generation: number): void {
    this.inFlight.delete(generation)
    for (const slot of this.slots) {
      if (slot.generations.delete(generation)) this.post(slot, {type: 'drop', generation})
    }
  }

  private post(slot: Slot, request: PoolRequest): void {
    slot.worker.postMessage(request)
  }
}
