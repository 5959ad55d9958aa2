// The extension point for later stages of a multi-stage system (e.g. a ranking checkpoint re-ordering retrieval's top items).
import type {RankedLists} from '../metrics/ranking-metrics.js'
import type {ScoreProvider} from './engine/score-provider.js'
import type {EvalContext} from './eval-context.js'

export interface StageInput {
  /**
   * The parent's full-ranking lists: [users, listK] over task indices, best first, -1 padded,
   * history already excluded; listK = max(longest K, the stage's depth), within the catalogue.
   */
  ranked: RankedLists
  /** The parent's scores (provider index = task index), for a stage that reads them as a feature. */
  scores: ScoreProvider
  context: EvalContext
}

export interface StageOutput {
  /** [users, ranked.listK], -1 padded: the stage's lists; the first longest-K entries are scored. */
  lists: Int32Array
  /** [users, depth], -1 padded: the candidates the stage chose from; their recall@depth bounds the stage's recall. */
  candidates?: {lists: Int32Array; depth: number}
}

/**
 * A stage receives one model's lists and returns lists of the same shape: re-ordered, filtered or
 * re-selected from its input. The evaluation scores each stage's output with the same metric code
 * and reports it as a model of its own ("<model> > <stage id>") with its paired delta against the
 * parent, so the gain of every stage shows. Stages run under full ranking only; the sampled
 * protocol has no lists to hand over.
 */
export interface EvalStage {
  readonly id: string
  /** How much of the parent's list the stage reads (e.g. 2 x 200 candidates); default the longest K. */
  readonly depth?: number
  /** One clause for the protocol line, e.g. "STAGE 2: ranker re-ranks each user's top 200 candidates ..."; default "then <id>". */
  readonly protocol?: string
  apply(input: StageInput): Promise<StageOutput>
}
