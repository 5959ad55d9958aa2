// Test Recall@10 / NDCG@10 on MovieLens 100K (leave-last-out, full ranking) of rec's encoders, rec's baselines and the PyTorch peers.
// Quality figures are deterministic for rec (same seed, same bytes) and do not depend on machine load.
// Usage: node bench/quality.bench.js [--configs config/movielens.yaml,config/sequential-movielens.yaml]
//          [--peers run|results|none] [--sasrec-epochs 200] [--peer-threads 2] [--epochs N]
// --peers run (default) runs ../shared/peers (split.py, baselines.py, twotower.py, sasrec.py) with /usr/bin/python3;
// --peers results reads their latest lines from $PEERS_WORK/results/results.jsonl (default /tmp/rec-peers) instead,
// e.g. after `sasrec.py ml-100k --epochs 200 --eval-every 10`, which takes ~40 min of one core.
// Every model picks its epoch on val NDCG@10 and is tested once (rec: `rec eval --split test` on the best-val checkpoint).
import {execFileSync, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {basename, join} from 'node:path'
import {parseArgs} from 'node:util'

import {importMovielens} from '../dist/lib/dataset/import/movielens.js'
import {loadConfig} from '../dist/lib/config/load-config.js'
import {RetrievalConfigSchema} from '../dist/lib/models/two-tower/config.js'
import {trainRetrieval} from '../dist/lib/training/train-retrieval.js'

const {values: args} = parseArgs({
  options: {
    configs: {type: 'string', default: 'config/movielens.yaml,config/sequential-movielens.yaml'},
    peers: {type: 'string', default: 'run'},
    'sasrec-epochs': {type: 'string', default: '200'},
    'peer-threads': {type: 'string', default: '2'},
    epochs: {type: 'string'},
  },
})
const root = new URL('..', import.meta.url).pathname
const source = new URL('../../shared/data/ml-100k', import.meta.url).pathname
const peersDir = new URL('../../shared/peers', import.meta.url).pathname
const peersWork = process.env.PEERS_WORK ?? '/tmp/rec-peers'
if (!existsSync(source)) {
  console.log(`skipped: ${source} not found`)
  process.exit(0)
}

const rows = []
const row = (model, by, test, note = '') => rows.push({model, by, recall: test['Recall@10'] ?? test['recall@10'], ndcg: test['NDCG@10'] ?? test['ndcg@10'], note})

/** `rec eval --split test --json` of a checkpoint or a baseline: the report's metrics and protocol line. */
function recEval(dataset, target) {
  const out = execFileSync(process.execPath, [join(root, 'bin/run.js'), 'eval', '--dataset', dataset, ...target, '--split', 'test', '--k', '10,50,100', '--json'], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 26})
  const report = JSON.parse(out)
  return {metrics: Object.values(report.metrics)[0], line: report.protocol.line}
}

function peer(script, argv) {
  const result = spawnSync('/usr/bin/python3', [script, ...argv], {cwd: peersDir, encoding: 'utf8', env: {...process.env, PEERS_WORK: peersWork}, maxBuffer: 1 << 26})
  if (result.status !== 0) throw new Error(`${script} ${argv.join(' ')} failed: ${result.stderr.slice(-500)}`)
  return JSON.parse(result.stdout.trim().split('\n').at(-1))
}

function latestResults() {
  const file = join(peersWork, 'results', 'results.jsonl')
  if (!existsSync(file)) return {}
  const latest = {}
  for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
    const r = JSON.parse(line)
    if (r.dataset === 'ml-100k') latest[r.model] = r
  }
  return latest
}

const dir = mkdtempSync(join(tmpdir(), 'rec-bench-quality-'))
try {
  const dataset = join(dir, 'ml100k')
  await importMovielens(source, {out: dataset})
  let line = ''
  for (const file of args.configs.split(',')) {
    const config = await loadConfig(RetrievalConfigSchema, join(root, file), args.epochs ? {epochs: Number(args.epochs)} : {})
    const out = join(dir, basename(file, '.yaml'))
    const t0 = Date.now()
    const result = await trainRetrieval({dataset, out, config})
    const test = recEval(dataset, ['--ckpt', out])
    line = test.line
    row(`rec ${config['user-encoder']} (${basename(file)})`, `val epoch ${result.bestEpoch} of ${result.epochs.length}`, test.metrics, `${((Date.now() - t0) / 1000).toFixed(0)} s wall incl. eval`)
  }
  for (const model of ['popular', 'itemknn']) row(`rec ${model}`, '-', recEval(dataset, ['--model', model]).metrics)

  if (args.peers !== 'none') {
    if (!existsSync('/usr/bin/python3')) throw new Error('the peers need /usr/bin/python3 with torch, numpy, pandas, scipy (see ../shared/peers/README.md)')
    if (args.peers === 'run') {
      peer('split.py', ['ml-100k'])
      const threads = ['--threads', args['peer-threads']]
      peer('baselines.py', ['mostpop', 'ml-100k', ...threads])
      peer('baselines.py', ['itemknn', 'ml-100k', ...threads])
      peer('twotower.py', ['ml-100k', '--lr', '3e-3', '--temp', '0.1', '--logq', '0', '--epochs', '5', ...threads])
      peer('sasrec.py', ['ml-100k', '--epochs', args['sasrec-epochs'], '--eval-every', '10', ...threads])
    }
    const latest = latestResults()
    for (const [model, r] of Object.entries(latest)) row(`peer ${model}`, r.best_epoch ? `val epoch ${r.best_epoch}` : r.k !== undefined ? `k=${r.k}` : '-', r.test, r.when ? `run ${r.when}` : '')
  }

  console.log(`protocol: ${line}`)
  console.log('peers: realbench protocol v1 (../shared/peers/PROTOCOL.txt): same split (time, then file line), same catalogue, history excluded, ties to the smaller item id')
  console.log(`${'model'.padEnd(48)} ${'chosen on'.padEnd(20)} test R@10  NDCG@10`)
  for (const r of rows) console.log(`${r.model.padEnd(48)} ${r.by.padEnd(20)} ${r.recall.toFixed(4).padStart(9)}  ${r.ndcg.toFixed(4)}  ${r.note}`)
} finally {
  rmSync(dir, {recursive: true, force: true})
}
