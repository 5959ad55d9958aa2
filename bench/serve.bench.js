#!/usr/bin/env node
// Serving bench (autocannon on loopback): p50/p99 latency and requests/s of GET /v1/recommendations at 1, 16 and 64 keep-alive
// connections against a world of 100,000 items (target: p99 < 25 ms and >= 1,000 req/s at 64).
// Usage: node bench/serve.bench.js [--items 100000] [--users 5000] [--interactions 300000] [--requests 8000] [--workers N] [--ranking] [--no-state] [--experiments] [--topn] [--work DIR]
// --experiments serves an experiment of two arms (50/50, config written under --work): a registry holds the checkpoint
// (alias production, the control, on the HNSW index) and a second one trained with another seed (alias treatment,
// with mmr-lambda 0.5; a registry checkpoint other than --retrieval's has no index directory, so it searches an
// exact index in memory and its feeds cost more). After the load, 500 feeds are fetched and their split by arm printed.
// Builds the world once under --work (gen-data -> train retrieval 1 epoch -> index build) and reuses it. --ranking
// also trains the heavy ranker (config/ranking-synthetic.yaml, 1 epoch) and serves with it: every feed then scores
// its ~450 candidates with the ranker's heads and safety heads.
// The server runs with --state (a fresh directory), so every feed is logged as impressions (the ImpressionLog side
// effect) and the last line gives the rows logged and dropped; --no-state serves without a store, to see its cost.
// --topn first writes every user's list of 100 with rec recommend (generated now) and serves with --topn: the feeds then
// come from the cache after the request-time filters (target: p99 < 5 ms at 64 connections); the last lines count them.
// --workers is passed to rec serve (default: its own, one pipeline worker per core). Each line ends with
// the 1-minute load average: on a shared machine other processes' load moves req/s and p99 a lot,
// server CPU per request (all threads; the HTTP thread's share in brackets) much less.
// Little's law: 64 closed-loop connections at p99 < 25 ms need more than 64 / 0.025 = 2,560 req/s.
import {spawn} from 'node:child_process'
import {existsSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import autocannon from 'autocannon'

import {readDataset} from '../dist/lib/dataset/store.js'
import {benchWorld, BIN, rec} from './bench-world.js'

const {values: args} = parseArgs({
  options: {
    items: {type: 'string', default: '100000'},
    users: {type: 'string', default: '5000'},
    interactions: {type: 'string', default: '300000'},
    requests: {type: 'string', default: '8000'},
    k: {type: 'string', default: '20'},
    workers: {type: 'string'},
    ranking: {type: 'boolean', default: false},
    'no-state': {type: 'boolean', default: false},
    experiments: {type: 'boolean', default: false},
    topn: {type: 'boolean', default: false},
    work: {type: 'string', default: join(tmpdir(), 'rec-serve-bench')},
  },
})
const {work, dataset, ckpt, index, ranking} = benchWorld(args)
const userIds = Array.from((await readDataset(dataset)).users.user_id.values, String)

// --- experiment: two registered versions behind the aliases production and treatment
const experimentArgs = []
if (args.experiments) {
  const treatment = join(work, 'ckpt-treatment')
  if (!existsSync(treatment)) rec(['train', 'retrieval', '--dataset', dataset, '--out', treatment, '--dim', '32', '--epochs', '1', '--batch-size', '1024', '--history-length', '20', '--seed', '2'])
  const registry = join(work, 'registry')
  // registering the same content again returns its version, so a rerun keeps versions 1 and 2
  rec(['promote', 'register', ckpt, '--registry', registry])
  rec(['promote', 'register', treatment, '--registry', registry])
  rec(['promote', 'set', 'production', '1', '--registry', registry])
  rec(['promote', 'set', 'treatment', '2', '--registry', registry])
  const file = join(work, 'experiments.yaml')
  writeFileSync(file, 'experiments:\n  - id: bench\n    salt: s1\n    arms:\n      - {name: control, percent: 50, retrieval: production}\n      - {name: treatment, percent: 50, retrieval: treatment, mmr-lambda: 0.5}\n')
  experimentArgs.push('--registry', registry, '--experiments', file)
}

// --- server
const state = join(work, 'state')
rmSync(state, {recursive: true, force: true})
const extra = args.workers === undefined ? [] : ['--workers', args.workers]
if (args.ranking) extra.push('--ranking', ranking)
if (args.topn) {
  // every user's list of 100 (the feeds ask for --k of them), generated now so that the cache serves it
  const topn = join(work, 'topn.parquet')
  rec(['recommend', '--retrieval', ckpt, '--index', index, '--dataset', dataset, ...(ranking ? ['--ranking', ranking] : []), '--k', '100', '--out', topn, '--force', '--generated-at', 'now'])
  extra.push('--topn', topn)
}
if (!args['no-state']) extra.push('--state', state)
const child = spawn(process.execPath, [BIN, 'serve', '--retrieval', ckpt, '--index', index, '--dataset', dataset, '--port', '0', ...extra, ...experimentArgs], {stdio: ['ignore', 'ignore', 'pipe']})
const loadStart = performance.now()
const url = await new Promise((resolveUrl, reject) => {
  let err = ''
  child.stderr.on('data', (c) => {
    err += c
    const m = /listening on (http:\/\/\S+)/.exec(err)
    if (m) resolveUrl(m[1])
  })
  child.on('exit', (code) => reject(new Error(`rec serve exited ${code}: ${err}`)))
})
process.stdout.write(`server ready in ${((performance.now() - loadStart) / 1000).toFixed(1)} s at ${url}\n`)
const {hostname, port} = new URL(url)

// --- load: autocannon on `connections` keep-alive sockets, `total` requests in all, users drawn round-robin with a
// stride; latencies are taken from its per-response event (its own histogram rounds to whole milliseconds)
async function run(connections, total) {
  const latencies = []
  let i = 0
  let first = 0
  let last = 0
  const instance = autocannon({
    url,
    connections,
    amount: total,
    requests: [
      {
        setupRequest(request) {
          const user = userIds[(i++ * 7919) % userIds.length]
          return {...request, path: `/v1/recommendations?user_id=${user}&k=${args.k}`}
        },
      },
    ],
  })
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode !== 200) throw new Error(`status ${statusCode}`)
    latencies.push(responseTime)
    last = performance.now()
    if (latencies.length === 1) first = last - responseTime
  })
  const result = await instance
  // from the first request's start to the last response: autocannon ends a run on its own 1 s tick
  const seconds = (last - first) / 1000
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${result.errors} errors and ${result.non2xx} non-2xx responses`)
  latencies.sort((a, b) => a - b)
  const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]
  return {connections, requests: latencies.length, p50: q(0.5), p99: q(0.99), rps: latencies.length / seconds}
}

/** CPU seconds of /proc/<pid>[/task/<tid>]/stat (utime + stime, 100 ticks/s): latency-independent of other load on the cores. */
function cpuOf(path) {
  const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** The server's CPU seconds so far: all threads, and the HTTP (main) thread alone. */
function serverCpu() {
  return {all: cpuOf(`/proc/${child.pid}/stat`), http: cpuOf(`/proc/${child.pid}/task/${child.pid}/stat`)}
}

await run(4, 200) // warm-up: JIT and user-vector caches of a few users
for (const c of [1, 16, 64]) {
  const cpu = serverCpu()
  const r = await run(c, c === 1 ? Math.min(1000, Number(args.requests)) : Number(args.requests))
  const after = serverCpu()
  const perRequest = (key) => (((after[key] - cpu[key]) * 1000) / r.requests).toFixed(2)
  process.stdout.write(
    `connections ${String(c).padStart(2)} | requests ${r.requests} | p50 ${r.p50.toFixed(2)} ms | p99 ${r.p99.toFixed(2)} ms | ${r.rps.toFixed(0)} req/s | server cpu ${perRequest('all')} ms/request (http thread ${perRequest('http')}) | load ${loadavg()[0].toFixed(1)}\n`,
  )
}
const metrics = await (await fetch(`${url}/metrics`)).text()
const count = (name) => new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\d+)$`, 'm').exec(metrics)?.[1] ?? '0'
if (args.topn) process.stdout.write(`feeds served from the top-n cache ${count('rec_topn_served_total{from="cache"}')} | live ${count('rec_topn_served_total{from="live"}')}\n`)
if (!args['no-state']) process.stdout.write(`impressions logged ${count('rec_impressions_logged_total')} | dropped ${count('rec_impressions_dropped_total')} (a flush lags by up to 200 ms)\n`)
if (args.experiments) {
  // every response names its arm and the versions that served it
  const arms = {}
  for (const user of userIds.slice(0, 500)) {
    const body = await (await fetch(`${url}/v1/recommendations?user_id=${user}&k=${args.k}`)).json()
    if (body.experiment !== 'bench' || !body.arm || !body.versions?.retrieval) throw new Error(`a feed without its arm: ${JSON.stringify(body).slice(0, 200)}`)
    arms[body.arm] = (arms[body.arm] ?? 0) + 1
  }
  const total = Object.values(arms).reduce((a, b) => a + b, 0)
  process.stdout.write(`arms (${total} feeds): ${Object.entries(arms).map(([arm, n]) => `${arm} ${((100 * n) / total).toFixed(1)}%`).join(', ')}\n`)
}
child.kill('SIGTERM')
