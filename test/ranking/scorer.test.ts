// The request kernels of every arch score exactly what the tfjs training forward pass computes on the same pairs.
import * as tf from '@tensorflow/tfjs'
import {beforeAll, describe, expect, it} from 'vitest'

import {readDataset} from '../../src/lib/dataset/store.js'
import {initBackend} from '../../src/lib/engine/backend.js'
import {RankingConfigSchema} from '../../src/lib/models/ranker/config.js'
import {assembleInputs} from '../../src/lib/models/ranker/inputs.js'
import {createRanker, disposeRanker, type RankerModel, rankerLayers, rankerTables} from '../../src/lib/models/ranker/model.js'
import {predictProbabilities} from '../../src/lib/models/ranker/predict.js'
import {createRequestInputs} from '../../src/lib/models/ranker/request-inputs.js'
import {createRankingScorer} from '../../src/lib/models/ranker/scorer.js'
import {Rng} from '../../src/lib/random/rng.js'
import {fitCrossStandardizer} from '../../src/lib/training/ranking/model-init.js'
import {prepareRankingData, type RankingData} from '../../src/lib/training/ranking/ranking-data.js'
import type {RetrievalFeature} from '../../src/lib/training/ranking/retrieval-feature.js'
import {tempDir} from '../helpers/cli.js'
import {writeWorld} from './fixtures.js'

let data: RankingData

beforeAll(async () => {
  await initBackend('wasm')
  const world = await writeWorld(tempDir('rec-scorer-'))
  data = prepareRankingData(await readDataset(world), world, RankingConfigSchema.parse({}), new Rng(1))
})

/** A stand-in retrieval model: any deterministic score per pair exercises the retrieval_score column. */
const retrieval: RetrievalFeature = {source: 'test', scores: (users, items) => Float32Array.from(items, (item, p) => Math.sin(item * 0.37 + users[p]))}

/**
 * A ranker of `overrides` with every weight random and large enough that the probabilities spread
 * over (0, 1): tables ~U(-0.85, 0.85), kernels with unit output variance (U(±sqrt(3 / fan-in))),
 * biases ~U(-0.5, 0.5).
 */
function randomRanker(overrides: Record<string, unknown>, withRetrieval = false): RankerModel {
  const config = RankingConfigSchema.parse(overrides)
  const cross = fitCrossStandardizer(data, config['cross-features'], withRetrieval ? retrieval : undefined, new Rng(2))
  const entities = {nUsers: data.inputs.users.size, nItems: data.inputs.items.size, user: data.inputs.userFeatures, item: data.inputs.itemFeatures}
  const model = createRanker(config, data.heads, entities, cross, new Rng(3))
  const rng = new Rng(4)
  for (const table of Object.values(rankerTables(model))) for (let i = 0; i < table.weights.length; i++) table.weights[i] = (rng.next() - 0.5) * 1.7
  for (const layer of rankerLayers(model)) {
    const [rows, cols] = layer.kernel.shape
    tf.tidy(() => {
      layer.kernel.assign(tf.tensor2d(Float32Array.from({length: rows * cols}, () => (rng.next() - 0.5) * 2 * Math.sqrt(3 / rows)), [rows, cols]))
      layer.bias.assign(tf.tensor1d(Float32Array.from({length: cols}, () => rng.next() - 0.5)))
    })
  }
  return model
}

/** Three requests of 37 candidates (repeats included) at times inside the log, so histories and cross features are non-trivial. */
function requests(model: RankerModel): Array<{user: number; items: Int32Array; ts: number; retrieval?: Float32Array}> {
  const rng = new Rng(6)
  return [0.3, 0.6, 0.95].map((q, r) => {
    const t = data.val.ts[Math.floor(q * (data.val.ts.length - 1))]
    const user = 1 + ((r * 53) % (data.inputs.users.size - 1))
    const items = Int32Array.from({length: 37}, () => rng.int(data.inputs.items.size))
    const scores = model.cross.names.includes('retrieval_score') ? retrieval.scores(new Int32Array(items.length).fill(user), items, t) : undefined
    return {user, items, ts: t, retrieval: scores}
  })
}

const CASES: Array<[string, Record<string, unknown>, boolean?]> = [
  ['mlp', {arch: 'mlp'}],
  ['mlp, linear heads', {arch: 'mlp', 'tower-width': 0}],
  ['mlp without hidden layers', {arch: 'mlp', 'bottom-layers': []}],
  ['mlp with the retrieval score', {arch: 'mlp'}, true],
  ['dlrm', {arch: 'dlrm'}],
  ['dlrm without top layers', {arch: 'dlrm', 'top-layers': []}],
  ['dlrm without dense features', {arch: 'dlrm', 'user-features': false, 'item-features': false, 'cross-features': false}],
  ['dlrm with the retrieval score', {arch: 'dlrm', 'bottom-layers': [8]}, true],
  ['dcn', {arch: 'dcn'}],
  ['dcn, one cross layer, no bottom layers', {arch: 'dcn', 'cross-layers': 1, 'bottom-layers': []}],
  ['dcn without history or features', {arch: 'dcn', 'history-length': 0, 'user-features': false, 'item-features': false, 'cross-layers': 3}],
  ['logreg', {arch: 'logreg'}],
  ['logreg with the retrieval score, no ids', {arch: 'logreg', 'id-embeddings': false}, true],
]

describe('request kernels', () => {
  it.each(CASES)('%s: probabilities within 1e-5 of the training forward pass', (_name, overrides, withRetrieval) => {
    const model = randomRanker(overrides, withRetrieval)
    const scorer = createRankingScorer({model, inputs: data.inputs, stats: data.stats})
    const tensors = tf.memory().numTensors
    let spread = 0
    for (const request of requests(model)) {
      const n = request.items.length
      const reference = predictProbabilities(model, data.stats, {users: new Int32Array(n).fill(request.user), items: request.items, ts: request.ts, retrieval: request.retrieval})
      const {probabilities} = scorer.score(request)
      expect(probabilities.length).toBe(reference.length)
      let worst = 0
      for (let i = 0; i < reference.length; i++) worst = Math.max(worst, Math.abs(probabilities[i] - reference[i]))
      expect(worst).toBeLessThan(1e-5)
      spread = Math.max(spread, Math.max(...reference) - Math.min(...reference))
    }
    // The comparison means something only if the scores differ across candidates and heads.
    expect(spread).toBeGreaterThan(0.3)
    expect(tf.memory().numTensors).toBe(tensors)
    scorer.dispose()
    disposeRanker(model)
  })

  it('adds the sampling correction log(k q(item)) to every logit', () => {
    const model = randomRanker({arch: 'dcn'})
    model.logQ = Float32Array.from({length: data.inputs.items.size}, (_, i) => -3 + (i % 7) * 0.5)
    const scorer = createRankingScorer({model, inputs: data.inputs, stats: data.stats})
    const [request] = requests(model)
    const offsets = Float32Array.from(request.items, (i) => model.logQ![i])
    const reference = predictProbabilities(model, data.stats, {users: new Int32Array(request.items.length).fill(request.user), items: request.items, ts: request.ts}, offsets)
    const {probabilities} = scorer.score(request)
    for (let i = 0; i < reference.length; i++) expect(Math.abs(probabilities[i] - reference[i])).toBeLessThan(1e-5)
    scorer.dispose()
    disposeRanker(model)
  })

  it('scores an empty candidate list as empty', () => {
    const model = randomRanker({arch: 'dlrm'})
    const scorer = createRankingScorer({model, inputs: data.inputs, stats: data.stats})
    const result = scorer.score({user: 1, items: new Int32Array(0), ts: data.val.ts[0]})
    expect(result.probabilities.length).toBe(0)
    expect(result.fused.length).toBe(0)
    scorer.dispose()
    disposeRanker(model)
  })
})

describe('request inputs', () => {
  it('assemble the same rows as the shared input code, from the user part and cached item parts', () => {
    const model = randomRanker({arch: 'dcn'}, true)
    const request = createRequestInputs(model, data.stats, data.inputs.items.size)
    const width = model.slots.length * model.dim
    const nd = model.denseNames.length
    for (const {user, items, ts, retrieval: scores} of requests(model)) {
      const n = items.length
      const rows = request.assemble(user, items, ts, scores)
      const reference = assembleInputs(model, data.stats, {users: new Int32Array(n).fill(user), items, ts, retrieval: scores})
      const joined = new Float32Array(n * (width + nd))
      for (let p = 0; p < n; p++) {
        joined.set(reference.emb.subarray(p * width, (p + 1) * width), p * (width + nd))
        joined.set(reference.dense.subarray(p * nd, (p + 1) * nd), p * (width + nd) + width)
      }
      expect(Array.from(rows)).toEqual(Array.from(joined))
    }
    disposeRanker(model)
  })
})
