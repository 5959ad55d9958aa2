// Per-segment means of the headline metrics: by user activity (from per-user values) and by target popularity (re-scored).
import {type Csr, csrFromLists} from '../metrics/csr.js'
import {computeRankingMetrics} from '../metrics/ranking-metrics.js'
import {evaluateSampled} from './engine/sampled-ranking.js'
import type {ScoreProvider} from './engine/score-provider.js'
import type {EvalContext} from './eval-context.js'
import type {EvalProtocol, ModelEvaluation} from './evaluate-model.js'
import {type Segments, TARGET_SEGMENTS, USER_SEGMENTS} from './segment-definitions.js'

export interface SegmentResult {
  name: string
  users: number
  /** Empty when the segment has no user. */
  metrics: Record<string, number>
}

/** recall@K and ndcg@K (full ranking) or sampled_hitrate@K and sampled_ndcg@K (sampled), every K. */
export function segmentMetricNames(ks: number[], protocol: EvalProtocol): string[] {
  return ks.flatMap((k) => (protocol.kind === 'full' ? [`recall@${k}`, `ndcg@${k}`] : [`sampled_hitrate@${k}`, `sampled_ndcg@${k}`]))
}

export function userSegmentResults(segments: Segments, evaluation: ModelEvaluation, names: string[]): SegmentResult[] {
  return USER_SEGMENTS.map((name, s) => {
    const members = [...segments.userSegment.keys()].filter((i) => segments.userSegment[i] === s)
    const metrics = members.length === 0 ? {} : Object.fromEntries(names.map((metric) => [metric, members.reduce((sum, i) => sum + evaluation.perUser[metric][i], 0) / members.length]))
    return {name, users: members.length, metrics}
  })
}

/**
 * Each user is scored on their targets within the segment only (users without one are left out).
 * Full ranking re-scores the lists already ranked; sampled re-ranks with the other targets excluded
 * from the negatives, with the same seed.
 */
export function targetSegmentResults(segments: Segments, ctx: EvalContext, evaluation: ModelEvaluation, ks: number[], protocol: EvalProtocol, provider: ScoreProvider, seed: number): SegmentResult[] {
  const {targets, exclude} = ctx.task
  const n = ctx.task.users.length
  const names = segmentMetricNames(ks, protocol)
  return TARGET_SEGMENTS.map((name, s) => {
    const inside: number[][] = []
    const outside: number[][] = []
    const members: number[] = []
    for (let i = 0; i < n; i++) {
      const rows = Array.from(targets.rows.subarray(targets.offsets[i], targets.offsets[i + 1]))
      inside.push(rows.filter((t) => segments.itemSegment[t] === s))
      outside.push(rows.filter((t) => segments.itemSegment[t] !== s))
      if (inside[i].length > 0) members.push(i)
    }
    if (members.length === 0) return {name, users: 0, metrics: {}}
    const segmentTargets = csrFromLists(inside)
    const users = Int32Array.from(members)
    let mean: Record<string, number>
    if (evaluation.ranked) {
      const {lists, listK} = evaluation.ranked
      const sub = new Int32Array(users.length * listK)
      users.forEach((i, j) => sub.set(lists.subarray(i * listK, (i + 1) * listK), j * listK))
      mean = computeRankingMetrics({lists: sub, listK, users}, segmentTargets, ks, ctx.items.size).mean
    } else {
      const negatives = protocol.kind === 'sampled' ? protocol.negatives : 0
      mean = evaluateSampled({scores: provider, users, exclude: mergeCsr(exclude, csrFromLists(outside)), targets: segmentTargets, negatives, seed, ks}).mean
    }
    return {name, users: members.length, metrics: Object.fromEntries(names.map((metric) => [metric, mean[metric]]))}
  })
}

/** Key-wise concatenation of two CSRs over the same keys. */
function mergeCsr(a: Csr, b: Csr): Csr {
  const lists = Array.from({length: a.offsets.length - 1}, (_, k) => [...a.rows.subarray(a.offsets[k], a.offsets[k + 1]), ...b.rows.subarray(b.offsets[k], b.offsets[k + 1])])
  return csrFromLists(lists)
}
