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

/**
 * Steps every batch of `order` (batch size from the plan); a last batch of one example has no
 * negatives and is skipped. The next batch is drawn while `step`'s promise is pending (workers
 * finishing their chunks), in the same draw order as without overlap. A non-finite loss stops the
 * pass with BAD_DATA naming the epoch. `onStep` gets the running mean loss, examples and ms.
 */
export async function trainEpoch(
  examples: RetrievalExamples,
  order: Uint32Array,
  plan: BatchPlan,
  rng: Rng,
  epoch: number,
  step: (batch: RetrievalBatch) => number | Promise<number>,
  onStep: (loss: number, seen: number, ms: number) => void,
): Promise<EpochPass> {
  let lossSum = 0
  let seen = 0
  const t0 = performance.now()
  let batch = makeBatch(examples, order, 0, plan, rng)
  for (let start = 0; start < order.length; start += plan.batchSize) {
    const size = batch.users.length
    const stepping = size < 2 ? undefined : step(batch)
    if (start + plan.batchSize < order.length) batch = makeBatch(examples, order, start + plan.batchSize, plan, rng)
    if (stepping === undefined) continue
    const loss = await stepping
    if (!Number.isFinite(loss)) throw new RecError('BAD_DATA', `loss became ${loss} at epoch ${epoch}`, {hint: 'lower --lr or raise --temperature'})
    lossSum += loss * size
    seen += size
    onStep(lossSum / seen, seen, performance.now() - t0)
  }
  return {loss: lossSum / seen, examples: seen, ms: performance.now() - t0}
}
