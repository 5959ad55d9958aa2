// Data-parallel training steps: each batch's rows in chunks over this thread and worker-thread replicas, gradients summed, one update.
import {availableParallelism} from 'node:os'

import type {BackendName} from '../engine/backend.js'
import type {DenseAdam} from '../engine/dense-adam.js'
import {RecError} from '../errors.js'
import type {EntityFeatures} from '../features/entity-features.js'
import type {RetrievalConfig} from '../models/two-tower/config.js'
import type {TwoTowerInputs} from '../models/two-tower/inputs.js'
import {denseVariablesByName, sparseTablesByName, type TwoTowerModel} from '../models/two-tower/model.js'
import type {PoolWorker} from '../workers/pool-worker.js'
import {WorkerPool} from '../workers/worker-pool.js'
import {applyGradients, batchGradients, type DenseGradients, type RetrievalBatch, shardOf} from './retrieval-step.js'
import {addRow} from '../kernels/rows.js'

/** Every replica's workerData: the model's shape, its sparse tables and the chunk counter (shared memory, never copied). */
export interface ReplicaInit {
  config: RetrievalConfig
  backend: BackendName
  nUsers: number
  nItems: number
  userFeatures: EntityFeatures
  itemFeatures: EntityFeatures
  tables: Record<string, Float32Array>
  /** [1] the next chunk to claim, counted over all steps. */
  counter: Int32Array
}

/** One step for a replica: the batch, its chunk range on the counter, and the current dense weights. */
export interface ReplicaStep {
  batch: RetrievalBatch
  /** Counter values [first, first + chunks) are this step's chunks. */
  first: number
  chunks: number
  dense: Record<string, Float32Array>
}

/** The loss part and gradients of one chunk of rows; sparse gradients as summed rows per table. */
export interface ChunkResult {
  loss: number
  dense: DenseGradients
  sparse: Record<string, {rows: Int32Array; values: Float32Array}>
}

/** A chunk a replica computed: its index in the step and its result. */
export type ChunkReply = ChunkResult & {index: number}

/**
 * One call per replica and step; its response lists the chunks that replica claimed and computed,
 * in claim order (none when this thread had taken them all before the replica woke up). With one
 * chunk per thread a replica claims a second only when another thread is late, and then both come
 * back together; a slow one is backed up here as any other.
 */
export type ReplicaProtocol = {step: {request: ReplicaStep; response: ChunkReply[]}}

// A worker takes 0.25-0.4 s to start (tfjs + wasm); on two free cores it saves ~6 us per example
// (ML-100K mean encoder: ~20 ms of one thread per 1024-example step against ~14 ms on two).
const AUTO_MIN_EXAMPLES = 100_000

// Chunks per thread and step. More would let a busy thread's share move in smaller pieces, but
// each chunk recomputes the item tower and ships its row gradients: at ML-100K sizes 4 chunks of
// 256 rows cost 30 ms of CPU per step over both threads against 26 ms for 2 of 512 (21 ms for one
// thread alone), and a stalled worker's chunk is recomputed here anyway.
const CHUNKS_PER_THREAD = 1

/**
 * The replica count for `requested`. 'auto': min(2, cores) when train examples x epochs reach
 * 100k (ML-100K: two epochs or more), else 1; always 1 on tfjs-node, whose kernels already use every core.
 */
export function resolveWorkers(requested: number | 'auto', backend: BackendName, examples: number, epochs: number): number {
  if (requested !== 'auto') return requested
  if (backend === 'tensorflow' || examples * epochs < AUTO_MIN_EXAMPLES) return 1
  return Math.min(2, availableParallelism())
}

/**
 * Claims the next chunk of the step whose chunks are counter values [first, first + chunks);
 * returns its index in the step, or -1 when all are taken. Compare-and-swap, so a thread still
 * holding an earlier step can never take a chunk of a later one.
 */
export function claimChunk(counter: Int32Array, first: number, chunks: number): number {
  for (;;) {
    const next = Atomics.load(counter, 0)
    if (next < first || next >= first + chunks) return -1
    if (Atomics.compareExchange(counter, 0, next, next + 1) === next) return next - first
  }
}

/** Rows of chunk `index` of `chunks` equal parts. */
export function chunkRows(batch: RetrievalBatch, index: number, chunks: number): RetrievalBatch {
  const n = batch.users.length
  return shardOf(batch, Math.round((index * n) / chunks), Math.round(((index + 1) * n) / chunks))
}

/** Gradients of one chunk, taken out of the model's tables (which keep no pending rows afterwards). */
export function chunkGradients(model: TwoTowerModel, batch: RetrievalBatch): ChunkResult {
  const {loss, dense} = batchGradients(model, batch)
  const sparse: ChunkResult['sparse'] = {}
  for (const [name, table] of Object.entries(sparseTablesByName(model))) {
    sparse[name] = table.pendingGradients()
    table.clearGradients()
  }
  return {loss, dense, sparse}
}

/**
 * Runs training steps over `1 + workers` replicas of one model. Each batch is cut into fixed
 * chunks of rows that this thread and the workers claim from a shared counter, so a thread the OS
 * deschedules simply computes fewer chunks; a chunk a worker claimed but has not delivered within
 * about twice this thread's time per chunk is computed here as well (a backup copy: on a shared
 * machine a thread can stall for 100+ ms, and the step with it). Every chunk scores its rows against ALL of the
 * batch's columns (recomputing the item tower), so each row's softmax is over the whole batch and
 * the summed gradients are those of the undivided batch: the same algorithm as one thread. A chunk
 * gives the same bytes in any thread, and the sums run in chunk order, so a seed and a thread
 * count fix every byte. The sparse tables live in SharedArrayBuffers, read by every replica and
 * written only here, by one Adam step on the sum; the dense weights are sent with each step.
 */
export class RetrievalReplicas {
  private first = -1
  private results: Array<ChunkResult | undefined> = []
  private arrived: (() => void) | undefined
  private failure: Error | undefined
  /** Milliseconds this thread took per chunk, smoothed: how long to wait for a worker's chunk. */
  private chunkMs = 0

  private constructor(
    private readonly model: TwoTowerModel,
    private readonly pool: WorkerPool<ReplicaProtocol>,
    /** Every replica started, dead or alive: a step to a dead one fails with its death, never runs on fewer chunks. */
    private readonly workers: readonly PoolWorker<ReplicaProtocol>[],
    private readonly counter: Int32Array,
  ) {}

  /** Starts `count - 1` workers beside this thread; the model's tables must be shared (createTwoTower storage.shared). */
  static async start(model: TwoTowerModel, inputs: TwoTowerInputs, backend: BackendName, count: number): Promise<RetrievalReplicas> {
    const tables: Record<string, Float32Array> = {}
    for (const [name, table] of Object.entries(sparseTablesByName(model))) {
      if (!(table.weights.buffer instanceof SharedArrayBuffer)) throw new RecError('INVALID_ARGUMENT', `data-parallel training needs shared tables; ${name} is not`)
      tables[name] = table.weights
    }
    const counter = new Int32Array(new SharedArrayBuffer(4))
    const data: ReplicaInit = {config: model.config, backend, nUsers: inputs.users.size, nItems: inputs.items.size, userFeatures: inputs.userFeatures, itemFeatures: inputs.itemFeatures, tables, counter}
    const pool = new WorkerPool<ReplicaProtocol>({from: import.meta.url, module: 'retrieval-worker', size: count - 1, workerData: data, label: 'training', failureCode: 'BAD_DATA'})
    const replicas = new RetrievalReplicas(model, pool, [...pool.workers], counter)
    try {
      await pool.ready()
    } catch (error) {
      await replicas.close()
      throw error
    }
    return replicas
  }

  get count(): number {
    return this.workers.length + 1
  }

  /** Forward, backward and one update for the batch, its chunks spread over the replicas; returns the loss. */
  async step(batch: RetrievalBatch, adam: DenseAdam): Promise<number> {
    const chunks = this.count * CHUNKS_PER_THREAD
    const first = Atomics.load(this.counter, 0)
    this.first = first
    this.results = new Array(chunks).fill(undefined)
    const dense: Record<string, Float32Array> = {}
    for (const [name, variable] of Object.entries(denseVariablesByName(this.model))) dense[name] = variable.dataSync() as Float32Array
    for (const worker of this.workers) {
      worker.call('step', {batch, first, chunks, dense}).then(
        (replies) => this.receive(first, replies),
        (error: Error) => this.fail(error),
      )
    }
    for (let index = claimChunk(this.counter, first, chunks); index >= 0; index = claimChunk(this.counter, first, chunks)) this.compute(batch, index, chunks)
    for (;;) {
      const arrivedInTime = await this.arrival(2 * this.chunkMs + 1)
      const missing = this.results.indexOf(undefined)
      if (missing < 0) break
      if (!arrivedInTime) this.compute(batch, missing, chunks)
    }
    this.first = -1
    // In chunk order: row gradients into the tables' pending rows, dense gradients into the first chunk's arrays.
    const tables = sparseTablesByName(this.model)
    const results = this.results as ChunkResult[]
    let loss = 0
    for (const result of results) {
      loss += result.loss
      for (const [name, {rows, values}] of Object.entries(result.sparse)) tables[name].accumulate(rows, values)
    }
    const sum = results[0].dense
    for (const result of results.slice(1)) {
      for (const [name, grad] of Object.entries(result.dense)) addRow(sum[name], 0, grad, 0, grad.length)
    }
    applyGradients(this.model, adam, sum)
    return loss
  }

  async close(): Promise<void> {
    await this.pool.close()
  }

  private compute(batch: RetrievalBatch, index: number, chunks: number): void {
    const start = performance.now()
    this.results[index] = chunkGradients(this.model, chunkRows(batch, index, chunks))
    const ms = performance.now() - start
    this.chunkMs = this.chunkMs === 0 ? ms : 0.9 * this.chunkMs + 0.1 * ms
  }

  /** Waits for the next chunk from a worker (true; at once if none is missing) or `timeoutMs` (false); rejects on a worker's failure. */
  private arrival(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const finish = (value: boolean | Error) => {
        clearTimeout(timer)
        this.arrived = undefined
        if (value instanceof Error) reject(value)
        else resolve(value)
      }
      const timer = setTimeout(() => finish(false), timeoutMs)
      this.arrived = () => finish(this.failure ?? true)
      if (this.failure !== undefined || !this.results.includes(undefined)) this.arrived()
    })
  }

  /** A replica's chunks of the step starting at `first`: those of a finished step (its backup won) are dropped, and so is a repeat of one computed here. */
  private receive(first: number, replies: ChunkReply[]): void {
    if (first === this.first) for (const reply of replies) this.results[reply.index] ??= reply
    this.arrived?.()
  }

  /** A replica's failure or death: the step waiting now, or the next one, rejects with it. */
  private fail(error: Error): void {
    this.failure ??= error
    this.arrived?.()
  }
}
