// Ranking: training examples/s (batch 1024) and the latency of scoring 500 candidates of one request (target < 2 ms).
// Usage: node bench/ranking.bench.js [--dataset DIR] [--steps 30] [--requests 300] [--archs mlp,dlrm,dcn]
// Without --dataset a gen-data world (2,000 users, 20,000 items, 200,000 interactions) is generated in a temp dir.
// With --dataset DIR --ranker CKPT --retrieval CKPT [--split test|val]: rec eval's ranker stage instead, NDCG@10 of
// the retrieval top-200 re-ranked by the ranker's fused score against retrieval's full ranking (paired bootstrap over users).
import {mkdtempSync, rmSync} from 'node:fs'
import {availableParallelism, loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import * as tf from '@tensorflow/tfjs'

import {readDataset} from '../dist/lib/dataset/store.js'
import {generateDataset} from '../dist/lib/dataset/synthetic/generate.js'
import {initBackend} from '../dist/lib/engine/backend.js'
import {DenseAdam} from '../dist/lib/engine/dense-adam.js'
import {runEval} from '../dist/lib/eval/run-eval.js'
import {RankingConfigSchema} from '../dist/lib/models/ranker/config.js'
import {createRanker, disposeRanker} from '../dist/lib/models/ranker/model.js'
import {createRankingScorer} from '../dist/lib/models/ranker/scorer.js'
import {Rng} from '../dist/lib/random/rng.js'
import {fitCrossStandardizer} from '../dist/lib/training/ranking/model-init.js'
import {makeRankingBatch} from '../dist/lib/training/ranking/ranking-batches.js'
import {prepareRankingData} from '../dist/lib/training/ranking/ranking-data.js'
import {rankingStep} from '../dist/lib/training/ranking/ranking-step.js'

const {values} = parseArgs({
  options: {dataset: {type: 'string'}, steps: {type: 'string', default: '30'}, requests: {type: 'string', default: '300'}, archs: {type: 'string', default: 'mlp,dlrm,dcn'}, ranker: {type: 'string'}, retrieval: {type: 'string'}, split: {type: 'string', default: 'test'}},
})
const CANDIDATES = 500

if (values.ranker && values.retrieval && values.dataset) {
  const report = await runEval({dataset: values.dataset, models: [{kind: 'checkpoint', path: values.retrieval}], split: values.split, ks: [10, 50, 100], protocol: {kind: 'full'}, ranker: {path: values.ranker, candidates: 200}})
  const [parent, stage] = report.models
  const {candidates, candidateRecall, delta} = stage.stage
  const [before, after] = [report.metrics[parent.key], report.metrics[stage.key]]
  const d = delta['ndcg@10']
  console.log(`${values.split}: ${report.protocol.usersEvaluated} users, top ${candidates.depth} candidates (${candidates.meanPerUser.toFixed(1)} per user existing at request time), candidate recall ${candidateRecall.toFixed(3)}`)
  console.log(`ndcg@10: retrieval ${before['ndcg@10'].toFixed(4)} | re-ranked ${after['ndcg@10'].toFixed(4)}`)
  console.log(`re-ranked minus retrieval: ${d.delta.toFixed(4)}, 95% CI [${d.ciLow.toFixed(4)}, ${d.ciHigh.toFixed(4)}], p ${d.pValue.toFixed(3)}; recall@10 ${before['recall@10'].toFixed(4)} -> ${after['recall@10'].toFixed(4)}`)
  process.exit(0)
}

// --- data: a generated world unless one is given
let scratch
let path = values.dataset
if (!path) {
  scratch = mkdtempSync(join(tmpdir(), 'rec-ranking-bench-'))
  path = join(scratch, 'world')
  await generateDataset(path, {params: {users: 2000, items: 20_000, interactions: 200_000, seed: 7}})
}
const backend = await initBackend('wasm')
const dataset = await readDataset(path)
console.log(`dataset ${path}: ${dataset.manifest.counts.users} users, ${dataset.manifest.counts.items} items, ${dataset.manifest.counts.interactions} interactions; backend ${backend.name}; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`)

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]

for (const arch of values.archs.split(',')) {
  const config = RankingConfigSchema.parse({arch})
  const data = prepareRankingData(dataset, path, config, new Rng(1))
  const cross = fitCrossStandardizer(data, true, undefined, new Rng(2))
  const entities = {nUsers: data.inputs.users.size, nItems: data.inputs.items.size, user: data.inputs.userFeatures, item: data.inputs.itemFeatures}
  const model = createRanker(config, data.heads, entities, cross, new Rng(3))

  // --- training: steps over shuffled train examples, batch assembly (features, cross features) included
  const adam = new DenseAdam({learningRate: config.lr})
  const order = new Rng(4).shuffle(Int32Array.from({length: data.train.user.length}, (_, i) => i))
  const steps = Number(values.steps)
  rankingStep(model, data.stats, makeRankingBatch(data.train, order, 0, config['batch-size']), adam)
  const started = performance.now()
  for (let s = 1; s <= steps; s++) rankingStep(model, data.stats, makeRankingBatch(data.train, order, s * config['batch-size'], config['batch-size']), adam)
  const seconds = (performance.now() - started) / 1000
  adam.dispose()

  // --- scoring: one user, 500 candidates, one request time; the production scorer
  const scorer = createRankingScorer({model, inputs: data.inputs, stats: data.stats})
  const rng = new Rng(5)
  const ts = Math.max(...data.val.ts)
  const requests = Number(values.requests)
  const times = []
  // CPU time of the process during each request: on a shared machine wall time also counts waiting for a core.
  const cpuTimes = []
  for (let r = -20; r < requests; r++) {
    const items = Int32Array.from({length: CANDIDATES}, () => 1 + rng.int(data.inputs.items.size - 1))
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    scorer.score({user: 1 + rng.int(data.inputs.users.size - 1), items, ts})
    const wall = performance.now() - t0
    const cpu = process.cpuUsage(c0)
    if (r >= 0) {
      times.push(wall)
      cpuTimes.push((cpu.user + cpu.system) / 1000)
    }
  }
  times.sort((a, b) => a - b)
  cpuTimes.sort((a, b) => a - b)
  console.log(
    `${arch.padEnd(4)} | train ${Math.round((steps * config['batch-size']) / seconds)} examples/s (batch ${config['batch-size']}, ${steps} steps) | ` +
      `score ${CANDIDATES} candidates: p50 ${percentile(times, 0.5).toFixed(2)} ms, p90 ${percentile(times, 0.9).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms (target p50 < 2 ms); CPU p50 ${percentile(cpuTimes, 0.5).toFixed(2)} ms`,
  )
  scorer.dispose()
  disposeRanker(model)
}
console.log(`tensors left after disposing everything: ${tf.memory().numTensors}`)
if (scratch) rmSync(scratch, {recursive: true, force: true})
