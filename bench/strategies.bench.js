#!/usr/bin/env node
// The offline figures of the content model and the logreg ranker:
// 1. `rec eval --split test` on MovieLens 100K (from ../shared/data/ml-100k): popular, itemknn, the two-tower,
//    the content model (title + genres), and the two-tower's top 200 re-ranked by logreg and by the mlp ranker.
// 2. `rec train content` on a gen-data world of 100k items (wall time of the command, and of the fit alone), and the
//    in-process time of a content feed of 20 from those 100k items (ContentRecommender.topK, a test user's train+val
//    history as the profile), p50 / p99 over 2,000 requests.
// Usage: node bench/strategies.bench.js [--work DIR] [--skip-movielens] [--skip-scale]
// Built models are reused from --work when present (delete it to rebuild). Timings on a shared machine are indicative.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {parseArgs} from 'node:util'

import {getColumn} from '../dist/lib/dataset/columns.js'
import {readDataset} from '../dist/lib/dataset/store.js'
import {TEST} from '../dist/lib/dataset/schema.js'
import {buildHistory} from '../dist/lib/features/history.js'
import {selectPositives} from '../dist/lib/features/positives.js'
import {IdVocab} from '../dist/lib/features/vocab.js'
import {loadContentModel} from '../dist/lib/models/content/persist.js'
import {ContentRecommender} from '../dist/lib/models/content/recommender.js'

const {values: args} = parseArgs({
  options: {
    work: {type: 'string', default: join(tmpdir(), 'rec-strategies')},
    'skip-movielens': {type: 'boolean', default: false},
    'skip-scale': {type: 'boolean', default: false},
  },
})
const BIN = resolve(import.meta.dirname, '../bin/run.js')
const CONFIG = resolve(import.meta.dirname, '../config')
const ML100K = resolve(import.meta.dirname, '../../shared/data/ml-100k')
mkdirSync(args.work, {recursive: true})

/** Runs a rec command (stdout captured, stderr dropped), returns its parsed --json output and the wall time. */
function rec(argv) {
  const started = performance.now()
  const result = spawnSync(process.execPath, [BIN, ...argv, '--json', '--quiet'], {encoding: 'utf8', maxBuffer: 1 << 28})
  if (result.status !== 0) throw new Error(`rec ${argv.join(' ')} failed: ${result.stderr}`)
  return {json: JSON.parse(result.stdout), seconds: (performance.now() - started) / 1000}
}

/** Runs `argv` unless `out` exists (a model built by an earlier run). */
function build(out, argv) {
  if (existsSync(out)) return
  const {seconds} = rec([...argv, '--out', out])
  console.log(`  built ${out} in ${seconds.toFixed(1)} s`)
}

const pct = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]

function movielens() {
  if (!existsSync(ML100K)) {
    console.log(`skipping MovieLens: ${ML100K} not found`)
    return
  }
  const dir = join(args.work, 'ml100k')
  const data = join(dir, 'data')
  build(data, ['data', 'import', 'movielens', ML100K])
  const ckpt = (name) => join(dir, name)
  build(ckpt('two-tower'), ['train', 'retrieval', '--dataset', data, '--config', join(CONFIG, 'movielens.yaml')])
  build(ckpt('content'), ['train', 'content', '--dataset', data, '--config', join(CONFIG, 'content.yaml')])
  build(ckpt('logreg'), ['train', 'ranking', '--dataset', data, '--config', join(CONFIG, 'ranking-movielens.yaml'), '--arch', 'logreg'])
  build(ckpt('mlp'), ['train', 'ranking', '--dataset', data, '--config', join(CONFIG, 'ranking-movielens.yaml')])
  const rows = []
  const add = (label, report, key) => {
    const m = report.metrics[key ?? Object.keys(report.metrics)[0]]
    rows.push([label, m['recall@10'], m['ndcg@10'], m['recall@50'], m['ndcg@50']])
  }
  const common = ['--dataset', data, '--split', 'test', '--k', '10,50']
  for (const model of ['popular', 'itemknn']) add(model, rec(['eval', ...common, '--model', model]).json)
  const twoTower = rec(['eval', ...common, '--ckpt', ckpt('two-tower')]).json
  add('two-tower', twoTower)
  add('content (TF-IDF, title + genres)', rec(['eval', ...common, '--ckpt', ckpt('content')]).json)
  for (const arch of ['logreg', 'mlp']) {
    const report = rec(['eval', ...common, '--ckpt', ckpt('two-tower'), '--ranker', ckpt(arch), '--candidates', '200']).json
    add(`two-tower top 200 > ${arch} ranker`, report, Object.keys(report.metrics).find((k) => k.endsWith('> ranker')))
  }
  console.log('\nrec eval on MovieLens 100K, test split (leave-last-out, full ranking of 1,682 items, history excluded):')
  console.log('| model | recall@10 | ndcg@10 | recall@50 | ndcg@50 |\n|---|---|---|---|---|')
  for (const [label, ...values] of rows) console.log(`| ${label} | ${values.map((v) => v.toFixed(4)).join(' | ')} |`)
}

async function scale() {
  const dir = join(args.work, 'world-100k')
  const data = join(dir, 'data')
  build(data, ['gen-data', '--users', '20000', '--items', '100000', '--interactions', '1000000', '--topics', '50', '--seed', '7'])
  const out = join(dir, 'content')
  const train = rec(['train', 'content', '--dataset', data, '--config', join(CONFIG, 'content.yaml'), '--out', out, '--force'])
  console.log(
    `\nrec train content, 100,000 items (gen-data, title + topic): ${train.seconds.toFixed(1)} s wall for the command (${train.json.seconds.toFixed(1)} s inside it, the TF-IDF fit ${train.json.fitSeconds.toFixed(2)} s, the rest val evaluation and I/O); ` +
      `${train.json.terms} terms, ${train.json.nonZeros} non-zeros`,
  )

  // --- a feed of 20 per request: the profile of a test user's train+val history, top 20 of 100k items
  const {model} = await loadContentModel(out)
  const dataset = await readDataset(data)
  const users = IdVocab.fromValues(getColumn(dataset.users, 'user_id', 'int64').values)
  const positives = selectPositives(dataset.interactions, users, model.items, {events: dataset.manifest.positives})
  const history = buildHistory(positives, users.size, [0, 1])
  const testUsers = [...new Set(Array.from(positives.userRow).filter((_, i) => positives.split[i] === TEST))].filter((u) => history.offsets[u + 1] > history.offsets[u])
  const recommender = new ContentRecommender(model)
  const request = (u) => {
    const start = history.offsets[u]
    const end = history.offsets[u + 1]
    const itemIds = Array.from(history.items.subarray(start, end), (row) => model.items.id(row))
    return {itemIds, ts: history.ts.subarray(start, end), weights: history.weight.subarray(start, end)}
  }
  const requests = Array.from({length: 2000}, (_, j) => request(testUsers[j % testUsers.length]))
  for (const r of requests.slice(0, 200)) recommender.topK(r, 20) // warm-up
  const ms = []
  let served = 0
  for (const r of requests) {
    const t0 = performance.now()
    served += recommender.topK(r, 20).length
    ms.push(performance.now() - t0)
  }
  ms.sort((a, b) => a - b)
  const meanHistory = requests.reduce((s, r) => s + r.itemIds.length, 0) / requests.length
  console.log(
    `content feed of 20 from 100,000 items, in-process, ${requests.length} requests (${testUsers.length} test users, mean history ${meanHistory.toFixed(1)} positives): ` +
      `p50 ${pct(ms, 0.5).toFixed(3)} ms, p99 ${pct(ms, 0.99).toFixed(3)} ms, mean items returned ${(served / requests.length).toFixed(1)}`,
  )
}

console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} (2-core machine shared with other work: timings are indicative)`)
if (!args['skip-movielens']) movielens()
if (!args['skip-scale']) await scale()
