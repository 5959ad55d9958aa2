// The extension point for later stages of a multi-stage system (e.g. a ranking checkpoint re-ordering retrieval's top items).
import type {RankedLists} from '../metrics/ranking-metrics.js'
import type {EvalContext} from './eval-context.js'

/**
 * A stage receives one model's full-ranking lists ([users, listK] over task indices, best first,
 * -1 padded, history already excluded) and returns lists of the same shape: re-ordered, filtered or
 * re-selected from its input. The evaluation scores each stage's output with the same metric code
 * and reports it as a model of its own ("<model> > <stage id>"), so the gain of every stage shows.
 * Stages run under full ranking only; the sampled protocol has no lists to hand over.
 */
export interface EvalStage {
  readonly id: string
  apply(input: {ranked: RankedLists; context: EvalContext}): Promise<Int32Array>
}
