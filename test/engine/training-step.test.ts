// A small two-tower training step built from the engine's pieces: it learns, and leaks no tensors.
import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import {DenseAdam} from '../../src/lib/engine/dense-adam.js'
import {createMlp, denseVariables, mlp} from '../../src/lib/engine/dense.js'
import {matMul} from '../../src/lib/engine/matmul.js'
import {PAD, meanPoolRows, meanPoolRowsBackward} from '../../src/lib/engine/mean-pool.js'
import {inBatchSoftmaxLoss} from '../../src/lib/engine/in-batch-softmax.js'
import {softmaxCrossEntropy} from '../../src/lib/engine/softmax-cross-entropy.js'
import {SparseEmbedding} from '../../src/lib/engine/sparse-embedding.js'
import {Rng} from '../../src/lib/random/rng.js'

const [USERS, ITEMS, DIM, WIDTH, BATCH] = [20, 30, 8, 5, 16]

beforeAll(async () => {
  await initBackend('wasm')
})

// Two ways to score the batch: generic logits + labels, and the fused in-batch loss.
const LOSSES = {
  softmaxCrossEntropy: (u: tf.Tensor2D, v: tf.Tensor2D, labels: Int32Array) => softmaxCrossEntropy(matMul(u, tf.transpose(v)), labels),
  inBatchSoftmaxLoss: (u: tf.Tensor2D, v: tf.Tensor2D) => inBatchSoftmaxLoss(u, v, {temperature: 0.5}),
}

describe('a training step from engine pieces', () => {
  it.each(Object.keys(LOSSES) as Array<keyof typeof LOSSES>)('keeps tf.memory().numTensors flat over 20 steps while the loss falls (%s)', (lossName) => {
    const rng = new Rng(42)
    const adam = {learningRate: 0.05}
    const users = SparseEmbedding.create(USERS, DIM, rng.fork(1), {adam})
    const items = SparseEmbedding.create(ITEMS, DIM, rng.fork(2), {adam})
    const tower = createMlp('user', [DIM, 16, DIM], rng.fork(3))
    const weights = denseVariables(tower)
    const denseAdam = new DenseAdam(adam)
    const userIds = Int32Array.from({length: BATCH}, (_, b) => b)
    const itemIds = Int32Array.from({length: BATCH}, (_, b) => (b * 7) % ITEMS)
    const history = Int32Array.from({length: BATCH * WIDTH}, (_, k) => (k % WIDTH < 2 + (k % 3) ? rng.int(ITEMS) : PAD))
    const labels = Int32Array.from({length: BATCH}, (_, b) => b)

    const step = (): number => {
      const pooled = meanPoolRows(items, history, WIDTH) // [BATCH, DIM]
      const own = users.gatherRows(userIds)
      for (let i = 0; i < own.length; i++) own[i] += pooled[i]
      const u = tf.tensor2d(own, [BATCH, DIM])
      const v = items.gather(itemIds)
      const {value, grads} = tf.valueAndGrads((uIn: tf.Tensor, vIn: tf.Tensor) =>
        LOSSES[lossName](mlp(uIn as tf.Tensor2D, tower), vIn as tf.Tensor2D, labels),
      )([u, v, ...weights])
      const [du, dv, ...dw] = grads
      const duValues = du.dataSync() as Float32Array
      users.accumulate(userIds, duValues)
      meanPoolRowsBackward(items, history, WIDTH, duValues)
      items.accumulate(itemIds, dv.dataSync() as Float32Array)
      users.step()
      items.step()
      denseAdam.step(weights.map((variable, i) => ({variable, grad: dw[i]})))
      const loss = value.dataSync()[0]
      tf.dispose([u, v, value, ...grads])
      return loss
    }

    const losses = [step()]
    const afterFirst = tf.memory().numTensors
    for (let s = 1; s < 20; s++) {
      losses.push(step())
      expect(tf.memory().numTensors).toBe(afterFirst)
    }
    expect(losses[0]).toBeGreaterThan(Math.log(BATCH) - 0.5)
    expect(losses[19]).toBeLessThan(losses[0] * 0.5)
    denseAdam.dispose()
    tf.dispose(weights)
    expect(tf.memory().numTensors).toBe(0)
  })
})
