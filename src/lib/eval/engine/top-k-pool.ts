// Splits the user blocks of a top-K job over worker threads that share the embeddings and the output through shared memory.
import {RecError} from '../../errors.js'
import {type Csr} from '../../metrics/csr.js'
import {WorkerPool} from '../../workers/worker-pool.js'
import {type Embeddings} from './score-provider.js'

export interface PoolJob {
  k: number
  exclude?: Csr
  threads: number
  blockUsers: number
  /** Called on the main thread as blocks finish, with the number of users ranked. */
  onUsers(n: number): void
}

/** Every worker's workerData; every array lives in a SharedArrayBuffer, so nothing is copied per worker. */
export interface WorkerInit {
  users: Float32Array
  items: Float32Array
  dim: number
  userRows: Int32Array
  excludeOffsets?: Int32Array
  excludeRows?: Int32Array
  k: number
  blockUsers: number
  out: Int32Array
}

/** One call: rank block `block` of the user rows into `out`; the response is the number of users it held. */
export type RankUsersProtocol = {rank: {request: {block: number}; response: number}}

/**
 * The top-K lists of `users` (layout as in rankUsers), computed by `job.threads` workers that pull
 * blocks from the pool's queue one at a time, so a busier core simply takes fewer blocks. Results
 * do not depend on the thread count: each block is ranked exactly as in-thread. The first failure
 * (a NaN score, a worker's death) fails the job.
 */
export async function rankUsersInWorkers(emb: Embeddings, users: Int32Array, job: PoolJob): Promise<Int32Array> {
  const nUsers = emb.users.length / emb.dim
  for (let i = 0; i < users.length; i++) {
    if (users[i] >= nUsers) throw new RecError('INVALID_ARGUMENT', `user row ${users[i]} is outside the ${nUsers} user vectors`)
  }
  const init: WorkerInit = {
    users: shared(emb.users),
    items: shared(emb.items),
    dim: emb.dim,
    userRows: shared(users),
    excludeOffsets: job.exclude && shared(job.exclude.offsets),
    excludeRows: job.exclude && shared(job.exclude.rows),
    k: job.k,
    blockUsers: job.blockUsers,
    out: new Int32Array(new SharedArrayBuffer(users.length * job.k * 4)),
  }
  const nBlocks = Math.ceil(users.length / job.blockUsers)
  const size = Math.min(job.threads, nBlocks)
  const pool = new WorkerPool<RankUsersProtocol>({from: import.meta.url, module: 'top-k-worker', size, workerData: init, label: 'top-K', failureCode: 'BAD_DATA'})
  try {
    await Promise.all(Array.from({length: nBlocks}, (_, block) => pool.submit('rank', {block}).then((n) => job.onUsers(n))))
  } finally {
    await pool.close()
  }
  return new Int32Array(init.out)
}

function shared<T extends Float32Array | Int32Array>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength))
  copy.set(array)
  return copy
}
