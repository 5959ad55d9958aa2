// Full-ranking top-K for many users: blocks of users x all items, never the whole users x items matrix.
import {availableParallelism} from 'node:os'

import {RecError} from '../../errors.js'
import {checkCsr, type Csr, maxKey} from '../../metrics/csr.js'
import {TopKSelector} from '../../kernels/top-k.js'
import {type Reporter, silentReporter} from '../../reporter.js'
import {type ScoreProvider} from './score-provider.js'
import {defaultBlockUsers, rankUserBlock} from './top-k-block.js'
import {rankUsersInWorkers} from './top-k-pool.js'

export interface RankUsersOptions {
  /** List length per user; 1 <= k <= nItems. */
  k: number
  /** Item rows never ranked for a user (history), indexed by user row: exclude.offsets covers every row in `users`. */
  exclude?: Csr
  /** Users scored together; default keeps a block near 32 MB of scores (256 users up to 32k items). */
  blockUsers?: number
  /** Worker threads for embedding providers; default os.availableParallelism(); 1 stays in-thread. */
  threads?: number
  /** Jobs under this many multiply-adds (users x items x dim) stay in-thread; default 6e8. */
  parallelMinWork?: number
  reporter?: Reporter
}

/**
 * About 0.35 s of single-thread work at the kernel's 1.7 G multiply-adds/s. Starting two workers
 * took 130-260 ms here, so halving a job pays only past about twice that start-up.
 */
const DEFAULT_PARALLEL_MIN_WORK = 6e8

/**
 * Top-k item rows per user: result[u * k .. u * k + k) belongs to users[u], best first, ties to the
 * smaller item row, excluded items never present, -1 where fewer than k items remain.
 * Runs on worker threads when the provider has embeddings and the job is large enough.
 */
export async function rankUsers(provider: ScoreProvider, users: Int32Array, options: RankUsersOptions): Promise<Int32Array> {
  checkTopKInput(provider, users, options)
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), Math.ceil(users.length / blockUsersOf(provider, options))))
  const emb = provider.embeddings
  const work = users.length * provider.nItems * (emb?.dim ?? 0)
  if (!emb || threads < 2 || work < (options.parallelMinWork ?? DEFAULT_PARALLEL_MIN_WORK)) return runInThread(provider, users, options)
  const bar = (options.reporter ?? silentReporter).progress('ranking users', users.length)
  try {
    return await rankUsersInWorkers(emb, users, {k: options.k, exclude: options.exclude, threads, blockUsers: blockUsersOf(provider, options), onUsers: (n) => bar.tick(n)})
  } finally {
    bar.stop()
  }
}

/** The same result as rankUsers, always on the calling thread (any provider, no worker start-up). */
export function rankUsersInThread(provider: ScoreProvider, users: Int32Array, options: RankUsersOptions): Int32Array {
  checkTopKInput(provider, users, options)
  return runInThread(provider, users, options)
}

function runInThread(provider: ScoreProvider, users: Int32Array, options: RankUsersOptions): Int32Array {
  const {k} = options
  const block = blockUsersOf(provider, options)
  const out = new Int32Array(users.length * k)
  const scores = new Float32Array(Math.min(block, users.length) * provider.nItems)
  const selector = new TopKSelector(k)
  const bar = (options.reporter ?? silentReporter).progress('ranking users', users.length)
  for (let start = 0; start < users.length; start += block) {
    const rows = users.subarray(start, Math.min(users.length, start + block))
    rankUserBlock(provider, rows, options.exclude, selector, scores, out, start * k)
    bar.tick(rows.length)
  }
  bar.stop()
  return out
}

function blockUsersOf(provider: ScoreProvider, options: RankUsersOptions): number {
  return options.blockUsers ?? defaultBlockUsers(provider.nItems)
}

function checkTopKInput(provider: ScoreProvider, users: Int32Array, options: RankUsersOptions): void {
  const {k, blockUsers} = options
  const n = provider.nItems
  if (!(Number.isInteger(n) && n > 0)) throw new RecError('INVALID_ARGUMENT', `the score provider has ${n} items; ranking needs at least one`)
  if (!(Number.isInteger(k) && k >= 1)) throw new RecError('INVALID_ARGUMENT', `k must be a positive integer (got ${k})`)
  if (k > n) throw new RecError('INVALID_ARGUMENT', `k=${k} is larger than the catalogue of ${n} items`, {hint: `use k <= ${n}`})
  if (blockUsers !== undefined && !(Number.isInteger(blockUsers) && blockUsers >= 1)) {
    throw new RecError('INVALID_ARGUMENT', `blockUsers must be a positive integer (got ${blockUsers})`)
  }
  const maxUser = maxKey(users, 'users')
  if (options.exclude) checkCsr(options.exclude, 'exclude', maxUser + 1, n)
}
