// One block of users: score every item, blank out each user's excluded items, keep the top k. Shared by thread and workers.
import {RecError} from '../../errors.js'
import {type Csr} from '../../metrics/csr.js'
import {type TopKSelector} from '../../kernels/top-k.js'
import {type ScoreProvider} from './score-provider.js'

/** Score entries per block: 2^23 floats = 32 MB, so 100k items gives blocks of 83 users. */
const BLOCK_SCORES = 1 << 23

/** Users per block: at most 256, fewer for large catalogues so the block stays near 32 MB. */
export function defaultBlockUsers(nItems: number): number {
  return Math.max(1, Math.min(256, Math.floor(BLOCK_SCORES / nItems)))
}

/**
 * Ranks users userRows[0 .. b): writes each user's top `selector.k` item rows (best first, -1 padded)
 * to out[outStart + j * k ..]. `scores` is scratch of at least b * nItems floats.
 * Throws BAD_DATA if the provider returned NaN for an item that was not excluded.
 */
export function rankUserBlock(
  provider: ScoreProvider,
  userRows: Int32Array,
  exclude: Csr | undefined,
  selector: TopKSelector,
  scores: Float32Array,
  out: Int32Array,
  outStart: number,
): void {
  const n = provider.nItems
  const k = selector.k
  provider.scoreBlock(userRows, scores)
  for (let j = 0; j < userRows.length; j++) {
    const base = j * n
    // NaN marks an excluded item; more NaN skipped than marked here means the provider returned NaN itself.
    let marked = 0
    if (exclude) {
      const u = userRows[j]
      for (let e = exclude.offsets[u]; e < exclude.offsets[u + 1]; e++) {
        const at = base + exclude.rows[e]
        if (scores[at] === scores[at]) marked++
        scores[at] = NaN
      }
    }
    const skipped = selector.select(scores, base, n, out, outStart + j * k)
    if (skipped > marked) checkNoStrayNaN(scores, base, n, userRows[j], exclude)
  }
}

/** Slow path, reached only when more NaN were skipped than marked: is one of them outside the exclusions? */
function checkNoStrayNaN(scores: Float32Array, base: number, n: number, user: number, exclude: Csr | undefined): void {
  const excluded = new Set<number>()
  if (exclude) for (let e = exclude.offsets[user]; e < exclude.offsets[user + 1]; e++) excluded.add(exclude.rows[e])
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[base + i]) && !excluded.has(i)) {
      throw new RecError('BAD_DATA', `the score provider returned NaN for item row ${i} of user row ${user}`, {
        hint: 'check the model output or embeddings for NaN',
      })
    }
  }
}
