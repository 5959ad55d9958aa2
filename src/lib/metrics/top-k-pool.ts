// Splits the user blocks of a top-K job over worker threads that share the embeddings and the output through shared memory.
import type {Worker} from 'node:worker_threads'

import {RecError} from '../errors.js'
import {spawnWorker} from '../workers/spawn-worker.js'
import {fromFailure, type WorkerFailure} from '../workers/worker-failure.js'
import {type Csr} from './csr.js'
import {type Embeddings} from './score-provider.js'

export interface PoolJob {
  k: number
  exclude?: Csr
  threads: number
  blockUsers: number
  /** Called on the main thread as blocks finish, with the number of users ranked. */
  onUsers(n: number): void
}

/** What a worker receives once; every array lives in a SharedArrayBuffer, so nothing is copied per worker. */
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

/** Worker -> main: a finished block of `users` users, or a failure to rethrow. */
export type WorkerReply = {type: 'done'; users: number} | ({type: 'error'} & WorkerFailure)

/**
 * The top-K lists of `users` (layout as in topK), computed by `job.threads` workers that pull
 * blocks from a queue, so a busier core simply takes fewer blocks. Results do not depend on the
 * thread count: each block is ranked exactly as in-thread.
 */
export async function topKInWorkers(emb: Embeddings, users: Int32Array, job: PoolJob): Promise<Int32Array> {
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
  const workers: Worker[] = []
  let next = 0
  let finished = 0
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => reject(error)
      const feed = (worker: Worker) => {
        if (next < nBlocks) worker.postMessage({block: next++})
      }
      for (let t = 0; t < Math.min(job.threads, nBlocks); t++) {
        const worker = spawnWorker(import.meta.url, 'top-k-worker')
        workers.push(worker)
        worker.on('message', (reply: WorkerReply) => {
          if (reply.type === 'error') return fail(fromFailure(reply, 'BAD_DATA'))
          job.onUsers(reply.users)
          if (++finished === nBlocks) resolve()
          else feed(worker)
        })
        worker.on('error', fail)
        worker.on('exit', (code) => {
          if (finished < nBlocks) fail(new Error(`a top-K worker exited with code ${code} before the job finished`))
        })
        worker.postMessage(init)
        feed(worker)
      }
    })
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
  return new Int32Array(init.out)
}

function shared<T extends Float32Array | Int32Array>(array: T): T {
  if (array.buffer instanceof SharedArrayBuffer) return array
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(array.byteLength))
  copy.set(array)
  return copy
}
