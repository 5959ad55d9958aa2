// Worker thread of the top-K pool: rebuilds the scorer over the shared embeddings once, then ranks one block of users per call.
import {scoreDotBlock} from '../../kernels/dot-block.js'
import {TopKSelector} from '../../kernels/top-k.js'
import {serveWorker} from '../../workers/serve-worker.js'
import {type ScoreProvider} from './score-provider.js'
import {rankUserBlock} from './top-k-block.js'
import {type RankUsersProtocol, type WorkerInit} from './top-k-pool.js'

serveWorker<RankUsersProtocol, WorkerInit>((init) => {
  const nItems = init.items.length / init.dim
  // The main thread checked shapes and user rows already; the worker only computes.
  const provider: ScoreProvider = {nItems, scoreBlock: (rows, out) => scoreDotBlock(init.users, init.items, init.dim, rows, out)}
  const selector = new TopKSelector(init.k)
  const scores = new Float32Array(init.blockUsers * nItems)
  const exclude = init.excludeOffsets && init.excludeRows ? {offsets: init.excludeOffsets, rows: init.excludeRows} : undefined
  return {
    rank({block}) {
      const from = block * init.blockUsers
      const rows = init.userRows.subarray(from, Math.min(init.userRows.length, from + init.blockUsers))
      rankUserBlock(provider, rows, exclude, selector, scores, init.out, from * init.k)
      return rows.length
    },
  }
})
