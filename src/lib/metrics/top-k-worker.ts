// Worker thread of the top-K pool: receives shared embeddings once, then ranks one block of users per message.
import {parentPort} from 'node:worker_threads'

import {scoreDotBlock} from '../kernels/dot-block.js'
import {type ScoreProvider} from './score-provider.js'
import {rankUserBlock} from './top-k-block.js'
import {type WorkerInit, type WorkerReply} from './top-k-pool.js'
import {TopKSelector} from '../kernels/top-k.js'
import {toFailure} from '../workers/worker-failure.js'

interface State {
  init: WorkerInit
  provider: ScoreProvider
  selector: TopKSelector
  scores: Float32Array
}

let state: State | undefined
const port = parentPort
if (!port) throw new Error('top-k-worker must run as a worker thread')

port.on('message', (message: WorkerInit | {block: number}) => {
  if (!('block' in message)) {
    state = start(message)
    return
  }
  if (!state) throw new Error('top-k-worker got a block before its init message')
  const {init, provider, selector, scores} = state
  const from = message.block * init.blockUsers
  const rows = init.userRows.subarray(from, Math.min(init.userRows.length, from + init.blockUsers))
  const exclude = init.excludeOffsets && init.excludeRows ? {offsets: init.excludeOffsets, rows: init.excludeRows} : undefined
  let reply: WorkerReply
  try {
    rankUserBlock(provider, rows, exclude, selector, scores, init.out, from * init.k)
    reply = {type: 'done', users: rows.length}
  } catch (error) {
    reply = {type: 'error', ...toFailure(error)}
  }
  port.postMessage(reply)
})

function start(init: WorkerInit): State {
  const nItems = init.items.length / init.dim
  // The main thread checked shapes and user rows already; the worker only computes.
  const provider: ScoreProvider = {nItems, scoreBlock: (rows, out) => scoreDotBlock(init.users, init.items, init.dim, rows, out)}
  return {init, provider, selector: new TopKSelector(init.k), scores: new Float32Array(init.blockUsers * nItems)}
}
