// One feed request's pipeline run in a form that crosses threads: a plain query in, the k items as sent out.
import {describeCandidate, namedScores} from '../mixer/describe.js'
import {type PipelineResult, runPipeline} from '../mixer/run-pipeline.js'
import type {Candidate, Pipeline, StageRecord} from '../mixer/types.js'
import {Rng} from '../random/rng.js'

/** HomeQuery as structured-clonable data: typed arrays and a seed instead of a Set and an Rng. */
export interface FeedQuery {
  userId: bigint
  userRow: number
  k: number
  /** Include each item's named scores. */
  explain: boolean
  now: number
  /** Item rows already engaged with (duplicates allowed). */
  seen: Int32Array
  history: Int32Array
  /** Each history entry's event (eventCode), parallel to `history`; absent: unknown (a neutral wording in reasons). */
  historyEvents?: Uint8Array
  userVector: Float32Array
  seed: number
  /** Return the served rows, sources, scores and propensities (for side effects). */
  served?: boolean
  /** The named strategy whose pipeline runs; absent: the engine's default pipeline. */
  strategy?: string
}

export interface FeedItem {
  item_id: string
  score: number
  source: string
  reason: string
  scores?: Record<string, number>
}

/** The k items as the response sends them, and the stage records for metrics and debug output. */
export interface FeedRun {
  /**
   * JSON of the FeedItem[] array, serialised where the pipeline ran: a string crosses threads in ~2 us
   * where structured clone of 20 item objects took ~15, and the HTTP thread splices it into the body as is.
   */
  itemsJson: string
  stages: StageRecord[]
  /** Candidates per source after quotas (before filters). */
  perSource: Record<string, number>
  /** With `served` asked for: the feed's item rows, and each item's source label, shown score and propensity (k values each, ~1 KB at k 20). */
  served?: {rows: Int32Array; itemIds: BigInt64Array; sources: string[]; scores: number[]; propensities: (number | undefined)[]}
}

/** A feed's shown candidates (the first k the pipeline kept) and their items as the response sends them. */
export interface FeedItems {
  shown: Candidate[]
  items: FeedItem[]
  itemIds: BigInt64Array
  result: PipelineResult
}

/** Runs the pipeline on `query`: the one path of live feeds (runFeed) and batch lists (runFeedBatch). */
export async function feedItems(pipeline: Pipeline, query: FeedQuery): Promise<FeedItems> {
  const {userId, userRow, k, now, history, historyEvents, userVector} = query
  const home = {userId, userRow, k, now, history, historyEvents, userVector, seen: new Set(query.seen), rng: new Rng(query.seed)}
  const result = await runPipeline(pipeline, home)
  const shown = result.items.slice(0, k)
  const itemIds = new BigInt64Array(shown.length)
  const items: FeedItem[] = shown.map((c, i) => {
    const {itemId, source, reason} = describeCandidate(pipeline, home, c)
    itemIds[i] = itemId
    return {item_id: String(itemId), score: Math.round(c.score * 1e6) / 1e6, source, reason, ...(query.explain ? {scores: namedScores(result.scores, c)} : {})}
  })
  return {shown, items, itemIds, result}
}

export async function runFeed(pipeline: Pipeline, query: FeedQuery): Promise<FeedRun> {
  const {shown, items, itemIds, result} = await feedItems(pipeline, query)
  const run: FeedRun = {itemsJson: JSON.stringify(items), stages: result.stages, perSource: result.perSource}
  if (query.served) {
    run.served = {
      rows: Int32Array.from(shown, (c) => c.row),
      itemIds,
      sources: items.map((item) => item.source),
      scores: items.map((item) => item.score),
      propensities: shown.map((c) => (c.propensity < 0 ? undefined : c.propensity)),
    }
  }
  return run
}

/** Where feed pipelines run: on the calling thread, or on worker threads (PipelinePool). */
export interface FeedRunner {
  /** Runs `query` against the pipeline of generation `generation`; `inThread` is that generation's pipeline, for a runner with no worker holding it. */
  run(generation: number, inThread: Pipeline, query: FeedQuery): Promise<FeedRun>
}

export const inThreadRunner: FeedRunner = {run: (_generation, pipeline, query) => runFeed(pipeline, query)}
