// One training pass over an epoch's shuffled examples: batches drawn in order, each stepped by `step`.
import {RecError} from '../errors.js'
import type {Rng} from '../random/rng.js'
import {type BatchPlan, makeBatch} from './retrieval-batches.js'
import type {RetrievalExamples} from './retrieval-examples.js'
import type {RetrievalBatch} from './retrieval-step.js'

export interface EpochPass {
  /** Example-weighted mean of the batch losses. */
  loss: number
  examples: number
  /** Wall time of the pass, batch drawing included. */
  ms: number
}

/** Where an epoch's batches come from: `count` items in batches of `batchSize`, batch k drawn by draw(k * batchSize). */
export interface EpochSource<B> {
  count: number
  batchSize: number
  draw(start: number): B
  /** Examples in a batch (the loss is averaged over them); a batch of fewer than 2 is skipped. */
  size(batch: B): number
}

/**
 * Steps every batch of the source. The next batch is drawn while `step`'s promise is pending
 * (workers finishing their chunks), in the same draw order as without overlap. A non-finite loss
 * stops the pass with BAD_DATA naming the epoch. `onStep` gets the running mean loss, examples and ms.
 */
export async function runEpoch<B>(
  source: EpochSource<B>,
  epoch: number,
  step: (batch: B) => number | Promise<number>,
  onStep: (loss: number, seen: number, ms: number) => void,
): Promise<EpochPass> {
  let lossSum = 0
  let seen = 0
  const t0 = performance.now()
  let batch = source.draw(0)
  for (let start = 0; start < source.count; start += source.batchSize) {
    const size = source.size(batch)
    const stepping = size < 2 ? undefined : step(batch)
    if (start + source.batchSize < source.count) batch = source.draw(start + source.batchSize)
    if (stepping === undefined) continue
    const loss = await stepping
    if (!Number.isFinite(loss)) throw new RecError('BAD_DATA', `loss became ${loss} at epoch ${epoch}`, {hint: 'lower --lr or raise --temperature'})
    lossSum += loss * size
    seen += size
    onStep(lossSum / seen, seen, performance.now() - t0)
  }
  return {loss: lossSum / seen, examples: seen, ms: performance.now() - t0}
}

/** runEpoch over retrieval examples in `order` (a last batch of one example has no negatives and is skipped). */
export function trainEpoch(
  examples: RetrievalExamples,
  order: Uint32Array,
  plan: BatchPlan,
  rng: Rng,
  epoch: number,
  step: (batch: RetrievalBatch) => number | Promise<number>,
  onStep: (loss: number, seen: number, ms: number) => void,
): Promise<EpochPass> {
  const source: EpochSource<RetrievalBatch> = {count: order.length, batchSize: plan.batchSize, draw: (start) => makeBatch(examples, order, start, plan, rng), size: (batch) => batch.users.length}
  return runEpoch(source, epoch, step, onStep)
}
