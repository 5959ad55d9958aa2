// Embedding tables kept as Float32Array outside tfjs, trained by a row-wise (lazy) Adam on touched rows.
import * as tf from '@tensorflow/tfjs'

import {RecError} from '../errors.js'
import type {Rng} from '../random/rng.js'
import {adamUpdate, type AdamConfig, resolveAdamConfig} from './adam-config.js'
import {RowGradients} from './row-gradients.js'

export interface SparseEmbeddingOptions {
  /** Used in error messages and as the tensor name in checkpoints. */
  name?: string
  /** 'normal': N(0, scale^2), 'uniform': U(-scale, scale); scale defaults to 1/sqrt(dim). */
  init?: 'normal' | 'uniform'
  scale?: number
  adam?: Partial<AdamConfig>
  /** Back the weights with a SharedArrayBuffer so worker threads can read rows without copies. */
  shared?: boolean
}

/**
 * A [rows, dim] table. Why outside tfjs: tf.gather's gradient needs UnsortedSegmentSum, which the
 * wasm backend lacks and the cpu backend runs at ~14 ms per row (ARCHITECTURE 7.1).
 * A step: gather(ids) -> the model -> gradient w.r.t. the gathered tensor -> applyGradient(ids, grad).
 * Gradients of one step may also be added piecewise with accumulate/accumulateRow, then step().
 * Adam is lazy (as TF's LazyAdam) with a step counter per row: an untouched row keeps its weights
 * and moments; a row touched in every step follows dense Adam exactly.
 */
export class SparseEmbedding {
  readonly name: string
  readonly rows: number
  readonly dim: number
  readonly weights: Float32Array
  readonly adam: AdamConfig
  private readonly pending: RowGradients
  // Adam state, allocated on the first update so inference-only tables cost 1x, not 3x, memory.
  private m: Float32Array | undefined
  private v: Float32Array | undefined
  private steps: Int32Array | undefined

  constructor(weights: Float32Array, dim: number, options: SparseEmbeddingOptions = {}) {
    this.name = options.name ?? 'embedding'
    if (!Number.isInteger(dim) || dim <= 0 || weights.length === 0 || weights.length % dim !== 0) {
      throw new RecError('INVALID_ARGUMENT', `${this.name}: ${weights.length} weights do not form one or more rows of dim ${dim}`)
    }
    this.rows = weights.length / dim
    this.dim = dim
    this.weights = weights
    this.adam = resolveAdamConfig(options.adam)
    this.pending = new RowGradients(this.rows, dim)
  }

  /** A new table with deterministic initial weights drawn row-major from `rng`. */
  static create(rows: number, dim: number, rng: Rng, options: SparseEmbeddingOptions = {}): SparseEmbedding {
    if (!Number.isInteger(rows) || rows <= 0) throw new RecError('INVALID_ARGUMENT', `${options.name ?? 'embedding'}: rows = ${rows} must be a positive integer`)
    const n = rows * dim
    const weights = options.shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n)
    const scale = options.scale ?? 1 / Math.sqrt(dim)
    if (options.init === 'uniform') for (let i = 0; i < n; i++) weights[i] = (2 * rng.next() - 1) * scale
    else for (let i = 0; i < n; i++) weights[i] = rng.normal() * scale
    return new SparseEmbedding(weights, dim, options)
  }

  /** Throws INVALID_ARGUMENT naming the first id outside [0, rows). */
  checkIds(ids: Int32Array): void {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]
      if (id < 0 || id >= this.rows) {
        throw new RecError('INVALID_ARGUMENT', `${this.name}: row id ${id} at position ${i} is outside [0, ${this.rows})`)
      }
    }
  }

  /** The rows of `ids`, copied into `out` ([ids.length, dim], allocated when absent). */
  gatherRows(ids: Int32Array, out: Float32Array = new Float32Array(ids.length * this.dim)): Float32Array {
    this.checkIds(ids)
    const d = this.dim
    for (let i = 0; i < ids.length; i++) out.set(this.weights.subarray(ids[i] * d, ids[i] * d + d), i * d)
    return out
  }

  /** The rows of `ids` as a [ids.length, dim] tensor: a leaf to take gradients against. */
  gather(ids: Int32Array): tf.Tensor2D {
    return tf.tensor2d(this.gatherRows(ids), [ids.length, this.dim])
  }

  /** Adds scale * grad[i] ([ids.length, dim]) to the pending gradient of row ids[i]; duplicates sum. */
  accumulate(ids: Int32Array, grad: Float32Array, scale = 1): void {
    if (grad.length !== ids.length * this.dim) {
      throw new RecError('MISMATCH', `${this.name}: gradient has ${grad.length} values for ${ids.length} ids of dim ${this.dim}`)
    }
    this.checkIds(ids)
    for (let i = 0; i < ids.length; i++) this.pending.add(ids[i], grad, i * this.dim, scale)
  }

  /** Adds scale * grad[offset .. offset + dim] to row `row` (hot path: the caller checked the id). */
  accumulateRow(row: number, grad: Float32Array, offset: number, scale = 1): void {
    this.pending.add(row, grad, offset, scale)
  }

  /** Copies of the gradients summed since the last step: rows [count] in first-touch order, values [count, dim]. */
  pendingGradients(): {rows: Int32Array; values: Float32Array} {
    const {count, rowList, values} = this.pending
    return {rows: rowList.slice(0, count), values: values.slice(0, count * this.dim)}
  }

  /** Drops the pending gradients without an update (e.g. a worker that handed them to the owner of the table). */
  clearGradients(): void {
    this.pending.clear()
  }

  /** One lazy Adam step on every row with a pending gradient, then clears them; returns the row count. */
  step(): number {
    const count = this.pending.count
    if (count === 0) return 0
    const n = this.weights.length
    this.m ??= new Float32Array(n)
    this.v ??= new Float32Array(n)
    this.steps ??= new Int32Array(this.rows)
    const {beta1: b1, beta2: b2} = this.adam
    const state = {w: this.weights, m: this.m, v: this.v}
    const [steps, d] = [this.steps, this.dim]
    const rows = this.pending.rowList
    const grads = this.pending.values
    for (let k = 0; k < count; k++) {
      const row = rows[k]
      const t = ++steps[row]
      adamUpdate(this.adam, 1 - Math.pow(b1, t), 1 - Math.pow(b2, t), state, row * d, grads, k * d, d)
    }
    this.pending.clear()
    return count
  }

  /** accumulate(ids, grad) then step(). */
  applyGradient(ids: Int32Array, grad: Float32Array): number {
    this.accumulate(ids, grad)
    return this.step()
  }

  /** Adam moments and per-row step counts, for resuming training; undefined before the first update. */
  optimizerState(): {m: Float32Array; v: Float32Array; steps: Int32Array} | undefined {
    return this.m && this.v && this.steps ? {m: this.m, v: this.v, steps: this.steps} : undefined
  }

  /** Restores what optimizerState returned (copied). */
  restoreOptimizerState(state: {m: Float32Array; v: Float32Array; steps: Int32Array}): void {
    if (state.m.length !== this.weights.length || state.v.length !== this.weights.length || state.steps.length !== this.rows) {
      throw new RecError('MISMATCH', `${this.name}: optimizer state does not fit a [${this.rows}, ${this.dim}] table`)
    }
    this.m = state.m.slice()
    this.v = state.v.slice()
    this.steps = state.steps.slice()
  }
}
