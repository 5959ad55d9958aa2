#!/usr/bin/env node
// rec recommend throughput: users/s of every user's feed of 100 through the serving pipeline on a world of 100,000 items
// (target: >= 2,000 users/s on 2 cores).
// Usage: node bench/recommend.bench.js [--items 100000] [--users 5000] [--interactions 300000] [--k 100] [--workers N] [--ranking] [--work DIR]
// Builds (or reuses) serve.bench's world under --work. users/s counts the pipeline phase (queries built on the main
// thread, chunks of 256 users run on the pipeline workers); loading the models (on the main thread and in every worker)
// and writing topn.parquet are printed apart. The line ends with the 1-minute load average: on a shared machine other
// processes' load moves users/s a lot.
import {spawnSync} from 'node:child_process'
import {statSync} from 'node:fs'
import {loadavg, tmpdir} from 'node:os'
import {join} from 'node:path'
import {parseArgs} from 'node:util'

import {benchWorld, BIN} from './bench-world.js'

const {values: args} = parseArgs({
  options: {
    items: {type: 'string', default: '100000'},
    users: {type: 'string', default: '5000'},
    interactions: {type: 'string', default: '300000'},
    k: {type: 'string', default: '100'},
    workers: {type: 'string'},
    ranking: {type: 'boolean', default: false},
    work: {type: 'string', default: join(tmpdir(), 'rec-serve-bench')},
  },
})
const {work, dataset, ckpt, index, ranking} = benchWorld(args)

// --- rec recommend, its summary as JSON on stdout
const out = join(work, 'topn-bench.parquet')
const argv = ['recommend', '--retrieval', ckpt, '--index', index, '--dataset', dataset, '--users', 'all', '--k', args.k, '--out', out, '--force', '--json', '--quiet']
if (ranking) argv.push('--ranking', ranking)
if (args.workers !== undefined) argv.push('--workers', args.workers)
const started = performance.now()
const result = spawnSync(process.execPath, [BIN, ...argv], {encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26})
if (result.status !== 0) throw new Error(`rec recommend failed (exit ${result.status})`)
const wall = (performance.now() - started) / 1000
const s = JSON.parse(result.stdout)
process.stdout.write(
  `users ${s.users} | k ${s.k} | rows ${s.rows} | workers ${s.workers} | ${s.users_per_second} users/s (run ${s.run_seconds} s) | load models ${s.load_seconds} s | wall ${wall.toFixed(1)} s | topn.parquet ${(statSync(out).size / 1e6).toFixed(1)} MB | load ${loadavg()[0].toFixed(1)}\n`,
)
