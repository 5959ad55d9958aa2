// The ranking checkpoint as an EvalStage: each user's retrieval top-N candidates, re-ordered by the ranker's fused score.
import {createRankingScorer} from '../models/ranker/scorer.js'
import {candidateCreatedAt, fusedCandidateScorer, orderByScore, requestTimes, selectCandidates} from '../models/ranker/rerank-candidates.js'
import type {ScoreProvider} from './engine/score-provider.js'
import type {EvalContext} from './eval-context.js'
import type {EvalStage, StageOutput} from './eval-stage.js'
import type {EvalRanker} from './ranker-checkpoint.js'
import {historySplits} from './protocol-line.js'
import {gatherDots} from '../kernels/dot.js'

const RANKER_STAGE_ID = 'ranker'

export interface RankerStage extends EvalStage {
  /** Releases the scorer's precomputed tensors. */
  dispose(): void
}

/**
 * Serving's two stages replayed per evaluated user. The request time is the user's first
 * interaction in the evaluated split; the candidates are the first `candidates` items of the
 * parent's list created by then (the list is read twice as deep when items carry a creation time,
 * so that dropping later items still leaves N, as an index of published items would hold); the
 * ranker scores them at that time (with the parent's score when it reads retrieval_score), and they
 * are ordered by its fused score, ties to the smaller item row. Only candidates are ever returned.
 */
export function createRankerStage(ranker: EvalRanker, ctx: EvalContext, candidates: number): RankerStage {
  const scorer = createRankingScorer(ranker.loaded)
  const createdAt = candidateCreatedAt(ranker.loaded)
  const fused = fusedCandidateScorer(scorer)
  const times = requestTimes(ctx.dataset.interactions, ctx.users, ctx.split)
  const userOf = (taskIndex: number) => ctx.task.users[taskIndex]
  return {
    id: RANKER_STAGE_ID,
    depth: createdAt ? 2 * candidates : candidates,
    protocol: `STAGE 2: ranker re-ranks each user's top ${candidates} candidates${createdAt ? ' (created before the request)' : ''} by its fused score at the request time = the user's first ${ctx.split} interaction; ranker statistics from ${historySplits(ctx)}`,
    async apply({ranked, scores}): Promise<StageOutput> {
      const n = ranked.users.length
      const depth = Math.min(candidates, ranked.listK)
      const chosen = selectCandidates(ranked, depth, (i) => times[userOf(ranked.users[i])], createdAt)
      const lists = new Int32Array(n * ranked.listK).fill(-1)
      const parentScores = scorer.needsRetrievalScore ? candidateScores(scores) : undefined
      for (let i = 0; i < n; i++) {
        const list = chosen.subarray(i * depth, (i + 1) * depth)
        const items = list.filter((item) => item >= 0)
        if (items.length === 0) continue
        const u = userOf(ranked.users[i])
        const score = fused({user: u, items, ts: times[u], retrieval: parentScores?.(ranked.users[i], items)})
        lists.set(orderByScore(items, score), i * ranked.listK)
      }
      return {lists, candidates: {lists: chosen, depth}}
    },
    dispose: () => scorer.dispose(),
  }
}

/**
 * The parent's score of each candidate: dot products of the candidates alone when the parent is an
 * embedding model (200 rows against a whole catalogue: 100k items x 64-d is ~4 ms per user), else
 * the user's full row from scoreBlock.
 */
function candidateScores(scores: ScoreProvider): (userRow: number, items: Int32Array) => Float32Array {
  const embeddings = scores.embeddings
  if (embeddings) {
    const {users, items: vectors, dim} = embeddings
    return (userRow, items) => Float32Array.from(gatherDots(users.subarray(userRow * dim, (userRow + 1) * dim), vectors, items, dim))
  }
  const row = new Float32Array(scores.nItems)
  return (userRow, items) => {
    scores.scoreBlock(Int32Array.of(userRow), row)
    return Float32Array.from(items, (item) => row[item])
  }
}
