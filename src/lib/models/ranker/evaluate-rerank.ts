// Measures re-ranking: retrieval top-N per held-out user, re-scored by the ranker, against retrieval alone.
import {readDataset} from '../../dataset/store.js'
import {TRAIN} from '../../dataset/schema.js'
import {RecError} from '../../errors.js'
import {buildRankingTask} from '../../features/holdout.js'
import {selectPositives} from '../../features/positives.js'
import {type BootstrapResult, pairedBootstrap} from '../../metrics/bootstrap.js'
import {evaluateRanking} from '../../metrics/evaluate-ranking.js'
import {dotScoreProvider} from '../../metrics/score-provider.js'
import {topK} from '../../metrics/top-k.js'
import {type Reporter, silentReporter} from '../../reporter.js'
import {embedItems, embedUsers} from '../two-tower/embed.js'
import {loadTwoTower} from '../two-tower/load.js'
import {loadRanker} from './load.js'
import {candidateCreatedAt, fusedCandidateScorer, requestTimes, selectCandidates} from './rerank-candidates.js'
import {rerankProvider} from './rerank-provider.js'
import {createRankingScorer} from './scorer.js'

export interface RerankEvalOptions {
  dataset: string
  ranker: string
  retrieval: string
  /** Candidates per user taken from retrieval (default 200). */
  depth?: number
  ks?: number[]
  split?: 'val' | 'test'
  /** Split codes feeding the ranker's cross statistics (default: train, as in training). */
  statsSplits?: number[]
  reporter?: Reporter
}

export interface RerankEvalResult {
  users: number
  depth: number
  /** Mean metrics ("ndcg@10", ...) of retrieval's full ranking, the same users and targets. */
  retrieval: Record<string, number>
  /** Retrieval's order of the candidates (top-depth among items that exist at request time). */
  candidates: Record<string, number>
  /** The ranker's order of the same candidates. */
  reranked: Record<string, number>
  /** Share of held-out targets inside the retrieval top-`depth`: the ceiling re-ranking works under. */
  candidateRecall: number
  /** Paired bootstrap over users of reranked minus candidates, per metric of the first K ("ndcg@10", "recall@10"). */
  delta: Record<string, BootstrapResult>
}

/**
 * Candidates: retrieval's top `depth` among items created by the request time (history excluded).
 * Both orders of the same candidates are scored, so the difference is the ranker's alone. The task is the retrieval model's (its positives, history = earlier splits). Each user's request
 * time is the time of their first interaction in the split; the ranker scores the candidates at that
 * time, with the retrieval score when it reads one.
 */
export async function evaluateRerank(options: RerankEvalOptions): Promise<RerankEvalResult> {
  const depth = options.depth ?? 200
  const ks = options.ks ?? [10, 50, 100]
  if (ks.some((k) => k > depth)) throw new RecError('INVALID_ARGUMENT', `K ${Math.max(...ks)} exceeds the re-ranking depth ${depth}`)
  const reporter = options.reporter ?? silentReporter
  const dataset = await readDataset(options.dataset)
  const retrieval = await loadTwoTower(options.retrieval, dataset)
  const loaded = await loadRanker(options.ranker, dataset, {statsSplits: options.statsSplits ?? [TRAIN]})
  const scorer = createRankingScorer(loaded)
  const rc = retrieval.model.config
  const positives = selectPositives(dataset.interactions, retrieval.inputs.users, retrieval.inputs.items, {events: rc.positives ?? dataset.manifest.positives, minWeight: rc['positive-min-weight']})
  const task = buildRankingTask(positives, retrieval.inputs.users.size, options.split ?? 'test')
  const n = task.users.length
  const dim = retrieval.model.dim
  const userVectors = embedUsers(retrieval.model, task.users, task.history)
  const itemVectors = embedItems(retrieval.model)
  const nItems = itemVectors.length / dim
  const dot = dotScoreProvider(userVectors, itemVectors, dim)
  const users = Int32Array.from({length: n}, (_, i) => i)
  const base = await evaluateRanking({scores: dot, users, exclude: task.exclude, targets: task.targets, ks, reporter})
  const requestTime = requestTimes(dataset.interactions, retrieval.inputs.users, options.split ?? 'test')
  // Twice the depth from retrieval, then only items that exist at request time, as a live index would hold.
  const wideK = Math.min(nItems, 2 * depth)
  const wide = await topK(dot, users, {k: wideK, exclude: task.exclude, reporter})
  const lists = selectCandidates({lists: wide, listK: wideK}, depth, (i) => requestTime[task.users[i]], candidateCreatedAt(loaded, retrieval.inputs.items))
  const candidateLists = {items: lists, depth}
  const retrievalScores = (i: number, items: Int32Array) => Float32Array.from(items, (item) => dotRow(userVectors, i, itemVectors, item, dim))
  const fused = fusedCandidateScorer(loaded, scorer, retrieval.inputs.users, retrieval.inputs.items)
  const byRetrieval = rerankProvider(nItems, candidateLists, retrievalScores)
  const byRanker = rerankProvider(nItems, candidateLists, (i, items) => {
    const u = task.users[i]
    return fused({user: u, items, ts: requestTime[u], retrieval: scorer.needsRetrievalScore ? retrievalScores(i, items) : undefined})
  })
  const candidates = await evaluateRanking({scores: byRetrieval, users, exclude: task.exclude, targets: task.targets, ks, reporter})
  const reranked = await evaluateRanking({scores: byRanker, users, exclude: task.exclude, targets: task.targets, ks, reporter})
  scorer.dispose()
  const delta: Record<string, BootstrapResult> = {}
  for (const metric of [`ndcg@${ks[0]}`, `recall@${ks[0]}`]) delta[metric] = pairedBootstrap(candidates.perUser[metric], reranked.perUser[metric], {seed: 1})
  return {users: base.usersEvaluated, depth, retrieval: base.mean, candidates: candidates.mean, reranked: reranked.mean, candidateRecall: candidateRecall(lists, depth, task.targets), delta}
}

function dotRow(users: Float32Array, i: number, items: Float32Array, item: number, dim: number): number {
  let s = 0
  for (let j = 0; j < dim; j++) s += users[i * dim + j] * items[item * dim + j]
  return s
}

function candidateRecall(lists: Int32Array, depth: number, targets: {offsets: Int32Array; rows: Int32Array}): number {
  let hit = 0
  let total = 0
  for (let i = 0; i + 1 < targets.offsets.length; i++) {
    const list = new Set(lists.subarray(i * depth, (i + 1) * depth))
    for (let k = targets.offsets[i]; k < targets.offsets[i + 1]; k++) {
      total++
      if (list.has(targets.rows[k])) hit++
    }
  }
  return total > 0 ? hit / total : 0
}
