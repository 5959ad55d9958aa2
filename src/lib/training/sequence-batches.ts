// Batches of sequence windows: [B, L] inputs, the real target positions, and the softmax's columns (catalogue or sampled).
import {PAD} from '../engine/mean-pool.js'
import {lowerBound} from '../kernels/lower-bound.js'
import type {Rng} from '../random/rng.js'
import {distinctColumns} from './retrieval-batches.js'
import type {SequenceWindows} from './sequence-windows.js'

export interface SequencePlan {
  batchSize: number
  length: number
  nItems: number
  /** 'full': every item row 1..nItems-1 is a column; 'sampled': targets + `negatives` drawn items. */
  softmax: 'full' | 'sampled'
  negatives: number
  sampler: 'uniform' | 'popularity' | 'mixed'
  /** [nItems] cumulative train frequency (for the popularity sampler and logQ), last value 1. */
  cumulative: Float64Array
  /** Subtract log(expected draws) from each sampled column's logit. */
  logq: boolean
}

export interface SequenceBatch {
  /** [B] user rows and [B, L] right-aligned input windows (PAD = -1). */
  users: Int32Array
  inputs: Int32Array
  /** [N] flat position b * L + l of each real target, and its user's row in the batch. */
  positions: Int32Array
  rowUser: Int32Array
  /** [N] target weights (the positives' weights). */
  weights: Float32Array
  /** [C] item rows scored, [C] times drawn, [N] column of each target, [C] log expected draws or undefined. */
  columns: Int32Array
  counts: Float32Array
  positives: Int32Array
  logQ?: Float32Array
  /** Full softmax: the columns are the catalogue, each item once (targets may share a column). */
  fixedColumns: boolean
  /** Seed of this step's dropout masks. */
  dropoutSeed: number
}

/** Frequency of each item row among the windows' targets (add-one smoothed, row 0 never), as a cumulative distribution. */
export function targetDistribution(windows: SequenceWindows, nItems: number): Float64Array {
  const counts = new Float64Array(nItems).fill(1)
  counts[0] = 0
  const h = windows.history
  for (let u = 0; u + 1 < h.offsets.length; u++) for (let k = h.offsets[u] + 1; k < h.offsets[u + 1]; k++) counts[h.items[k]]++
  let total = 0
  for (let i = 0; i < nItems; i++) total += counts[i]
  const cumulative = new Float64Array(nItems)
  let run = 0
  for (let i = 0; i < nItems; i++) cumulative[i] = run += counts[i] / total
  cumulative[nItems - 1] = 1
  return cumulative
}

function probability(cumulative: Float64Array, item: number): number {
  return cumulative[item] - (item > 0 ? cumulative[item - 1] : 0)
}

/** One negative: uniform over rows 1..nItems-1, by train frequency, or each with probability 1/2. */
function drawNegative(plan: SequencePlan, rng: Rng): number {
  const popular = plan.sampler === 'popularity' || (plan.sampler === 'mixed' && rng.next() < 0.5)
  return popular ? Math.min(plan.nItems - 1, Math.max(1, lowerBound(plan.cumulative, rng.next()))) : 1 + rng.int(plan.nItems - 1)
}

/**
 * Windows order[start, start + batchSize). Full softmax: the columns are the catalogue (the same
 * arrays every batch). Sampled: the N targets and K negatives become distinct columns with their
 * draw counts; logQ of a column is log(N p(item) + K q(item)), its expected number of draws, with p
 * the target frequency and q the sampler's probability (as retrieval-batches does for in-batch + uniform).
 */
export function makeSequenceBatch(windows: SequenceWindows, order: Uint32Array, start: number, plan: SequencePlan, rng: Rng, catalogue?: Int32Array): SequenceBatch {
  const end = Math.min(order.length, start + plan.batchSize)
  const b = end - start
  const L = plan.length
  const h = windows.history
  const users = new Int32Array(b)
  const inputs = new Int32Array(b * L).fill(PAD)
  const positions: number[] = []
  const rowUser: number[] = []
  const targets: number[] = []
  const weights: number[] = []
  for (let i = 0; i < b; i++) {
    const w = order[start + i]
    const u = windows.user[w]
    users[i] = u
    const first = h.offsets[u]
    const e = windows.end[w]
    for (let l = 0; l < L; l++) {
      const target = e - L + l
      if (target - 1 < first) continue
      inputs[i * L + l] = h.items[target - 1]
      positions.push(i * L + l)
      rowUser.push(i)
      targets.push(h.items[target])
      weights.push(h.weight ? h.weight[target] : 1)
    }
  }
  const dropoutSeed = rng.nextU32()
  const base = {users, inputs, positions: Int32Array.from(positions), rowUser: Int32Array.from(rowUser), weights: Float32Array.from(weights), dropoutSeed}
  if (plan.softmax === 'full') {
    const columns = catalogue ?? Int32Array.from({length: plan.nItems - 1}, (_, k) => k + 1)
    return {...base, columns, counts: new Float32Array(columns.length).fill(1), positives: Int32Array.from(targets, (t) => t - 1), fixedColumns: true}
  }
  const n = targets.length
  const drawn = new Int32Array(n + plan.negatives)
  drawn.set(targets)
  for (let k = 0; k < plan.negatives; k++) drawn[n + k] = drawNegative(plan, rng)
  const {columns, counts, slots} = distinctColumns(drawn)
  let logQ: Float32Array | undefined
  if (plan.logq) {
    const uniform = 1 / (plan.nItems - 1)
    const share = plan.sampler === 'uniform' ? 0 : plan.sampler === 'popularity' ? 1 : 0.5
    logQ = Float32Array.from(columns, (item) => {
      const p = probability(plan.cumulative, item)
      return Math.log(n * p + plan.negatives * (share * p + (1 - share) * uniform))
    })
  }
  return {...base, columns, counts, positives: slots.slice(0, n), logQ, fixedColumns: false}
}
