// Gradients of every architecture on the wasm backend agree with finite differences; the loss matches its formula.
import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {initBackend} from '../../src/lib/engine/backend.js'
import type {EntityFeatures} from '../../src/lib/features/entity-features.js'
import {CategoryVocab} from '../../src/lib/features/vocab.js'
import {RankingConfigSchema} from '../../src/lib/models/ranker/config.js'
import {rankerLogits} from '../../src/lib/models/ranker/forward.js'
import {createRanker, disposeRanker, type RankerModel, rankerVariables} from '../../src/lib/models/ranker/model.js'
import {Rng} from '../../src/lib/random/rng.js'
import {weightedBinaryCrossEntropy} from '../../src/lib/training/ranking/binary-loss.js'

const [B, D] = [6, 4]

function entities(prefix: string, rows: number, numeric: number): EntityFeatures {
  const vocab = new CategoryVocab(['x', 'y'])
  return {
    fields: [{name: `${prefix}f`, vocab, offsets: Int32Array.from({length: rows + 1}, (_, i) => i), rows: Int32Array.from({length: rows}, (_, i) => i % 3), weights: new Float32Array(rows).fill(1)}],
    numeric: {names: Array.from({length: numeric}, (_, i) => `n${i}`), mean: [], std: [], values: new Float32Array(rows * numeric)},
  }
}

function model(arch: 'mlp' | 'dlrm' | 'dcn', towerWidth: number): RankerModel {
  const config = RankingConfigSchema.parse({arch, dim: D, 'bottom-layers': [8, 6], 'top-layers': [5], 'cross-layers': 2, 'tower-width': towerWidth})
  const heads = [{name: 'click', events: ['click']}, {name: 'like', events: ['like']}, {name: 'negative', events: ['skip']}]
  const cross = {names: ['a', 'b'], mean: [0, 0], std: [1, 1]}
  return createRanker(config, heads, {nUsers: 5, nItems: 7, user: entities('u', 5, 1), item: entities('i', 7, 2)}, cross, new Rng(11))
}

beforeAll(async () => {
  await initBackend('wasm')
})

describe.each([
  ['mlp', 16],
  ['mlp', 0],
  ['dlrm', 4],
  ['dcn', 4],
] as const)('%s ranker (tower width %d) on wasm', (arch, towerWidth) => {
  it('has gradients that match central differences', () => {
    const m = model(arch, towerWidth)
    const rng = new Rng(3)
    const width = m.slots.length * D
    const emb = tf.variable(tf.tensor2d(Float32Array.from({length: B * width}, () => rng.normal() * 0.5), [B, width]))
    const features = tf.tensor2d(Float32Array.from({length: B * m.denseNames.length}, () => rng.normal()), [B, m.denseNames.length])
    const labels = tf.tensor2d(Float32Array.from({length: B * 3}, () => (rng.bernoulli(0.4) ? 1 : 0)), [B, 3])
    const weights = tf.tensor2d(Float32Array.from({length: B}, (_, b) => 0.5 + b / B), [B, 1])
    const loss = () => weightedBinaryCrossEntropy(rankerLogits(m, emb, features), labels, weights, 3)
    const variables = rankerVariables(m)
    const {grads} = tf.variableGrads(loss, [emb, ...variables])
    // One coordinate at a time (the three largest gradients of each tensor): a one-weight nudge
    // rarely crosses a ReLU kink, which a random direction over every weight often does.
    for (const target of [emb, variables[0], variables.at(-2)!]) {
      const grad = grads[target.name].dataSync() as Float32Array
      const top = Array.from(grad.keys()).sort((i, j) => Math.abs(grad[j]) - Math.abs(grad[i])).slice(0, 3)
      const original = target.clone()
      const values = original.dataSync() as Float32Array
      for (const k of top) {
        const eps = 1e-3
        const at = (delta: number) => {
          const nudged = values.slice()
          nudged[k] += delta
          tf.tidy(() => target.assign(tf.tensor(nudged, target.shape)))
          return tf.tidy(() => loss().dataSync()[0])
        }
        const numeric = (at(eps) - at(-eps)) / (2 * eps)
        expect(Math.abs(grad[k] - numeric)).toBeLessThan(0.03 * Math.abs(numeric) + 2e-4)
      }
      target.assign(original)
      original.dispose()
    }
    tf.dispose([emb, features, labels, weights, ...Object.values(grads)])
    disposeRanker(m)
  })
})

describe('weighted binary cross-entropy', () => {
  it('equals the weighted mean of -y log p - (1 - y) log(1 - p) summed over heads, also for large logits', () => {
    const z = [[-30, 0.5], [2, 40]]
    const y = [[0, 1], [1, 0]]
    const w = [2, 1]
    const value = tf.tidy(() => weightedBinaryCrossEntropy(tf.tensor2d(z), tf.tensor2d(y), tf.tensor2d(w, [2, 1]), 3).dataSync()[0])
    const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))
    let expected = 0
    for (let b = 0; b < 2; b++) for (let h = 0; h < 2; h++) expected += w[b] * (softplus(z[b][h]) - y[b][h] * z[b][h])
    expect(value).toBeCloseTo(expected / 3, 4)
  })
})
