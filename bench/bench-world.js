// The serving benches' world, built once under a work directory and reused: gen-data -> train retrieval (1 epoch) -> index build (+ ranker).
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {DEFAULT_HNSW_PARAMS} from '../dist/lib/index/hnsw-params.js'

export const BIN = resolve(import.meta.dirname, '../bin/run.js')

/** Runs `rec argv... --quiet` and prints its wall time; throws on a non-zero exit. */
export function rec(argv) {
  const started = performance.now()
  const result = spawnSync(process.execPath, [BIN, ...argv, '--quiet'], {stdio: ['ignore', 'ignore', 'inherit']})
  if (result.status !== 0) throw new Error(`rec ${argv.join(' ')} failed`)
  process.stdout.write(`rec ${argv[0]} ${argv[1]?.startsWith('-') ? '' : argv[1]}: ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
}

/** {items, users, interactions, work, ranking} -> the world's directories (ranking only when asked for). */
export function benchWorld(args) {
  const work = join(args.work, `${args.items}-${args.users}-${args.interactions}`)
  mkdirSync(work, {recursive: true})
  const dataset = join(work, 'world')
  const ckpt = join(work, 'ckpt')
  const index = join(work, 'index')
  if (!existsSync(dataset)) rec(['gen-data', '--out', dataset, '--items', args.items, '--users', args.users, '--interactions', args.interactions])
  if (!existsSync(ckpt)) rec(['train', 'retrieval', '--dataset', dataset, '--out', ckpt, '--dim', '32', '--epochs', '1', '--batch-size', '1024', '--history-length', '20'])
  // an index built by an older rec (other default ef or storage) would measure that rec's search, not this one's
  const stale = (dir) => {
    const hnsw = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).hnsw ?? {}
    // a manifest without quantization predates f16 storage: its vectors are f32
    return Object.entries(DEFAULT_HNSW_PARAMS).some(([key, value]) => (key === 'quantization' ? (hnsw[key] ?? 'f32') : hnsw[key]) !== value)
  }
  if (existsSync(index) && stale(index)) rmSync(index, {recursive: true})
  const ranking = join(work, 'ranking')
  if (args.ranking && !existsSync(ranking)) {
    rec(['train', 'ranking', '--dataset', dataset, '--config', resolve(import.meta.dirname, '../config/ranking-synthetic.yaml'), '--out', ranking, '--epochs', '1'])
  }
  if (!existsSync(index)) rec(['index', 'build', '--ckpt', ckpt, '--dataset', dataset, '--out', index, '--recall-users', '200'])
  return {work, dataset, ckpt, index, ranking: args.ranking ? ranking : undefined}
}
