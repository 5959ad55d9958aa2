// Examples/s of `rec train retrieval` on ML-100K (64-d, batch 1024, history 50, no MLP), by training thread count.
// Reference: a PyTorch two-tower of this shape trains ~36,000 examples/s with 2 threads on these machines.
// Usage: node bench/train-retrieval.bench.js [--encoders mean,gru,attention] [--workers 1,2] [--steps 40] [--skip-e2e]
//        node bench/train-retrieval.bench.js --vs-peers [--workers 1,2] [--peer-epochs 5] [--reps 1] [--target-recall 0.05]
// --vs-peers: the PyTorch peer ../shared/peers/twotower.py and rec's two-tower of the peer's shape (user id + mean of
// the last 50 items | item id, 64-d, batch 1024, in-batch softmax, temperature 0.1, lr 3e-3, no features, no logQ),
// interleaved in one run (peer, rec, peer, rec, ...) at each thread count, on ML-100K. Prints examples/s of each
// (training passes only: batching + forward/backward/step, no eval), the ratio, the train seconds each needed to reach
// val recall@10 >= target (default: 0.9 x the lower of the two best), and the CPU other processes used meanwhile.
// Part 1 runs trainRetrieval end to end (wall clock, the figure the command reports, and val quality).
// Part 2 times steady-state steps with each thread's CPU time: on a machine shared with other jobs wall clock
// also counts waiting for a core, while "bound" = batch / the busiest thread's CPU per step is what two free
// cores would approach (the threads overlap except for the main thread's serial merge and update).
import {execFileSync} from 'node:child_process'
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {availableParallelism, loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {readDataset} from '../dist/lib/dataset/store.js'
import {importMovielens} from '../dist/lib/dataset/import/movielens.js'
import {initBackend} from '../dist/lib/engine/backend.js'
import {DenseAdam} from '../dist/lib/engine/dense-adam.js'
import {TRAIN} from '../dist/lib/dataset/schema.js'
import {buildHistory} from '../dist/lib/features/history.js'
import {selectPositives} from '../dist/lib/features/positives.js'
import {RetrievalConfigSchema} from '../dist/lib/models/two-tower/config.js'
import {fitInputs} from '../dist/lib/models/two-tower/inputs.js'
import {createTwoTower} from '../dist/lib/models/two-tower/model.js'
import {Rng} from '../dist/lib/random/rng.js'
import {epochOrder, makeBatch} from '../dist/lib/training/retrieval-batches.js'
import {buildRetrievalExamples, itemLogFrequency} from '../dist/lib/training/retrieval-examples.js'
import {RetrievalReplicas} from '../dist/lib/training/retrieval-replicas.js'
import {retrievalStep} from '../dist/lib/training/retrieval-step.js'
import {trainRetrieval} from '../dist/lib/training/train-retrieval.js'

const {values: args} = parseArgs({
  options: {encoders: {type: 'string', default: 'mean,gru,attention'}, workers: {type: 'string', default: '1,2'}, steps: {type: 'string', default: '40'}, 'skip-e2e': {type: 'boolean', default: false}, 'vs-peers': {type: 'boolean', default: false}, 'peer-epochs': {type: 'string', default: '5'}, reps: {type: 'string', default: '1'}, 'target-recall': {type: 'string'}},
})
const encoders = args.encoders.split(',')
const threadCounts = args.workers.split(',').map(Number)

const source = new URL('../../shared/data/ml-100k', import.meta.url).pathname
if (!existsSync(source)) {
  console.log(`skipped: ${source} not found`)
  process.exit(0)
}

const shape = (encoder, workers, epochs) =>
  RetrievalConfigSchema.parse({dim: 64, 'batch-size': 1024, 'history-length': 50, 'tower-layers': [], 'user-encoder': encoder, epochs, patience: 10, positives: {rating: 1}, workers})

// CPU ms of every thread of this process so far, by thread id (Linux /proc; empty elsewhere).
const TICK_MS = existsSync('/proc/self/task') ? 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString()) : 0
function threadCpu() {
  if (!TICK_MS) return {}
  const out = {}
  for (const id of readdirSync('/proc/self/task')) {
    try {
      const fields = readFileSync(`/proc/self/task/${id}/stat`, 'utf8').split(') ')[1].split(' ')
      out[id] = (Number(fields[11]) + Number(fields[12])) * TICK_MS // utime + stime
    } catch {
      // the thread ended between listing and reading
    }
  }
  return out
}

/** Steady-state steps on real ML-100K batches: wall and per-thread CPU ms per step. */
async function steady(data, inputs, encoder, workers, steps) {
  const config = shape(encoder, workers, 1)
  const positives = selectPositives(data.interactions, inputs.users, inputs.items, {events: config.positives})
  const examples = buildRetrievalExamples(positives, buildHistory(positives, inputs.users.size, [TRAIN]))
  const rng = new Rng(1)
  const model = createTwoTower(config, inputs.users.size, inputs.items.size, inputs.userFeatures, inputs.itemFeatures, rng.fork(1), {shared: workers > 1})
  const adam = new DenseAdam({learningRate: config.lr})
  const plan = {batchSize: 1024, historyLength: 50, nItems: inputs.items.size, randomNegatives: 0, logFrequency: itemLogFrequency(examples, inputs.items.size)}
  const order = epochOrder(examples.user.length, rng.fork(2))
  const batchAt = (s) => makeBatch(examples, order, (s * 1024) % (order.length - 1024), plan, rng)
  const started = performance.now()
  const replicas = workers > 1 ? await RetrievalReplicas.start(model, inputs, 'wasm', workers) : undefined
  const startup = performance.now() - started
  const step = (batch) => (replicas ? replicas.step(batch, adam) : retrievalStep(model, batch, adam))
  for (let s = 0; s < 3; s++) await step(batchAt(s))
  const cpu0 = threadCpu()
  const t0 = performance.now()
  for (let s = 3; s < steps + 3; s++) await step(batchAt(s))
  const wall = (performance.now() - t0) / steps
  const cpu1 = threadCpu()
  await replicas?.close()
  const main = String(process.pid)
  const perThread = Object.keys(cpu1).map((id) => [id, (cpu1[id] - (cpu0[id] ?? 0)) / steps])
  const mainMs = perThread.find(([id]) => id === main)?.[1] ?? Number.NaN
  // Worker threads: the busiest ones besides main (GC and libuv helpers use little).
  const others = perThread.filter(([id]) => id !== main).map(([, ms]) => ms).sort((a, b) => b - a).slice(0, workers - 1)
  const busiest = Math.max(mainMs, ...others)
  const rate = (ms) => Math.round((1024 / ms) * 1000)
  console.log(
    `steady ${encoder.padEnd(9)} ${workers} thread${workers > 1 ? 's' : ' '} | wall ${wall.toFixed(1)} ms/step = ${rate(wall)} ex/s | ` +
      `cpu main ${mainMs.toFixed(1)}${others.length ? `, workers ${others.map((ms) => ms.toFixed(1)).join(', ')}` : ''} ms/step | ` +
      `bound ${rate(busiest)} ex/s | ${workers > 1 ? `worker start ${startup.toFixed(0)} ms` : ''}`,
  )
}

// CPU seconds of the whole machine (user + system, /proc/stat) and of this process: their difference is foreign load.
function machineBusy() {
  if (!TICK_MS) return 0
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].split(/\s+/).slice(1).map(Number)
  return ((f.reduce((a, b) => a + b, 0) - f[3] - f[4]) * TICK_MS) / 1000
}
const ownCpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

const peersDir = new URL('../../shared/peers', import.meta.url).pathname
const peersWork = process.env.PEERS_WORK ?? '/tmp/rec-peers'
function runPeer(argv) {
  const out = execFileSync('/usr/bin/python3', argv, {cwd: peersDir, encoding: 'utf8', env: {...process.env, PEERS_WORK: peersWork}, maxBuffer: 1 << 26})
  return JSON.parse(out.trim().split('\n').at(-1))
}

/** First cumulative train seconds at which val recall@10 reached `target`, from [{recall, trainS}] per epoch. */
const secondsTo = (curve, target) => curve.find((e) => e.recall >= target)?.trainS

async function vsPeers(dataset) {
  if (!existsSync(join(peersWork, 'splits', 'ml-100k', 'train.csv'))) runPeer(['split.py', 'ml-100k'])
  const epochs = Number(args['peer-epochs'])
  console.log(`vs peers: twotower.py and rec two-tower (mean), ${epochs} epochs each, interleaved; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${availableParallelism()} cores`)
  for (let rep = 1; rep <= Number(args.reps); rep++) {
    for (const threads of threadCounts) {
      const peer = runPeer(['twotower.py', 'ml-100k', '--lr', '3e-3', '--temp', '0.1', '--logq', '0', '--epochs', String(epochs), '--threads', String(threads)])
      const perEpoch = peer.examples_trained / peer.best_epoch
      const peerCurve = peer.curve.map((e) => ({recall: e['Recall@10'], trainS: e.train_s}))
      const peerRate = (perEpoch * epochs) / peer.curve.at(-1).train_s

      const config = RetrievalConfigSchema.parse({
        dim: 64,
        'batch-size': 1024,
        'history-length': 50,
        'user-encoder': 'mean',
        'user-id': true,
        'user-features': false,
        'item-features': false,
        'tower-layers': [],
        logq: false,
        temperature: 0.1,
        lr: 3e-3,
        epochs,
        patience: epochs + 1,
        positives: {rating: 1},
        workers: threads,
        backend: 'wasm',
      })
      const [busy0, own0] = [machineBusy(), ownCpu()]
      const result = await trainRetrieval({dataset, out: join(dataset, '..', `vs-${rep}-${threads}`), config})
      const foreign = Math.max(0, machineBusy() - busy0 - (ownCpu() - own0))
      let trainS = 0
      const recCurve = result.epochs.map((e) => ({recall: e.metrics['recall@10'], trainS: (trainS += result.examples / e.examplesPerSecond)}))
      const recRate = (result.examples * result.epochs.length) / trainS
      const best = (curve) => Math.max(...curve.map((e) => e.recall))
      const target = args['target-recall'] ? Number(args['target-recall']) : 0.9 * Math.min(best(peerCurve), best(recCurve))
      const [pt, rt] = [secondsTo(peerCurve, target), secondsTo(recCurve, target)]
      console.log(
        `rep ${rep} ${threads} thread${threads > 1 ? 's' : ' '} | peer ${Math.round(peerRate)} ex/s (foreign cpu ${peer.foreign_cpu_s} s) | rec ${Math.round(recRate)} ex/s (foreign cpu ${foreign.toFixed(1)} s) | ratio rec/peer ${(recRate / peerRate).toFixed(2)}x | ` +
          `best val R@10 peer ${best(peerCurve).toFixed(4)} rec ${best(recCurve).toFixed(4)} | train s to val R@10 >= ${target.toFixed(4)}: peer ${pt?.toFixed(1) ?? '-'} rec ${rt?.toFixed(1) ?? '-'} | peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
      )
    }
  }
}

const dir = mkdtempSync(join(tmpdir(), 'rec-bench-train-'))
try {
  const dataset = join(dir, 'ml100k')
  await importMovielens(source, {out: dataset})
  await initBackend('wasm')
  if (args['vs-peers']) {
    await vsPeers(dataset)
    rmSync(dir, {recursive: true, force: true})
    process.exit(0)
  }
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${availableParallelism()} cores`)
  if (!args['skip-e2e']) {
    for (const encoder of encoders) {
      for (const workers of threadCounts) {
        const result = await trainRetrieval({dataset, out: join(dir, `ckpt-${encoder}-${workers}`), config: shape(encoder, workers, encoder === 'mean' ? 3 : 1)})
        const rates = result.epochs.map((e) => e.examplesPerSecond)
        const best = result.epochs.find((e) => e.epoch === result.bestEpoch)
        console.log(
          `train retrieval ml-100k ${encoder} ${workers} thread${workers > 1 ? 's' : ''}: ${Math.max(...rates)} examples/s (epochs: ${rates.join(', ')}) on ${result.backend}, ` +
            `val recall@10 ${result.metrics['val.recall@10'].toFixed(4)} ndcg@10 ${result.metrics['val.ndcg@10'].toFixed(4)} (epoch ${best.epoch}), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
        )
      }
    }
  }
  const data = await readDataset(dataset)
  const inputs = fitInputs(data)
  for (const encoder of encoders) for (const workers of threadCounts) await steady(data, inputs, encoder, workers, encoder === 'mean' ? Number(args.steps) : Math.max(3, Math.round(Number(args.steps) / 8)))
} finally {
  rmSync(dir, {recursive: true, force: true})
}
