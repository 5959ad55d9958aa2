// Hard negatives: each user's current top items that the user never engaged with in train.
import {dotScoreProvider} from '../eval/engine/score-provider.js'
import {rankUsers} from '../eval/engine/rank-users.js'
import type {UserHistory} from '../features/history.js'
import {csrFromPairs} from '../metrics/csr.js'
import {embedItems, embedUsers} from '../models/two-tower/embed.js'
import type {TwoTowerModel} from '../models/two-tower/model.js'
import type {RetrievalExamples} from './retrieval-examples.js'

/** Per user row (CSR), the top `depth` items by the current model, train positives and OOV excluded. */
export async function mineHardNegatives(model: TwoTowerModel, trainHistory: UserHistory, examples: RetrievalExamples, depth: number): Promise<{offsets: Int32Array; rows: Int32Array}> {
  const nUsers = trainHistory.offsets.length - 1
  const users = Int32Array.from(new Set(examples.user)).sort()
  const userVectors = embedUsers(model, users, trainHistory)
  const items = embedItems(model)
  const keys: number[] = []
  const rows: number[] = []
  for (let i = 0; i < users.length; i++) {
    keys.push(i)
    rows.push(0)
    for (let p = trainHistory.offsets[users[i]]; p < trainHistory.offsets[users[i] + 1]; p++) {
      keys.push(i)
      rows.push(trainHistory.items[p])
    }
  }
  const exclude = csrFromPairs(keys, rows, users.length)
  const k = Math.min(depth, model.items.rows - 1)
  const lists = await rankUsers(dotScoreProvider(userVectors, items, model.dim), Int32Array.from(users.keys()), {k, exclude})
  // Re-key the lists from position in `users` to user row.
  const offsets = new Int32Array(nUsers + 1)
  const out = new Int32Array(users.length * k)
  let cursor = 0
  let ui = 0
  for (let u = 0; u < nUsers; u++) {
    offsets[u] = cursor
    if (ui < users.length && users[ui] === u) {
      for (let j = 0; j < k; j++) if (lists[ui * k + j] >= 0) out[cursor++] = lists[ui * k + j]
      ui++
    }
  }
  offsets[nUsers] = cursor
  return {offsets, rows: out.subarray(0, cursor)}
}
