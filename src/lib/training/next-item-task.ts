// The next-item retrieval task: a softmax over the batch's columns (the catalogue, or targets + sampled negatives) per target position.
import type * as tf from '@tensorflow/tfjs'

import {inBatchSoftmaxLoss} from '../engine/in-batch-softmax.js'
import type {SequenceBatch} from './sequence-batches.js'

/**
 * Weighted mean over the N target positions of -log p(target), logits = cos(u, v) / temperature:
 * u [N, dim] the user tower at each position, v [C, dim] the item tower of the batch's columns.
 * Under full softmax every column appears once and there is no bias; under sampled softmax a
 * column drawn k times counts k times and logQ (log expected draws) is subtracted. Receives
 * embeddings only: the model owns the towers, this owns the loss (TFRS's Retrieval task).
 */
export function nextItemLoss(u: tf.Tensor2D, v: tf.Tensor2D, batch: SequenceBatch, temperature: number): tf.Scalar {
  return inBatchSoftmaxLoss(u, v, {
    temperature,
    positives: batch.positives,
    counts: batch.counts,
    columnBias: batch.logQ?.map((q) => -q),
    rowWeights: batch.weights,
    fixedColumns: batch.fixedColumns,
  })
}
