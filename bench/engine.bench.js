// Examples/s of a two-tower training step (batch 1024, 64-d, ML-100K sizes) on the engine, 1 and 2 threads.
// Usage: node bench/engine.bench.js [--backend wasm|cpu|auto] [--steps 40] [--only builtin,engine-1,engine-2]
import {execFileSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {parseArgs} from 'node:util'
import {Worker, isMainThread, parentPort, workerData} from 'node:worker_threads'

import {initBackend} from '../dist/lib/engine/backend.js'
import {inBatchSoftmaxLoss} from '../dist/lib/engine/in-batch-softmax.js'
import {PAD, meanPoolRows, meanPoolRowsBackward} from '../dist/lib/engine/mean-pool.js'
import {SparseEmbedding} from '../dist/lib/engine/sparse-embedding.js'
import {Rng} from '../dist/lib/random/rng.js'

// --- config: MovieLens-100K sizes; a PyTorch two-tower runs this step at ~36k examples/s on 2 threads
const C = {users: 943, items: 1682, dim: 64, batch: 1024, history: 50, temperature: 0.05, interactions: 100_000}

// Milliseconds per scheduler tick, for per-thread CPU time from /proc (Linux only).
const TICK_MS = existsSync('/proc/thread-self/stat') ? 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString()) : Number.NaN

/** CPU ms used by the calling thread so far, or NaN where /proc is missing. */
function threadCpuMs() {
  if (Number.isNaN(TICK_MS)) return Number.NaN
  const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS // utime + stime
}

/** Rows [r0, r1) of `batch` against all of its items; returns this part's share of the batch-mean loss. */
function forwardBackward(tf, tables, batch, r0, r1, lap = () => {}) {
  const {dim, history: L, batch: B, temperature} = C
  const n = r1 - r0
  const hist = batch.hist.subarray(r0 * L, r1 * L)
  const uid = batch.uid.subarray(r0, r1)
  // User tower in plain JS: mean of <= 50 history item rows + the user's own row. [n, dim]
  const user = meanPoolRows(tables.items, hist, L)
  const own = tables.users.gatherRows(uid)
  for (let i = 0; i < user.length; i++) user[i] += own[i]
  // Items rotated so that row i's positive sits on the diagonal of this part's logits.
  const rotated = new Int32Array(B)
  rotated.set(batch.iid.subarray(r0), 0)
  rotated.set(batch.iid.subarray(0, r0), B - r0)
  const u = tf.tensor2d(user, [n, dim])
  const v = tables.items.gather(rotated)
  lap('js forward')
  const {value, grads} = tf.valueAndGrads((a, b) => tf.mul(inBatchSoftmaxLoss(a, b, {temperature}), n / B))([u, v])
  const du = grads[0].dataSync()
  const dv = grads[1].dataSync()
  const loss = value.dataSync()[0]
  tf.dispose([u, v, value, ...grads])
  lap('tfjs')
  tables.users.accumulate(uid, du)
  meanPoolRowsBackward(tables.items, hist, L, du)
  tables.items.accumulate(rotated, dv)
  lap('js backward')
  return loss
}

// --- worker: the second half of every step on its own wasm instance, reading the shared tables
if (!isMainThread) {
  const {tf} = await initBackend(workerData.backend)
  const tables = {
    users: new SparseEmbedding(new Float32Array(workerData.users), C.dim, {name: 'users'}),
    items: new SparseEmbedding(new Float32Array(workerData.items), C.dim, {name: 'items'}),
  }
  const batch = {uid: new Int32Array(workerData.uid), iid: new Int32Array(workerData.iid), hist: new Int32Array(workerData.hist)}
  parentPort.on('message', ({r0, r1}) => {
    const start = performance.now()
    const loss = forwardBackward(tf, tables, batch, r0, r1)
    // The main thread owns the update: hand over the summed row gradients and forget them here.
    const users = tables.users.pendingGradients()
    const items = tables.items.pendingGradients()
    tables.users.clearGradients()
    tables.items.clearGradients()
    parentPort.postMessage({loss, users, items, ms: performance.now() - start, cpuMs: threadCpuMs()}, [users.rows.buffer, users.values.buffer, items.rows.buffer, items.values.buffer])
  })
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

function sharedInt32(n) {
  return new Int32Array(new SharedArrayBuffer(n * 4))
}

// --- the variants
async function run(variant, backend, steps) {
  const {tf, name} = await initBackend(backend)
  const rng = new Rng(1)
  const data = makeData(rng.fork(1))
  const adam = {learningRate: 0.01}
  const tables = {
    users: SparseEmbedding.create(C.users, C.dim, rng.fork(2), {name: 'users', adam, shared: true}),
    items: SparseEmbedding.create(C.items, C.dim, rng.fork(3), {name: 'items', adam, shared: true}),
  }
  const batch = {uid: sharedInt32(C.batch), iid: sharedInt32(C.batch), hist: sharedInt32(C.batch * C.history)}
  const phases = {}
  let mark = 0
  const lap = (label) => {
    const now = performance.now()
    phases[label] = (phases[label] ?? 0) + now - mark
    mark = now
  }
  let worker
  if (variant === 'engine-2') {
    const shared = {users: tables.users.weights.buffer, items: tables.items.weights.buffer, uid: batch.uid.buffer, iid: batch.iid.buffer, hist: batch.hist.buffer}
    worker = new Worker(new URL(import.meta.url), {workerData: {backend, ...shared}})
  }
  const half = C.batch / 2
  let workerCpu = 0
  const step = async () => {
    mark = performance.now()
    sampleBatch(data, batch, rng)
    lap('batch')
    let loss
    if (variant === 'builtin') {
      loss = builtinStep(tf, tables, batch)
      lap('forward and backward')
    } else if (variant === 'engine-1') loss = forwardBackward(tf, tables, batch, 0, C.batch, lap)
    else {
      const reply = new Promise((resolve) => worker.once('message', resolve))
      worker.postMessage({r0: half, r1: C.batch})
      loss = forwardBackward(tf, tables, batch, 0, half, lap)
      const other = await reply
      lap('wait for worker')
      phases['(worker busy)'] = (phases['(worker busy)'] ?? 0) + other.ms
      workerCpu = other.cpuMs
      tables.users.accumulate(other.users.rows, other.users.values)
      tables.items.accumulate(other.items.rows, other.items.values)
      loss += other.loss
      lap('merge')
    }
    tables.users.step()
    tables.items.step()
    lap('adam')
    return loss
  }
  const warmup = variant === 'builtin' ? 1 : 5
  for (let s = 0; s < warmup; s++) await step()
  for (const key of Object.keys(phases)) delete phases[key]
  const times = []
  const losses = []
  // CPU time of all threads: on a shared machine wall time also counts waiting for a core.
  const cpuStart = process.cpuUsage()
  const [mainCpuStart, workerCpuStart] = [threadCpuMs(), workerCpu]
  for (let s = 0; s < steps; s++) {
    const start = performance.now()
    losses.push(await step())
    times.push(performance.now() - start)
  }
  const cpu = process.cpuUsage(cpuStart)
  const cpuPerStep = (cpu.user + cpu.system) / 1000 / steps
  const mainCpu = (threadCpuMs() - mainCpuStart) / steps
  const serial = ['batch', 'merge', 'adam'].reduce((sum, k) => sum + (phases[k] ?? 0), 0) / steps
  // With two free cores a step takes the longer of: the main thread's CPU time, or the worker's
  // half plus the main thread's serial parts (sampling, merge, Adam; wall time, so an overestimate).
  const projected = worker ? Math.max(mainCpu, (workerCpu - workerCpuStart) / steps + serial) : undefined
  await worker?.terminate()
  times.sort((a, b) => a - b)
  const median = times[Math.floor(times.length / 2)]
  const perStep = Object.entries(phases).map(([k, v]) => `${k} ${(v / steps).toFixed(1)}`).join(', ')
  console.log(
    `${variant.padEnd(9)} backend ${name.padEnd(4)} | ${median.toFixed(1)} ms/step median, ${times[0].toFixed(1)} best | ` +
      `${Math.round((C.batch / median) * 1000)} examples/s median, ${Math.round((C.batch / times[0]) * 1000)} best | ` +
      `cpu ${cpuPerStep.toFixed(1)} ms/step (${Math.round((C.batch / cpuPerStep) * 1000)} examples per cpu-second) | ` +
      (projected
        ? `thread cpu main ${mainCpu.toFixed(1)}, worker ${((workerCpu - workerCpuStart) / steps).toFixed(1)} ms/step, ` +
          `projected on 2 free cores ${projected.toFixed(1)} ms/step = ${Math.round((C.batch / projected) * 1000)} examples/s | `
        : '') +
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

if (isMainThread) {
  const {values} = parseArgs({options: {backend: {type: 'string', default: 'wasm'}, steps: {type: 'string', default: '40'}, only: {type: 'string', default: 'builtin,engine-1,engine-2'}}})
  console.log(`two-tower step: batch ${C.batch}, dim ${C.dim}, ${C.users} users, ${C.items} items, history ${C.history}, in-batch softmax, T ${C.temperature}`)
  for (const variant of values.only.split(',')) await run(variant, values.backend, variant === 'builtin' ? 3 : Number(values.steps))
}
