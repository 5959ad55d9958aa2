// What the report keeps of one evaluated model: metric means, segment means and the popularity histogram.
import type {ScoreProvider} from './engine/score-provider.js'
import type {EvalContext} from './eval-context.js'
import type {EvalProtocol, ModelEvaluation} from './evaluate-model.js'
import {type PopularityHistogram, popularityHistogram} from './popularity-histogram.js'
import {focusK} from './protocol-line.js'
import type {Segments} from './segment-definitions.js'
import {segmentMetricNames, type SegmentResult, targetSegmentResults, userSegmentResults} from './segment-metrics.js'

export interface ModelSummary {
  metrics: Record<string, number>
  segments: {userActivity: SegmentResult[]; targetPopularity: SegmentResult[]}
  /** Full ranking only. */
  popularityBias?: PopularityHistogram
}

export function summariseModel(ctx: EvalContext, segments: Segments, evaluation: ModelEvaluation, provider: ScoreProvider, ks: number[], protocol: EvalProtocol, seed: number): ModelSummary {
  return {
    metrics: evaluation.mean,
    segments: {
      userActivity: userSegmentResults(segments, evaluation, segmentMetricNames(ks, protocol)),
      targetPopularity: targetSegmentResults(segments, ctx, evaluation, ks, protocol, provider, seed),
    },
    popularityBias: evaluation.ranked && popularityHistogram(evaluation.ranked, focusK(ks), ctx.historyCounts),
  }
}
