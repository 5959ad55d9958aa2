#!/usr/bin/env node
// rec simulate bench: simulated feed-steps per second (GET a feed, draw the responses, POST the interactions) against
// one local `rec serve` on loopback (target: 500 steps/s on 2 cores, simulator and server sharing them).
// Usage: node bench/simulate.bench.js [--items 10000] [--users 1000] [--interactions 50000] [--sessions 40] [--steps 10] [--k 10] [--concurrency 32] [--workers N] [--state] [--work DIR]
// Builds the world once under --work (gen-data -> train retrieval 1 epoch -> index build) and reuses it. The server runs
// without a store unless --state (then every POST is committed and fsynced before its 201, and every feed is logged).
import {spawn} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {runSimulation} from '../dist/lib/simulate/run.js'
import {benchWorld, BIN} from './bench-world.js'

const {values: args} = parseArgs({
  options: {
    items: {type: 'string', default: '10000'},
    users: {type: 'string', default: '1000'},
    interactions: {type: 'string', default: '50000'},
    sessions: {type: 'string', default: '40'},
    steps: {type: 'string', default: '10'},
    k: {type: 'string', default: '10'},
    concurrency: {type: 'string', default: '32'},
    workers: {type: 'string'},
    state: {type: 'boolean', default: false},
    work: {type: 'string', default: join(tmpdir(), 'rec-simulate-bench')},
  },
})
const {dataset, ckpt, index} = benchWorld(args)

// --- server
const serveArgs = [BIN, 'serve', '--retrieval', ckpt, '--index', index, '--dataset', dataset, '--port', '0', '--online', 'private']
if (args.workers !== undefined) serveArgs.push('--workers', args.workers)
if (args.state) serveArgs.push('--state', mkdtempSync(join(tmpdir(), 'rec-simulate-bench-state-')))
const server = spawn(process.execPath, serveArgs, {stdio: ['ignore', 'ignore', 'pipe']})
let stderr = ''
const url = await new Promise((resolve, reject) => {
  server.stderr.on('data', (chunk) => {
    stderr += chunk
    const match = /listening on (http:\/\/\S+)/.exec(stderr)
    if (match) resolve(match[1])
  })
  server.on('exit', (code) => reject(new Error(`rec serve exited with ${code}: ${stderr}`)))
})

// --- simulate: a warm-up pass (JIT, user vectors), then the timed one with another seed (other users)
try {
  const options = {world: dataset, targets: [{name: 'server', baseUrl: url}], sessionsPerPersona: Number(args.sessions), stepsPerSession: Number(args.steps), k: Number(args.k), concurrency: Number(args.concurrency)}
  await runSimulation({...options, sessionsPerPersona: 4, seed: 1})
  const load = loadavg()[0]
  const report = await runSimulation({...options, seed: 2})
  const t = report.timing
  process.stdout.write(
    `simulate: ${t.feed_steps} feed steps (k ${args.k}, ${args.concurrency} users in flight, ${args.state ? 'store' : 'no store'}) in ${t.seconds} s: ${t.feed_steps_per_second} steps/s (target 500); items ${args.items}, users ${args.users}; load average ${load.toFixed(2)} before\n`,
  )
} finally {
  server.kill('SIGTERM')
}
