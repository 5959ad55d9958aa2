// What the report says about one stage beyond its metrics: depth read, candidates, their ceiling, the paired gain over the parent.
import {computeRankingMetrics} from '../metrics/ranking-metrics.js'
import {compareModels} from './compare-models.js'
import type {EvalContext} from './eval-context.js'
import type {EvalStage, StageOutput} from './eval-stage.js'
import type {ModelEvaluation} from './evaluate-model.js'
import type {StageSummary} from './report-schema.js'

/**
 * The ceiling is recall@N of the candidates through the same metric code as every list, so the
 * stage's recall@K can be read against it; the delta is stage minus parent per user on the first
 * K's ndcg and recall, paired bootstrap with the report's seed.
 */
export function summariseStage(stage: EvalStage, output: StageOutput, parent: ModelEvaluation, evaluation: ModelEvaluation, ctx: EvalContext, ks: number[], options: {seed: number; resamples: number}): StageSummary {
  const k = ks[0]
  const delta = compareModels({key: 'parent', evaluation: parent}, {key: stage.id, evaluation}, {...options, confidence: 0.95, only: [`ndcg@${k}`, `recall@${k}`]}).metrics
  const summary: StageSummary = {depth: stage.depth ?? null, candidates: null, candidateRecall: null, delta, resamples: options.resamples}
  if (!output.candidates) return summary
  const {lists, depth} = output.candidates
  const users = evaluation.ranked!.users
  let count = 0
  for (const item of lists) if (item >= 0) count++
  const ceiling = computeRankingMetrics({lists, listK: depth, users}, ctx.task.targets, [depth], ctx.items.size).mean[`recall@${depth}`]
  return {...summary, candidates: {depth, meanPerUser: count / users.length}, candidateRecall: ceiling}
}
