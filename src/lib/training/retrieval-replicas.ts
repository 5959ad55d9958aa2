// Data-parallel training steps: each batch's rows split over this thread and worker-thread replicas, gradients summed, one update.
import {availableParallelism} from 'node:os'
import type {Worker} from 'node:worker_threads'

import type {BackendName} from '../engine/backend.js'
import type {DenseAdam} from '../engine/dense-adam.js'
import {spawnWorker} from '../engine/spawn-worker.js'
import {RecError, type RecErrorCode} from '../errors.js'
import type {EntityFeatures} from '../features/entity-features.js'
import type {RetrievalConfig} from '../models/two-tower/config.js'
import {denseVariablesByName, sparseTablesByName, type TwoTowerModel} from '../models/two-tower/model.js'
import {applyGradients, batchGradients, type DenseGradients, type RetrievalBatch, shardOf} from './retrieval-step.js'

/** What a replica receives once: the model's shape and its sparse tables (shared memory, never copied). */
export interface ReplicaInit {
  config: RetrievalConfig
  backend: BackendName
  nUsers: number
  nItems: number
  userFeatures: EntityFeatures
  itemFeatures: EntityFeatures
  tables: Record<string, Float32Array>
}

/** Main -> replica: its rows of one batch and the current dense weights. */
export interface ReplicaStep {
  batch: RetrievalBatch
  dense: Record<string, Float32Array>
}

/** Replica -> main: a started replica, a shard's loss and gradients (sparse as summed rows), or a failure to rethrow. */
export type ReplicaReply =
  | {type: 'ready'}
  | {type: 'done'; loss: number; dense: DenseGradients; sparse: Record<string, {rows: Int32Array; values: Float32Array}>}
  | {type: 'error'; code?: RecErrorCode; message: string; hint?: string}

// A worker costs ~0.3 s to start (tfjs + wasm) and, with two cores, saves ~25 us per example.
const AUTO_MIN_EXAMPLES = 100_000

/**
 * The replica count for `requested`. 'auto': min(2, cores) when train examples x epochs reach
 * 100k (ML-100K: one epoch), else 1; always 1 on tfjs-node, whose kernels already use every core.
 */
export function resolveWorkers(requested: number | 'auto', backend: BackendName, examples: number, epochs: number): number {
  if (requested !== 'auto') return requested
  if (backend === 'tensorflow' || examples * epochs < AUTO_MIN_EXAMPLES) return 1
  return Math.min(2, availableParallelism())
}

/**
 * Runs training steps over `1 + workers` replicas of one model: this thread computes the first
 * shard of each batch's rows, worker k the (k+1)-th; every replica scores its rows against ALL of
 * the batch's columns (recomputing the item tower for them), so each row's softmax is over the
 * whole batch and the summed gradients are those of the undivided batch: the same algorithm as
 * one thread. The sparse tables live in SharedArrayBuffers read by every replica and written only
 * here, by one Adam step on the sum, while the replicas wait; the dense weights are sent with each
 * step. Sums run in shard order, so a seed and a replica count fix every byte.
 */
export class RetrievalReplicas {
  private constructor(
    private readonly model: TwoTowerModel,
    private readonly workers: Worker[],
  ) {}

  /** Starts `count - 1` workers beside this thread; the model's tables must be shared (createTwoTower storage.shared). */
  static async start(model: TwoTowerModel, init: Omit<ReplicaInit, 'config' | 'tables'>, count: number): Promise<RetrievalReplicas> {
    const tables: Record<string, Float32Array> = {}
    for (const [name, table] of Object.entries(sparseTablesByName(model))) {
      if (!(table.weights.buffer instanceof SharedArrayBuffer)) throw new RecError('INVALID_ARGUMENT', `data-parallel training needs shared tables; ${name} is not`)
      tables[name] = table.weights
    }
    const data: ReplicaInit = {...init, config: model.config, tables}
    const workers = Array.from({length: count - 1}, () => spawnWorker(import.meta.url, 'retrieval-worker', data))
    const replicas = new RetrievalReplicas(model, workers)
    try {
      await Promise.all(workers.map((worker) => replicas.reply(worker)))
    } catch (error) {
      await replicas.close()
      throw error
    }
    return replicas
  }

  get count(): number {
    return this.workers.length + 1
  }

  /** Forward, backward and one update for the batch, split over the replicas; returns the loss. */
  async step(batch: RetrievalBatch, adam: DenseAdam): Promise<number> {
    const n = batch.users.length
    const bounds = Array.from({length: this.count + 1}, (_, k) => Math.round((k * n) / this.count))
    const dense: Record<string, Float32Array> = {}
    for (const [name, variable] of Object.entries(denseVariablesByName(this.model))) dense[name] = variable.dataSync() as Float32Array
    const replies = this.workers.map((worker, k) => {
      const reply = this.reply(worker)
      worker.postMessage({batch: shardOf(batch, bounds[k + 1], bounds[k + 2]), dense} satisfies ReplicaStep)
      return reply
    })
    // This thread's shard goes straight into the tables' pending rows; the others follow in shard order.
    let own: ReturnType<typeof batchGradients>
    try {
      own = batchGradients(this.model, shardOf(batch, bounds[0], bounds[1]))
    } catch (error) {
      await Promise.allSettled(replies)
      throw error
    }
    const results = await Promise.all(replies)
    let loss = own.loss
    const tables = sparseTablesByName(this.model)
    for (const reply of results as Array<Extract<ReplicaReply, {type: 'done'}>>) {
      loss += reply.loss
      for (const [name, {rows, values}] of Object.entries(reply.sparse)) tables[name].accumulate(rows, values)
      for (const [name, grad] of Object.entries(reply.dense)) {
        const sum = own.dense[name]
        for (let i = 0; i < sum.length; i++) sum[i] += grad[i]
      }
    }
    applyGradients(this.model, adam, own.dense)
    return loss
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  /** The worker's next reply; an error reply, a crash or an exit rejects. */
  private reply(worker: Worker): Promise<ReplicaReply> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        worker.off('message', onMessage)
        worker.off('error', onError)
        worker.off('exit', onExit)
      }
      const onMessage = (reply: ReplicaReply) => {
        cleanup()
        if (reply.type === 'error') reject(new RecError(reply.code ?? 'BAD_DATA', reply.message, {hint: reply.hint}))
        else resolve(reply)
      }
      const onError = (error: Error) => {
        cleanup()
        reject(error)
      }
      const onExit = (code: number) => {
        cleanup()
        reject(new Error(`a training worker exited with code ${code}`))
      }
      worker.on('message', onMessage)
      worker.on('error', onError)
      worker.on('exit', onExit)
    })
  }
}
