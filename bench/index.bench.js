#!/usr/bin/env node
// ANN index bench: build time, single-query latency (p50/p99) and recall@10 against exact search on 1,000 queries.
// Usage: node bench/index.bench.js [--n 100000,1000000] [--dim 64] [--data clustered|random] [--threads 1]
//          [--m 16] [--ef-add 128] [--quantization f16|f32] [--ef 32,48,64,96,128] [--queries 1000]
// Wall times suffer when other processes share the cores; the "cpu" figures (this process's CPU time) do not.
import {mkdtempSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {buildIndex} from '../dist/lib/index/build-index.js'
import {ExactIndex} from '../dist/lib/index/exact-index.js'
import {DEFAULT_HNSW_PARAMS} from '../dist/lib/index/hnsw-params.js'
import {loadIndex} from '../dist/lib/index/load-index.js'
import {saveIndex} from '../dist/lib/index/save-index.js'
import {Rng} from '../dist/lib/random/rng.js'

const {values: args} = parseArgs({
  options: {
    n: {type: 'string', default: '100000,1000000'},
    dim: {type: 'string', default: '64'},
    data: {type: 'string', default: 'clustered'},
    threads: {type: 'string', default: '1'},
    m: {type: 'string', default: String(DEFAULT_HNSW_PARAMS.connectivity)},
    'ef-add': {type: 'string', default: String(DEFAULT_HNSW_PARAMS.expansionAdd)},
    quantization: {type: 'string', default: DEFAULT_HNSW_PARAMS.quantization},
    ef: {type: 'string', default: '32,48,64,96,128'},
    queries: {type: 'string', default: '1000'},
  },
})
const dim = Number(args.dim)
const nQueries = Number(args.queries)
const MB = 1024 * 1024

// --- data: a catalogue of fine-grained topics (about 100 items each: 10,000 topics at 1M items); an item
// sits near its topic centre, a user mixes two topics. `--data random` draws everything uniformly on the
// sphere instead: the worst case for any graph index, with no structure to exploit.
function unit(v, offset) {
  let s = 0
  for (let j = 0; j < dim; j++) s += v[offset + j] ** 2
  const scale = 1 / Math.sqrt(s)
  for (let j = 0; j < dim; j++) v[offset + j] *= scale
}

function makeData(n, seed) {
  const rng = new Rng(seed)
  const topics = Math.max(10, Math.round(n / 100))
  const centres = new Float32Array(topics * dim)
  for (let i = 0; i < centres.length; i++) centres[i] = rng.normal()
  for (let c = 0; c < topics; c++) unit(centres, c * dim)
  // noise of norm 0.75 around a unit centre: an item's cosine to its centre is about 0.8
  const sigma = 0.75 / Math.sqrt(dim)
  const items = new Float32Array(n * dim)
  for (let i = 0; i < n; i++) {
    const c = rng.int(topics)
    for (let j = 0; j < dim; j++) items[i * dim + j] = args.data === 'random' ? rng.normal() : centres[c * dim + j] + sigma * rng.normal()
  }
  const queries = new Float32Array(nQueries * dim)
  for (let q = 0; q < nQueries; q++) {
    const a = rng.int(topics)
    const b = rng.int(topics)
    for (let j = 0; j < dim; j++) {
      queries[q * dim + j] = args.data === 'random' ? rng.normal() : centres[a * dim + j] + 0.5 * centres[b * dim + j] + sigma * rng.normal()
    }
    unit(queries, q * dim)
  }
  return {items, queries}
}

const quiet = {info() {}, warn: (m) => console.log(`  warn: ${m}`), progress: () => ({tick() {}, stop() {}})}

/** CPU time (user + system) of this process since `start`, in ms. */
function cpuMs(start) {
  const {user, system} = process.cpuUsage(start)
  return (user + system) / 1000
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

for (const n of args.n.split(',').map(Number)) {
  console.log(`\n${n} x ${dim} ${args.data}, ${nQueries} queries, build threads ${args.threads}`)
  const {items, queries} = makeData(n, 42)
  const ids = BigInt64Array.from({length: n}, (_, i) => BigInt(i + 1))

  // --- build (normalise + insert), then save to measure the files
  const params = {connectivity: Number(args.m), expansionAdd: Number(args['ef-add']), quantization: args.quantization}
  let cpu = process.cpuUsage()
  const built = await buildIndex(items, ids, {exact: false, threads: Number(args.threads), ...params}, quiet)
  const buildCpu = cpuMs(cpu) / 1000
  const rss = process.memoryUsage().rss / MB
  const dir = join(mkdtempSync(join(tmpdir(), 'rec-index-bench-')), 'index')
  await saveIndex(dir, built, {checkpoint: null})
  const graphMB = statSync(join(dir, 'items.usearch')).size / MB
  console.log(
    `  build ${built.stats.buildSeconds.toFixed(1)} s wall, ${buildCpu.toFixed(1)} s cpu (M=${params.connectivity} efAdd=${params.expansionAdd} ${params.quantization}); items.usearch ${graphMB.toFixed(0)} MB; rss after build ${rss.toFixed(0)} MB`,
  )

  // --- ground truth by brute force over the same normalised matrix
  const exact = new ExactIndex(built.vectors, dim)
  let t0 = performance.now()
  cpu = process.cpuUsage()
  const truth = exact.searchBatch(queries, 10).map((r) => new Set(r.rows))
  console.log(`  exact search ${((performance.now() - t0) / nQueries).toFixed(2)} ms/query wall, ${(cpuMs(cpu) / nQueries).toFixed(2)} ms/query cpu`)

  // --- each ef: load the saved graph with that ef, time single queries on one thread
  for (const ef of args.ef.split(',').map(Number)) {
    const {index} = await loadIndex(dir, {expansionSearch: ef})
    for (let q = 0; q < 50; q++) index.search(queries.subarray(q * dim, (q + 1) * dim), 10) // warm-up
    const latencies = new Float64Array(nQueries)
    let hits = 0
    cpu = process.cpuUsage()
    for (let q = 0; q < nQueries; q++) {
      const query = queries.subarray(q * dim, (q + 1) * dim)
      t0 = performance.now()
      const {rows} = index.search(query, 10)
      latencies[q] = performance.now() - t0
      for (const row of rows) if (truth[q].has(row)) hits++
    }
    const meanCpu = cpuMs(cpu) / nQueries
    latencies.sort()
    const mark = ef === DEFAULT_HNSW_PARAMS.expansionSearch ? '  <- default' : ''
    console.log(
      `  ef=${String(ef).padEnd(4)} recall@10 ${(hits / nQueries / 10).toFixed(4)}  p50 ${percentile(latencies, 0.5).toFixed(3)} ms  p99 ${percentile(latencies, 0.99).toFixed(3)} ms  cpu mean ${meanCpu.toFixed(3)} ms${mark}`,
    )
  }
  rmSync(dir, {recursive: true, force: true})
}
