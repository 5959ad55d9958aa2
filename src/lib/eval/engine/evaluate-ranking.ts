// Full-ranking evaluation: top-K over the whole catalogue minus history, then accuracy and beyond-accuracy metrics.
import {RecError} from '../../errors.js'
import {computeBeyondAccuracy} from '../../metrics/beyond-accuracy.js'
import {checkCsr, type Csr} from '../../metrics/csr.js'
import {computeRankingMetrics} from '../../metrics/ranking-metrics.js'
import {checkUsers, type PerUserEvalInput, type PerUserEvalResult, usersWithTargets} from './per-user-eval.js'
import {rankUsers} from './rank-users.js'

/** Each K <= the catalogue size. */
export interface RankingEvalInput extends PerUserEvalInput {
  popularity?: ArrayLike<number>
  categories?: Csr
  threads?: number
  parallelMinWork?: number
  blockUsers?: number
}

/**
 * perUser: "recall@10", "ndcg@10", "hitrate@10", "precision@10", "map@10", ..., "mrr", and
 * beyond-accuracy names when asked for; mean adds "coverage@K", which has no per-user value.
 */
export interface RankingEvalResult extends PerUserEvalResult {
  /** Targets that are also in the user's exclusion list: they can never be hit and count as misses. */
  targetsExcluded: number
}

/**
 * Ranks every item for each user with at least one target (history excluded, ties to the smaller
 * item row), keeps the top max(ks), and scores the lists. mrr is truncated at max(ks).
 * Throws INVALID_ARGUMENT for a K above the catalogue, EMPTY when no user has a target.
 */
export async function evaluateRanking(input: RankingEvalInput): Promise<RankingEvalResult> {
  const {scores, users, exclude, targets} = input
  const nItems = scores.nItems
  const ks = checkKs(input.ks, nItems)
  checkUsers(users, targets, exclude, nItems)
  if (input.popularity) checkPopularity(input.popularity, nItems)
  // Category ids index a dense array in DiversityScorer, hence the 2^24 bound.
  if (input.categories) checkCsr(input.categories, 'categories', nItems, 1 << 24)

  const kept = usersWithTargets(users, targets)
  const listK = Math.max(...ks)
  const lists = await rankUsers(scores, kept, {k: listK, exclude, threads: input.threads, parallelMinWork: input.parallelMinWork, blockUsers: input.blockUsers, reporter: input.reporter})
  const ranked = {lists, listK, users: kept}
  const accuracy = computeRankingMetrics(ranked, targets, ks, nItems)
  const beyond = computeBeyondAccuracy(ranked, ks, {nItems, popularity: input.popularity, categories: input.categories})
  return {
    ks,
    users: kept,
    perUser: {...accuracy.perUser, ...beyond.perUser},
    mean: {...accuracy.mean, ...beyond.mean},
    usersEvaluated: kept.length,
    usersSkipped: users.length - kept.length,
    targetsExcluded: countExcludedTargets(kept, targets, exclude, nItems),
  }
}

/** Sorted, distinct ks; each a positive integer no larger than the catalogue. */
export function checkKs(ks: readonly number[], nItems: number): number[] {
  if (ks.length === 0) throw new RecError('INVALID_ARGUMENT', 'ks is empty; give at least one K, e.g. [10]')
  for (const k of ks) {
    if (!(Number.isInteger(k) && k >= 1)) throw new RecError('INVALID_ARGUMENT', `K must be a positive integer (got ${k})`)
    if (k > nItems) throw new RecError('INVALID_ARGUMENT', `K=${k} is larger than the catalogue of ${nItems} items`, {hint: `use K <= ${nItems}`})
  }
  return [...new Set(ks)].sort((a, b) => a - b)
}

function checkPopularity(popularity: ArrayLike<number>, nItems: number): void {
  if (popularity.length !== nItems) throw new RecError('MISMATCH', `popularity has ${popularity.length} entries but the catalogue has ${nItems} items`)
  for (let i = 0; i < nItems; i++) {
    if (!(popularity[i] >= 0 && Number.isFinite(popularity[i]))) throw new RecError('BAD_DATA', `popularity of item row ${i} is ${popularity[i]}; it must be a finite count >= 0`)
  }
}

function countExcludedTargets(users: Int32Array, targets: Csr, exclude: Csr, nItems: number): number {
  const stamp = new Int32Array(nItems).fill(-1)
  let count = 0
  for (let j = 0; j < users.length; j++) {
    const u = users[j]
    for (let e = exclude.offsets[u]; e < exclude.offsets[u + 1]; e++) stamp[exclude.rows[e]] = j
    for (let e = targets.offsets[u]; e < targets.offsets[u + 1]; e++) {
      // Reset after counting so a target listed twice counts once.
      if (stamp[targets.rows[e]] === j) {
        count++
        stamp[targets.rows[e]] = -1
      }
    }
  }
  return count
}
