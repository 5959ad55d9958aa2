// Shuffled batches of retrieval examples with their history windows and extra negative columns.
import {PAD} from '../engine/mean-pool.js'
import {rightAlignedWindows} from '../features/history.js'
import type {Rng} from '../random/rng.js'
import type {RetrievalBatch} from './retrieval-step.js'
import type {RetrievalExamples} from './retrieval-examples.js'

export interface BatchPlan {
  batchSize: number
  historyLength: number
  nItems: number
  randomNegatives: number
  /** Per user row, mined hard-negative item rows (CSR), or undefined. */
  hard?: {offsets: Int32Array; rows: Int32Array; perExample: number}
  /** log item frequency per row for logQ, or undefined when logQ is off. */
  logFrequency?: Float32Array
}

/** Example order of one epoch: a seeded permutation. */
export function epochOrder(n: number, rng: Rng): Uint32Array {
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  return rng.shuffle(order)
}

/**
 * The batch of examples order[start, start + batchSize). Drawn columns: the B positives, then
 * `randomNegatives` uniform items (row 0, OOV, excluded), then hard negatives per example; each
 * distinct item becomes one column with its count (ML-100K: ~560 distinct of 1024 drawn), so the
 * [B, C] softmax work shrinks with repeats while the loss stays that of every drawn copy.
 * logQ per column is log(B * p_item + R / (nItems - 1)): the expected count of the item among the
 * drawn columns under in-batch plus uniform sampling.
 */
export function makeBatch(examples: RetrievalExamples, order: Uint32Array, start: number, plan: BatchPlan, rng: Rng): RetrievalBatch {
  const end = Math.min(order.length, start + plan.batchSize)
  const b = end - start
  const users = new Int32Array(b)
  const ends = new Int32Array(b)
  const weights = new Float32Array(b)
  const hardPer = plan.hard?.perExample ?? 0
  const drawn = new Int32Array(b + plan.randomNegatives + b * hardPer)
  for (let i = 0; i < b; i++) {
    const e = order[start + i]
    users[i] = examples.user[e]
    ends[i] = examples.histEnd[e]
    weights[i] = examples.weight[e]
    drawn[i] = examples.item[e]
  }
  for (let r = 0; r < plan.randomNegatives; r++) drawn[b + r] = 1 + rng.int(plan.nItems - 1)
  if (plan.hard && hardPer > 0) {
    const base = b + plan.randomNegatives
    for (let i = 0; i < b; i++) {
      const lo = plan.hard.offsets[users[i]]
      const n = plan.hard.offsets[users[i] + 1] - lo
      for (let h = 0; h < hardPer; h++) drawn[base + i * hardPer + h] = n > 0 ? plan.hard.rows[lo + rng.int(n)] : 1 + rng.int(plan.nItems - 1)
    }
  }
  const {columns, counts, slots} = distinctColumns(drawn)
  const length = Math.max(plan.historyLength, 1)
  const windows = plan.historyLength > 0 ? rightAlignedWindows(examples.history, users, ends, length, PAD) : new Int32Array(b).fill(PAD)
  let logQ: Float32Array | undefined
  if (plan.logFrequency) {
    const uniform = plan.randomNegatives / (plan.nItems - 1)
    logQ = Float32Array.from(columns, (item) => Math.log(b * Math.exp(plan.logFrequency![item]) + uniform))
  }
  return {users, windows, weights, columns, counts, positives: slots.slice(0, b), logQ}
}

/** Distinct items in first-drawn order, how often each was drawn, and each draw's column. */
export function distinctColumns(drawn: Int32Array): {columns: Int32Array; counts: Float32Array; slots: Int32Array} {
  const slotOf = new Map<number, number>()
  const slots = new Int32Array(drawn.length)
  const columns: number[] = []
  const counts: number[] = []
  for (let k = 0; k < drawn.length; k++) {
    let slot = slotOf.get(drawn[k])
    if (slot === undefined) {
      slot = columns.length
      slotOf.set(drawn[k], slot)
      columns.push(drawn[k])
      counts.push(0)
    }
    counts[slot]++
    slots[k] = slot
  }
  return {columns: Int32Array.from(columns), counts: Float32Array.from(counts), slots}
}
