#!/usr/bin/env node
// Feed quality against candidate budget and diversity: the whole mixer (sources -> filters -> scorers -> selectors)
// replayed offline for every test user, recall@K and NDCG@K of the served feed against the user's held-out test
// positives, its diversity (ILD: mean pairwise cosine distance of the shown items' item-tower vectors; topic
// diversity as `rec eval` computes it) and the in-process ms per feed, for several source quotas and MMR lambdas.
// The figures behind the default quotas and Mmr lambda in config/mixer.yaml.
// Usage: node bench/feed-quality.bench.js [--quotas 100,75,50,30] [--lambdas 0.7] [--k 20] [--ranking] [--work DIR]
// --ranking also trains each world's heavy ranker and replays the feeds a second time with it scoring the candidates.
// Worlds (built once under --work and reused): MovieLens 100K from ../shared/data/ml-100k when present (no follows:
// no in-network source), and a gen-data world of 5,000 users, 20,000 items and 1M interactions.
// Protocol: the dataset's own split (leave-last-out); the serving world, the user vectors and the popularity are
// built from train + val rows only, the checkpoints are trained on train; the test targets and the metrics are
// those of `rec eval --split test` (held-out positives not in the train + val history; recall@K = hits / |targets|);
// one feed of K per test user, exploration on (seeded per user as in serving). Every feed is asked at the world's
// clock (its last train/val row), as `rec serve` does for a replayed world, not at each user's test time: a
// time-aware ranker sees later features here than in `rec eval --ranker`, which scores at the user's first test
// interaction.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {parseArgs} from 'node:util'

import {getColumn, takeRows} from '../dist/lib/dataset/columns.js'
import {readDataset} from '../dist/lib/dataset/store.js'
import {datasetRule} from '../dist/lib/eval/positive-rule.js'
import {buildRankingTask} from '../dist/lib/features/holdout.js'
import {selectPositives} from '../dist/lib/features/positives.js'
import {csrFromLists, DiversityScorer, ndcgAt, recallAt} from '../dist/lib/metrics/index.js'
import {MixerConfigSchema} from '../dist/lib/mixer/config.js'
import {applyOverrides} from '../dist/lib/mixer/overrides.js'
import {loadServingEngine} from '../dist/lib/serving/serving-engine.js'
import {Recommender} from '../dist/lib/serving/recommender.js'

const DEFAULTS = MixerConfigSchema.parse({})
const {values: args} = parseArgs({
  options: {
    quotas: {type: 'string', default: '100,75,50,30'},
    lambdas: {type: 'string', default: String(DEFAULTS.selectors.find((s) => s.id === 'Mmr').params.lambda)},
    k: {type: 'string', default: '20'},
    ranking: {type: 'boolean', default: false},
    work: {type: 'string', default: join(tmpdir(), 'rec-feed-quality')},
  },
})
const BIN = resolve(import.meta.dirname, '../bin/run.js')
const CONFIG = resolve(import.meta.dirname, '../config')
const k = Number(args.k)

function rec(argv) {
  const started = performance.now()
  const result = spawnSync(process.execPath, [BIN, ...argv, '--quiet'], {stdio: ['ignore', 'ignore', 'inherit']})
  if (result.status !== 0) throw new Error(`rec ${argv.join(' ')} failed`)
  process.stdout.write(`rec ${argv.slice(0, 2).join(' ')}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
}

/** Builds (once) a world's dataset, retrieval checkpoint and, with --ranking, its ranker. */
function world(name, makeDataset, retrievalArgs, rankingConfig) {
  const dir = join(args.work, name)
  mkdirSync(dir, {recursive: true})
  const paths = {dataset: join(dir, 'data'), retrieval: join(dir, 'retrieval'), ranking: args.ranking ? join(dir, 'ranking') : undefined}
  if (!existsSync(paths.dataset)) makeDataset(paths.dataset)
  if (!existsSync(paths.retrieval)) rec(['train', 'retrieval', '--dataset', paths.dataset, '--out', paths.retrieval, ...retrievalArgs])
  if (paths.ranking && !existsSync(paths.ranking)) rec(['train', 'ranking', '--dataset', paths.dataset, '--config', join(CONFIG, rankingConfig), '--out', paths.ranking])
  return {name, ...paths}
}

const worlds = []
const movielens = resolve(import.meta.dirname, '../../shared/data/ml-100k')
if (existsSync(movielens)) {
  worlds.push(world('ml-100k', (out) => rec(['data', 'import', 'movielens', movielens, '--out', out]), ['--config', join(CONFIG, 'movielens.yaml')], 'ranking-movielens.yaml'))
}
worlds.push(
  world(
    'gen-5000x20000',
    (out) => rec(['gen-data', '--out', out, '--users', '5000', '--items', '20000', '--interactions', '1000000']),
    ['--dim', '32', '--epochs', '3', '--batch-size', '1024', '--history-length', '20'],
    'ranking-synthetic.yaml',
  ),
)

/** The dataset without its test rows: what the serving world, user vectors and popularity may see. */
function withoutTest(dataset) {
  const split = getColumn(dataset.interactions, 'split', 'dict')
  const test = split.dictionary.indexOf('test')
  const kept = []
  for (let i = 0; i < split.codes.length; i++) if (split.codes[i] !== test) kept.push(i)
  return {...dataset, interactions: takeRows(dataset.interactions, kept)}
}

/**
 * One feed per test user: mean recall@K and NDCG@K over the test targets as `rec eval --split test` defines them
 * (buildRankingTask: held-out positives not already in the train + val history), embedding ILD and topic diversity
 * (rec eval's diversity@K over the topic column), ms per feed, and the hits by source.
 */
async function replay(engine, config, dataset) {
  const {users, items, itemVectors, dim, topic} = engine.world
  const task = buildRankingTask(selectPositives(dataset.interactions, users, items, datasetRule(dataset.manifest)), users.size, 'test')
  const topics = topic ? new DiversityScorer(csrFromLists(Array.from(topic, (t) => (t >= 0 ? [t] : [])))) : undefined
  const recommender = new Recommender(engine, config, undefined, 'private')
  const positions = new Int32Array(k)
  const sums = {recall: 0, ndcg: 0, ild: 0, topics: 0, feedMs: 0}
  const hitsBySource = {}
  for (let u = 0; u < task.users.length; u++) {
    const targets = new Set(task.targets.rows.subarray(task.targets.offsets[u], task.targets.offsets[u + 1]))
    const started = performance.now()
    const feed = JSON.parse(await recommender.recommend(users.id(task.users[u]), {k}))
    sums.feedMs += performance.now() - started
    const rows = Int32Array.from(feed.items, (item) => items.row(BigInt(item.item_id)))
    let hits = 0
    rows.forEach((row, position) => {
      if (!targets.has(row)) return
      positions[hits++] = position
      hitsBySource[feed.items[position].source] = (hitsBySource[feed.items[position].source] ?? 0) + 1
    })
    sums.recall += recallAt(positions, hits, targets.size, k)
    sums.ndcg += ndcgAt(positions, hits, targets.size, k)
    let distance = 0
    for (let a = 0; a < rows.length; a++) {
      for (let b = a + 1; b < rows.length; b++) {
        let dot = 0
        for (let j = 0; j < dim; j++) dot += itemVectors[rows[a] * dim + j] * itemVectors[rows[b] * dim + j]
        distance += 1 - dot
      }
    }
    sums.ild += rows.length > 1 ? distance / ((rows.length * (rows.length - 1)) / 2) : 0
    sums.topics += topics ? topics.score(rows, 0, rows.length) : 0
  }
  const n = task.users.length
  return {users: n, recall: sums.recall / n, ndcg: sums.ndcg / n, ild: sums.ild / n, topics: topics ? (sums.topics / n).toFixed(3) : '-', feedMs: sums.feedMs / n, hitsBySource}
}

for (const w of worlds) {
  const dataset = await readDataset(w.dataset)
  const history = withoutTest(dataset)
  for (const ranking of w.ranking ? [undefined, w.ranking] : [undefined]) {
    process.stdout.write(`\n${w.name}${ranking ? ' + heavy ranker' : ''}: feed k=${k}\n`)
    for (const quota of args.quotas.split(',').map(Number)) {
      for (const lambda of args.lambdas.split(',').map(Number)) {
        const config = applyOverrides(DEFAULTS, {quotas: Object.fromEntries(DEFAULTS.sources.map((s) => [s.id, quota])), 'mmr-lambda': lambda})
        const engine = await loadServingEngine({retrieval: w.retrieval, dataset: w.dataset, ranking}, config, {dataset: history})
        const r = await replay(engine, config, dataset)
        const sources = Object.entries(r.hitsBySource).map(([source, n]) => `${source} ${n}`).join(', ')
        process.stdout.write(
          `quota ${String(quota).padStart(3)} per source, mmr lambda ${lambda} | ${r.users} users | recall@${k} ${r.recall.toFixed(4)} | ndcg@${k} ${r.ndcg.toFixed(4)} | ILD ${r.ild.toFixed(3)} | topic diversity ${r.topics} | ${r.feedMs.toFixed(2)} ms/feed | hits by source: ${sources || 'none'}\n`,
        )
      }
    }
  }
}
