// The retrieval score as a ranking feature: a two-tower model's cosine of (user at time t, item), causal in t.
import type {Dataset} from '../../dataset/store.js'
import {TRAIN} from '../../dataset/schema.js'
import {buildHistory, historyEndBefore, rightAlignedWindows, type UserHistory} from '../../features/history.js'
import {selectPositives} from '../../features/positives.js'
import type {IdVocab} from '../../features/vocab.js'
import {PAD} from '../../engine/mean-pool.js'
import {embedItems, embedUsersFromWindows} from '../../models/two-tower/embed.js'
import {loadTwoTower} from '../../models/two-tower/load.js'
import type {TwoTowerModel} from '../../models/two-tower/model.js'

/** Scores of pairs given as ranker rows; the user side reads only history strictly before each pair's time. */
export interface RetrievalFeature {
  source: string
  scores(users: Int32Array, items: Int32Array, ts: Float64Array | number): Float32Array
}

/**
 * Loads the retrieval checkpoint `dir` against `dataset` (for training, one that passed
 * checkRetrievalWindow: fitted on data before the ranker's train split) and maps the ranker's rows to its rows by
 * id. A user's embedding at time t reads the retrieval model's own positives of the train split
 * before t; embeddings are cached per (user, window end), so the ~1 window per train positive is
 * encoded once however many impressions share it.
 */
export async function loadRetrievalFeature(dir: string, dataset: Dataset, users: IdVocab, items: IdVocab): Promise<RetrievalFeature> {
  const {model, inputs} = await loadTwoTower(dir, dataset, {allowVocabMismatch: true})
  const config = model.config
  const positives = selectPositives(dataset.interactions, inputs.users, inputs.items, {events: config.positives ?? dataset.manifest.positives, minWeight: config['positive-min-weight']})
  const history = buildHistory(positives, inputs.users.size, [TRAIN])
  const userMap = Int32Array.from({length: users.size}, (_, r) => (r === 0 ? 0 : inputs.users.row(users.id(r)!)))
  const itemMap = Int32Array.from({length: items.size}, (_, r) => (r === 0 ? 0 : inputs.items.row(items.id(r)!)))
  const itemVectors = embedItems(model)
  const cache = new WindowCache(model, history)
  return {
    source: dir,
    scores(userRows, itemRows, ts) {
      const us = Int32Array.from(userRows, (u) => userMap[u])
      const slots = cache.slots(us, ts)
      const d = model.dim
      const out = new Float32Array(itemRows.length)
      for (let p = 0; p < itemRows.length; p++) {
        const a = slots[p] * d
        const b = itemMap[itemRows[p]] * d
        let s = 0
        for (let j = 0; j < d; j++) s += cache.vectors[a + j] * itemVectors[b + j]
        out[p] = s
      }
      return out
    },
  }
}

/** User embeddings per (user, history end), computed in batches on first use. */
class WindowCache {
  vectors = new Float32Array(0)
  private count = 0
  private readonly index = new Map<number, number>()
  private readonly length: number

  constructor(
    private readonly model: TwoTowerModel,
    private readonly history: UserHistory,
  ) {
    this.length = Math.max(model.config['history-length'], 1)
  }

  /** Cache slot of each pair's user embedding. */
  slots(users: Int32Array, ts: Float64Array | number): Int32Array {
    const span = this.history.items.length + 1
    const keys = new Float64Array(users.length)
    const missing: number[] = []
    for (let p = 0; p < users.length; p++) {
      const end = historyEndBefore(this.history, users[p], typeof ts === 'number' ? ts : ts[p])
      keys[p] = users[p] * span + end
      if (!this.index.has(keys[p])) {
        this.index.set(keys[p], -1)
        missing.push(p)
      }
    }
    if (missing.length > 0) this.fill(missing, users, keys, span)
    return Int32Array.from(keys, (k) => this.index.get(k)!)
  }

  private fill(missing: number[], users: Int32Array, keys: Float64Array, span: number): void {
    const rows = Int32Array.from(missing, (p) => users[p])
    const ends = Int32Array.from(missing, (p) => keys[p] - users[p] * span)
    const windows = this.model.config['history-length'] > 0 ? rightAlignedWindows(this.history, rows, ends, this.length, PAD) : new Int32Array(rows.length).fill(PAD)
    const fresh = embedUsersFromWindows(this.model, rows, windows)
    const d = this.model.dim
    if ((this.count + missing.length) * d > this.vectors.length) {
      const grown = new Float32Array(Math.max((this.count + missing.length) * d, this.vectors.length * 2))
      grown.set(this.vectors)
      this.vectors = grown
    }
    this.vectors.set(fresh, this.count * d)
    missing.forEach((p, j) => this.index.set(keys[p], this.count + j))
    this.count += missing.length
  }
}
