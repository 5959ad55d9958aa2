#!/usr/bin/env node
// Feed quality against candidate budget and diversity: the whole mixer (sources -> filters -> scorers -> selectors)
// replayed offline for every test user, recall@K and NDCG@K of the served feed against the user's held-out test
// positives, its diversity (ILD: mean pairwise cosine distance of the shown items' item-tower vectors; the mean
// number of distinct topics) and the in-process ms per feed, for several source quotas and MMR lambdas. The figures
// behind the default quotas and mmr-lambda in config/mixer.yaml.
// Usage: node bench/feed-quality.bench.js [--quotas 100,75,50,30] [--lambdas 0.7] [--k 20] [--ranking] [--work DIR]
// --ranking also trains each world's heavy ranker and replays the feeds a second time with it scoring the candidates.
// Worlds (built once under --work and reused): MovieLens 100K from ../shared/data/ml-100k when present (no follows:
// no in-network source), and a gen-data world of 5,000 users, 20,000 items and 1M interactions.
// Protocol: the dataset's own split (leave-last-out); the serving world, the user vectors and the popularity are
// built from train + val rows only, the checkpoints are trained on train; one feed of K per test user with a
// known id, exploration on (seeded per user as in serving); recall@K = hits / min(|test positives|, K). Every feed is
// asked at the world's clock (its last train/val row), as `rec serve` does for a replayed world, not at each user's
// test time: a time-aware ranker sees later features here than in `rec eval --ranker`, which scores at the user's
// first test interaction.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {parseArgs} from 'node:util'

import {getColumn, takeRows} from '../dist/lib/dataset/columns.js'
import {readDataset} from '../dist/lib/dataset/store.js'
import {MixerConfigSchema} from '../dist/lib/mixer/config.js'
import {loadEngine} from '../dist/lib/serving/engine.js'
import {Recommender} from '../dist/lib/serving/recommender.js'

const {values: args} = parseArgs({
  options: {
    quotas: {type: 'string', default: '100,75,50,30'},
    lambdas: {type: 'string', default: String(MixerConfigSchema.parse({})['mmr-lambda'])},
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

/** The dataset without its test rows, and each user's test positives (item ids as strings, as the feed prints them). */
function holdOutTest(dataset) {
  const split = getColumn(dataset.interactions, 'split', 'dict')
  const event = getColumn(dataset.interactions, 'event', 'dict')
  const users = getColumn(dataset.interactions, 'user_id', 'int64').values
  const items = getColumn(dataset.interactions, 'item_id', 'int64').values
  const test = split.dictionary.indexOf('test')
  const positive = event.dictionary.map((name) => (dataset.manifest.positives[name] ?? 0) > 0)
  const kept = []
  const truth = new Map()
  for (let i = 0; i < split.codes.length; i++) {
    if (split.codes[i] !== test) kept.push(i)
    else if (positive[event.codes[i]]) {
      if (!truth.has(users[i])) truth.set(users[i], new Set())
      truth.get(users[i]).add(String(items[i]))
    }
  }
  return {history: {...dataset, interactions: takeRows(dataset.interactions, kept)}, truth}
}

/** One feed per test user with a known id: mean recall@K, NDCG@K, ILD and distinct topics, ms per feed, and the hits by source. */
async function replay(engine, config, truth) {
  const recommender = new Recommender(engine, config, undefined, 'private')
  let users = 0
  let recall = 0
  let ndcg = 0
  let feedMs = 0
  let ild = 0
  let topics = 0
  const {itemVectors, dim, topic} = engine.world
  const hitsBySource = {}
  for (const [userId, positives] of truth) {
    if (engine.world.users.row(userId) === 0) continue
    const started = performance.now()
    const feed = JSON.parse(await recommender.recommend(userId, {k}))
    feedMs += performance.now() - started
    let hits = 0
    let dcg = 0
    feed.items.forEach((item, position) => {
      if (!positives.has(item.item_id)) return
      hits++
      dcg += 1 / Math.log2(position + 2)
      hitsBySource[item.source] = (hitsBySource[item.source] ?? 0) + 1
    })
    const rows = feed.items.map((item) => engine.world.items.row(BigInt(item.item_id)))
    let distance = 0
    for (let a = 0; a < rows.length; a++) {
      for (let b = a + 1; b < rows.length; b++) {
        let dot = 0
        for (let j = 0; j < dim; j++) dot += itemVectors[rows[a] * dim + j] * itemVectors[rows[b] * dim + j]
        distance += 1 - dot
      }
    }
    ild += rows.length > 1 ? distance / ((rows.length * (rows.length - 1)) / 2) : 0
    topics += topic ? new Set(rows.map((row) => topic[row]).filter((t) => t >= 0)).size : 0
    const relevant = Math.min(positives.size, k)
    let idcg = 0
    for (let p = 0; p < relevant; p++) idcg += 1 / Math.log2(p + 2)
    users++
    recall += hits / relevant
    ndcg += dcg / idcg
  }
  return {users, recall: recall / users, ndcg: ndcg / users, ild: ild / users, topics: topics / users, feedMs: feedMs / users, hitsBySource}
}

for (const w of worlds) {
  const {history, truth} = holdOutTest(await readDataset(w.dataset))
  for (const ranking of w.ranking ? [undefined, w.ranking] : [undefined]) {
    process.stdout.write(`\n${w.name}${ranking ? ' + heavy ranker' : ''}: feed k=${k}\n`)
    for (const quota of args.quotas.split(',').map(Number)) {
      for (const lambda of args.lambdas.split(',').map(Number)) {
        const config = MixerConfigSchema.parse({sources: {InNetwork: quota, OutOfNetwork: quota, Graph: quota, Community: quota, Popular: quota}, 'mmr-lambda': lambda})
        const engine = await loadEngine({retrieval: w.retrieval, dataset: w.dataset, ranking}, config, {dataset: history})
        const r = await replay(engine, config, truth)
        const sources = Object.entries(r.hitsBySource).map(([source, n]) => `${source} ${n}`).join(', ')
        process.stdout.write(
          `quota ${String(quota).padStart(3)} per source, mmr lambda ${lambda} | ${r.users} users | recall@${k} ${r.recall.toFixed(4)} | ndcg@${k} ${r.ndcg.toFixed(4)} | ILD ${r.ild.toFixed(3)} | topics ${r.topics.toFixed(1)} | ${r.feedMs.toFixed(2)} ms/feed | hits by source: ${sources || 'none'}\n`,
        )
      }
    }
  }
}
