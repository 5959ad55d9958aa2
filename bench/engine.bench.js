// Examples/s of a bare two-tower training step (batch 1024, 64-d, ML-100K sizes) on the engine's pieces
// against tfjs autodiff of builtins. Data-parallel training over threads is measured on real data by
// bench/train-retrieval.bench.js.
// Usage: node bench/engine.bench.js [--backend wasm|cpu|auto] [--steps 40] [--only builtin,engine]
import {parseArgs} from 'node:util'

import {initBackend} from '../dist/lib/engine/backend.js'
import {inBatchSoftmaxLoss} from '../dist/lib/engine/in-batch-softmax.js'
import {PAD, meanPoolRows, meanPoolRowsBackward} from '../dist/lib/engine/mean-pool.js'
import {SparseEmbedding} from '../dist/lib/engine/sparse-embedding.js'
import {Rng} from '../dist/lib/random/rng.js'

// --- config: MovieLens-100K sizes; a PyTorch two-tower runs this step at ~36k examples/s on 2 threads
const C = {users: 943, items: 1682, dim: 64, batch: 1024, history: 50, temperature: 0.05, interactions: 100_000}

/** Forward and backward of the whole batch against its items; returns the batch-mean loss. */
function forwardBackward(tf, tables, batch, lap) {
  const {dim, history: L, batch: B, temperature} = C
  // User tower in plain JS: mean of <= 50 history item rows + the user's own row. [B, dim]
  const user = meanPoolRows(tables.items, batch.hist, L)
  const own = tables.users.gatherRows(batch.uid)
  for (let i = 0; i < user.length; i++) user[i] += own[i]
  const u = tf.tensor2d(user, [B, dim])
  const v = tables.items.gather(batch.iid)
  lap('js forward')
  const {value, grads} = tf.valueAndGrads((a, b) => inBatchSoftmaxLoss(a, b, {temperature}))([u, v])
  const du = grads[0].dataSync()
  const dv = grads[1].dataSync()
  const loss = value.dataSync()[0]
  tf.dispose([u, v, value, ...grads])
  lap('tfjs')
  tables.users.accumulate(batch.uid, du)
  meanPoolRowsBackward(tables.items, batch.hist, L, du)
  tables.items.accumulate(batch.iid, dv)
  lap('js backward')
  return loss
}

// --- data: a synthetic ML-100K: popularity-skewed items, each user's last <= 50 items as history
function makeData(rng) {
  const history = new Int32Array(C.users * C.history).fill(PAD)
  for (let user = 0; user < C.users; user++) {
    const length = 20 + rng.int(C.history - 19)
    for (let k = 0; k < length; k++) history[user * C.history + k] = Math.floor(C.items * rng.next() ** 2)
  }
  const pairs = new Int32Array(C.interactions * 2)
  for (let i = 0; i < C.interactions; i++) {
    pairs[2 * i] = rng.int(C.users)
    pairs[2 * i + 1] = Math.floor(C.items * rng.next() ** 2)
  }
  return {history, pairs}
}

function sampleBatch(data, batch, rng) {
  for (let b = 0; b < C.batch; b++) {
    const i = rng.int(C.interactions)
    const user = data.pairs[2 * i]
    batch.uid[b] = user
    batch.iid[b] = data.pairs[2 * i + 1]
    batch.hist.set(data.history.subarray(user * C.history, (user + 1) * C.history), b * C.history)
  }
}

// --- the variants
async function run(variant, backend, steps) {
  const {tf, name} = await initBackend(backend)
  const rng = new Rng(1)
  const data = makeData(rng.fork(1))
  const adam = {learningRate: 0.01}
  const tables = {
    users: SparseEmbedding.create(C.users, C.dim, rng.fork(2), {name: 'users', adam}),
    items: SparseEmbedding.create(C.items, C.dim, rng.fork(3), {name: 'items', adam}),
  }
  const batch = {uid: new Int32Array(C.batch), iid: new Int32Array(C.batch), hist: new Int32Array(C.batch * C.history)}
  const phases = {}
  let mark = 0
  const lap = (label) => {
    const now = performance.now()
    phases[label] = (phases[label] ?? 0) + now - mark
    mark = now
  }
  const step = () => {
    mark = performance.now()
    sampleBatch(data, batch, rng)
    lap('batch')
    let loss
    if (variant === 'builtin') {
      loss = builtinStep(tf, tables, batch)
      lap('forward and backward')
    } else loss = forwardBackward(tf, tables, batch, lap)
    tables.users.step()
    tables.items.step()
    lap('adam')
    return loss
  }
  const warmup = variant === 'builtin' ? 1 : 5
  for (let s = 0; s < warmup; s++) step()
  for (const key of Object.keys(phases)) delete phases[key]
  const times = []
  const losses = []
  // CPU time as well: on a shared machine wall time also counts waiting for a core.
  const cpuStart = process.cpuUsage()
  for (let s = 0; s < steps; s++) {
    const start = performance.now()
    losses.push(step())
    times.push(performance.now() - start)
  }
  const cpu = process.cpuUsage(cpuStart)
  const cpuPerStep = (cpu.user + cpu.system) / 1000 / steps
  times.sort((a, b) => a - b)
  const median = times[Math.floor(times.length / 2)]
  const perStep = Object.entries(phases).map(([k, v]) => `${k} ${(v / steps).toFixed(1)}`).join(', ')
  console.log(
    `${variant.padEnd(9)} backend ${name.padEnd(4)} | ${median.toFixed(1)} ms/step median, ${times[0].toFixed(1)} best | ` +
      `${Math.round((C.batch / median) * 1000)} examples/s median, ${Math.round((C.batch / times[0]) * 1000)} best | ` +
      `cpu ${cpuPerStep.toFixed(1)} ms/step (${Math.round((C.batch / cpuPerStep) * 1000)} examples per cpu-second) | ` +
      `loss ${losses[0].toFixed(3)} -> ${losses.at(-1).toFixed(3)} | ms: ${perStep} | tensors ${tf.memory().numTensors}`,
  )
}

/** The same step through tfjs autodiff of builtins (transposeB matMul, logSoftmax): the pitfall baseline. */
function builtinStep(tf, tables, batch) {
  const {dim, history: L, batch: B, temperature} = C
  const user = meanPoolRows(tables.items, batch.hist, L)
  const own = tables.users.gatherRows(batch.uid)
  for (let i = 0; i < user.length; i++) user[i] += own[i]
  const u = tf.tensor2d(user, [B, dim])
  const v = tables.items.gather(batch.iid)
  const labels = tf.tidy(() => tf.oneHot(tf.range(0, B, 1, 'int32'), B))
  const {value, grads} = tf.valueAndGrads((a, b) => tf.losses.softmaxCrossEntropy(labels, tf.div(tf.matMul(a, b, false, true), temperature)))([u, v])
  const du = grads[0].dataSync()
  tables.users.accumulate(batch.uid, du)
  meanPoolRowsBackward(tables.items, batch.hist, L, du)
  tables.items.accumulate(batch.iid, grads[1].dataSync())
  const loss = value.dataSync()[0]
  tf.dispose([u, v, labels, value, ...grads])
  return loss
}

const {values} = parseArgs({options: {backend: {type: 'string', default: 'wasm'}, steps: {type: 'string', default: '40'}, only: {type: 'string', default: 'builtin,engine'}}})
console.log(`two-tower step: batch ${C.batch}, dim ${C.dim}, ${C.users} users, ${C.items} items, history ${C.history}, in-batch softmax, T ${C.temperature}`)
for (const variant of values.only.split(',')) await run(variant, values.backend, variant === 'builtin' ? 3 : Number(values.steps))
