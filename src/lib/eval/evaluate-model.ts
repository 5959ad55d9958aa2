// Ranks one model on the task under the chosen protocol and scores the result with the shared metric code.
import {computeBeyondAccuracy} from '../metrics/beyond-accuracy.js'
import {catalogCoverage} from '../metrics/coverage.js'
import {computeRankingMetrics, type RankedLists} from '../metrics/ranking-metrics.js'
import type {Reporter} from '../reporter.js'
import {evaluateSampled} from './engine/sampled-ranking.js'
import type {ScoreProvider} from './engine/score-provider.js'
import {rankUsers} from './engine/rank-users.js'
import type {EvalContext} from './eval-context.js'

export type EvalProtocol = {kind: 'full'} | {kind: 'sampled'; negatives: number}

/** Per-user values are in task order (index i = task.users[i]); `ranked` exists under full ranking only. */
export interface ModelEvaluation {
  perUser: Record<string, Float32Array>
  mean: Record<string, number>
  /** The lists scored: [users, longest K]. */
  ranked?: RankedLists
  /** The same ranking kept deeper for later stages ([users, depth]), when a depth beyond the longest K was asked for. */
  deep?: RankedLists
}

/** Provider indices 0..n-1 of the task's users. */
function taskIndices(ctx: EvalContext): Int32Array {
  return Int32Array.from({length: ctx.task.users.length}, (_, i) => i)
}

/**
 * Full ranking: every item but the user's history (and the OOV row) is ranked, ties to the smaller
 * item row, top max(ks) kept and scored (top `depth` kept for later stages when deeper).
 * Sampled: each target among `negatives` random unseen items (seeded).
 */
export async function evaluateModel(provider: ScoreProvider, ctx: EvalContext, ks: number[], protocol: EvalProtocol, seed: number, reporter: Reporter, depth = 0): Promise<ModelEvaluation> {
  const users = taskIndices(ctx)
  const {exclude, targets} = ctx.task
  if (protocol.kind === 'sampled') {
    const result = evaluateSampled({scores: provider, users, exclude, targets, negatives: protocol.negatives, seed, ks, reporter})
    return {perUser: result.perUser, mean: result.mean}
  }
  const listK = Math.max(...ks)
  // Never deeper than the real catalogue (the OOV row is excluded for everyone).
  const deepK = Math.max(listK, Math.min(depth, ctx.items.size - 1))
  const lists = await rankUsers(provider, users, {k: deepK, exclude, reporter})
  if (deepK === listK) return scoreLists({lists, listK, users}, ctx, ks)
  const deep = {lists, listK: deepK, users}
  return {...scoreLists(truncateLists(deep, listK), ctx, ks), deep}
}

/** The first `k` entries of every list. */
export function truncateLists(ranked: RankedLists, k: number): RankedLists {
  if (k === ranked.listK) return ranked
  const n = ranked.users.length
  const lists = new Int32Array(n * k)
  for (let i = 0; i < n; i++) lists.set(ranked.lists.subarray(i * ranked.listK, i * ranked.listK + k), i * k)
  return {lists, listK: k, users: ranked.users}
}

/**
 * Accuracy (recall, ndcg, hitrate, precision, map at each K; mrr) and beyond-accuracy metrics
 * (coverage, popularity percentile, novelty, diversity at each K) of ranked lists over task indices.
 * Coverage is over the real catalogue: row 0 (OOV) is never ranked, so it is left out of the denominator.
 */
export function scoreLists(ranked: RankedLists, ctx: EvalContext, ks: number[]): ModelEvaluation {
  const nItems = ctx.items.size
  const accuracy = computeRankingMetrics(ranked, ctx.task.targets, ks, nItems)
  const beyond = computeBeyondAccuracy(ranked, ks, {nItems, popularity: ctx.historyCounts, categories: ctx.categories?.csr})
  const mean = {...accuracy.mean, ...beyond.mean}
  for (const k of ks) mean[`coverage@${k}`] = (catalogCoverage(ranked.lists, ranked.listK, k, nItems) * nItems) / (nItems - 1)
  return {perUser: {...accuracy.perUser, ...beyond.perUser}, mean, ranked}
}
