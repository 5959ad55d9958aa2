// Runs feed pipelines on worker threads that each hold their own copy of the loaded model generations.
import type {Pipeline} from '../mixer/types.js'
import {type FeedBatch, runFeedBatch} from './feed-batch.js'
import {type FeedQuery, type FeedRun, type FeedRunner, runFeed} from './feed-run.js'
import type {GenerationLoad, PipelineProtocol} from './pipeline-protocol.js'
import type {PoolWorker} from '../workers/pool-worker.js'
import {WorkerPool} from '../workers/worker-pool.js'

type Worker = PoolWorker<PipelineProtocol>

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
  private readonly pool: WorkerPool<PipelineProtocol>
  /** Worker -> generations loaded in it and not dropped: the workers a run of a generation may go to. */
  private readonly holds = new WeakMap<Worker, Set<number>>()
  /** Generations loaded or loading and not retired. */
  private readonly live = new Set<number>()
  /** generation -> runs queued or in flight; a retired generation is dropped when it reaches 0. */
  private readonly inFlight = new Map<number, number>()

  constructor(size: number) {
    this.pool = new WorkerPool({from: import.meta.url, module: 'pipeline-worker', size, label: 'pipeline', perWorker: PER_WORKER})
  }

  get size(): number {
    return this.pool.size
  }

  /** Runs queued for a worker (not yet sent to one). */
  get waiting(): number {
    return this.pool.waiting
  }

  /**
   * Loads generation `generation` into every worker; rejects with the first worker's failure. Each arm of an
   * experiment is a generation with its own mixer config; generations naming the same `models` id share
   * one copy of the models in each worker.
   */
  async load(generation: number, load: GenerationLoad): Promise<void> {
    this.live.add(generation)
    await Promise.all(this.pool.workers.map((worker) => this.loadInto(worker, generation, load)))
  }

  /** Queued, oldest first, for the least busy worker with room that holds `generation`; on this thread when none holds it. */
  run(generation: number, inThread: Pipeline, query: FeedQuery): Promise<FeedRun> {
    this.inFlight.set(generation, (this.inFlight.get(generation) ?? 0) + 1)
    return this.pool
      .submit('run', {generation, query}, {eligible: (worker) => this.generationsIn(worker).has(generation), fallback: () => runFeed(inThread, query)})
      .finally(() => this.settle(generation))
  }

  /** A chunk of feeds in one call (rec recommend), queued like a run; on this thread when no worker holds `generation`. */
  runBatch(generation: number, inThread: Pipeline, queries: FeedQuery[]): Promise<FeedBatch> {
    this.inFlight.set(generation, (this.inFlight.get(generation) ?? 0) + 1)
    return this.pool
      .submit('runBatch', {generation, queries}, {eligible: (worker) => this.generationsIn(worker).has(generation), fallback: () => runFeedBatch(inThread, queries)})
      .finally(() => this.settle(generation))
  }

  /** The workers free `generation` once the runs already sent to them finish. */
  retire(generation: number): void {
    this.live.delete(generation)
    if (!this.inFlight.get(generation)) this.drop(generation)
  }

  async close(): Promise<void> {
    await this.pool.close()
  }

  private async loadInto(worker: Worker, generation: number, load: GenerationLoad): Promise<void> {
    await worker.call('load', {generation, ...load})
    // a generation retired while this worker was still loading it is freed at once
    if (this.live.has(generation)) this.generationsIn(worker).add(generation)
    else worker.notify('drop', {generation})
    this.pool.dispatch()
  }

  private generationsIn(worker: Worker): Set<number> {
    let generations = this.holds.get(worker)
    if (!generations) this.holds.set(worker, (generations = new Set()))
    return generations
  }

  /** One run of `generation` ended: a retired generation is dropped with its last run. */
  private settle(generation: number): void {
    const left = (this.inFlight.get(generation) ?? 1) - 1
    this.inFlight.set(generation, left)
    if (left === 0 && !this.live.has(generation)) this.drop(generation)
  }

  private drop(generation: number): void {
    this.inFlight.delete(generation)
    for (const worker of this.pool.workers) {
      if (this.generationsIn(worker).delete(generation)) worker.notify('drop', {generation})
    }
  }
}
