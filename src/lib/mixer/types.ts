// The product-mixer component contracts: each kind of component has one `apply`, and an id for logs and metrics.
import type {IdVocab} from '../features/vocab.js'
import type {Rng} from '../random/rng.js'
import type {Impression} from '../store/types.js'

/** What a request asks for, resolved against the serving world before the pipeline runs. */
export interface HomeQuery {
  userId: bigint
  /** Retrieval vocabulary row of the user (0 = unknown: the cold-start path). */
  userRow: number
  k: number
  /** Request time (ms); sources rank recency against it. */
  now: number
  /** Item rows the user has already engaged with: dataset history + this session. */
  seen: ReadonlySet<number>
  /** Positive history item rows, oldest first (dataset + session). */
  history: Int32Array
  /** Each history entry's event (eventCode), parallel to `history`: reasons name it. Absent: every event is unknown (a neutral wording). */
  historyEvents?: Uint8Array
  /** The user vector (user tower output + the session delta), normalised [dim]. */
  userVector: Float32Array
  /** Seeded per request so that exploration is reproducible. */
  rng: Rng
}

/**
 * One item on its way through the pipeline. `row` is the item's retrieval vocabulary row. A request
 * makes ~450 of these and shows 20, so a candidate holds numbers only: its item id, reason and named
 * scores are looked up for the shown ones (makeCandidate allocated ~370 KB per request with a reason
 * closure, a BigInt id and a score map per candidate; scavenges then paused workers for 1-13 ms).
 */
export interface Candidate {
  row: number
  /** Id of the source that produced it. */
  source: string
  /** The source's own detail for its reason (a followed-list position, neighbour row, topic code; -1 none). */
  via: number
  /** The source's own score (recency, weight, cosine); scorers replace it with `score`. */
  sourceScore: number
  inNetwork: boolean
  score: number
  /** Position in the list the scorers saw: the candidate's entry in each score column (-1 before scoring). */
  slot: number
  /** Safety penalty in [0, 1): the final score is multiplied by 1 - penalty. */
  penalty: number
  /** Moved into the shown slots by the exploration selector. */
  explored: boolean
  /** Probability the random part of the policy gave this candidate its slot (the exploration slot); -1 = placed deterministically. */
  propensity: number
}

/** Produces candidates; `quota` is the most it may return for one request. */
export interface CandidateSource {
  readonly id: string
  apply(query: HomeQuery, quota: number): Promise<Candidate[]>
  /** The human reason for one of its candidates ("you follow @author"), asked only for the shown ones. */
  reason(query: HomeQuery, candidate: Candidate): string
}

/** Splits candidates in two; never reorders the kept ones. */
export interface Filter {
  readonly id: string
  apply(query: HomeQuery, candidates: Candidate[]): Promise<{kept: Candidate[]; removed: Candidate[]}>
}

/** Named score columns, each with one value per candidate in the order given (cosine, head probabilities, final). */
export type ScoreColumns = Record<string, ArrayLike<number>>

/** `final` (when given) becomes each candidate's score. */
export interface Scorer {
  readonly id: string
  apply(query: HomeQuery, candidates: Candidate[]): Promise<ScoreColumns>
}

/** Reorders, truncates or swaps candidates (they arrive sorted by score, best first). */
export interface Selector {
  readonly id: string
  apply(query: HomeQuery, candidates: Candidate[]): Candidate[]
}

/** A feed as it was served. Side effects get it on the HTTP thread, wherever the pipeline ran. */
export interface ServedFeed {
  userId: bigint
  /** The response's request_id (a random UUID): joins the feed to its logs and later interactions. */
  requestId: string
  /** With an experiment: its id and the arm that served the feed (after reroutes or a forced arm). */
  experiment?: string
  arm?: string
  /** The arm the user is assigned when a reroute served them `arm` instead. */
  reroutedFrom?: string
  /** The model versions that served it (retrieval, index, ranking), as the response's `versions`. */
  versions: Record<string, string>
  /** The strategy that built it, and the bandit's probability of that choice when strategy=auto chose it. */
  strategy?: string
  strategyProbability?: number
  /** Server clock (ms since 1970) when the feed was served. */
  ts: number
  /** The served item rows, in feed order. */
  rows: Int32Array
  /** Their item ids (rows are the serving engine's: a reload may renumber them before a side effect reads them). */
  itemIds: BigInt64Array
  /** Each served item's source as the response shows it ("Graph", "Popular+Explore"). */
  sources: string[]
  /** Each served item's score as the response shows it. */
  scores: number[]
  /** Each slot's propensity where the policy placed its item at random (Candidate.propensity); undefined = deterministic. */
  propensities: (number | undefined)[]
}

/** Where impressions go: a bounded, batching writer (store/impression-writer.ts) that never blocks or throws. */
export interface ImpressionSink {
  enqueue(rows: Impression[]): void
}

/** What side effects may write to: the server's counters (serving's Metrics is one), and the impression log when there is a store. */
export interface SideEffectContext {
  counters: {
    describe(name: string, help: string): void
    counter(name: string, labels: Record<string, string>): {inc(by?: number): void}
  }
  /** Absent without --state: ImpressionLog is then skipped. */
  impressions?: ImpressionSink
}

/** Runs after the response is built (fireSideEffects); a failure is recorded, never returned to the caller. */
export interface SideEffect {
  readonly id: string
  apply(feed: ServedFeed): Promise<void>
}

export type FailOpenPolicy = 'always' | 'never'

/** A pipeline is data: component lists in run order (cheaper filters first), built from config/mixer.yaml. */
export interface Pipeline {
  id: string
  /** The vocabulary candidate rows index: a shown candidate's item id. */
  items: IdVocab
  /** `quota` is for a feed of up to `quotaK` items; runPipeline scales it for larger ones. */
  sources: {source: CandidateSource; quota: number}[]
  quotaK: number
  /** Declared components left out, with the reason: their data is absent (no follows.parquet) or their params make them a no-op (Mmr lambda 1). */
  skipped: {id: string; reason: string}[]
  filters: Filter[]
  scorers: Scorer[]
  selectors: Selector[]
  /** Per source id; sources not listed fail closed (the request fails). */
  failOpen: Record<string, FailOpenPolicy>
}

/** One stage's record for debug output and metrics. */
export interface StageRecord {
  stage: 'source' | 'filter' | 'scorer' | 'selector' | 'side-effect'
  id: string
  in: number
  out: number
  /** This stage's own time on the thread (sources run concurrently: see runPipeline). */
  ms: number
  /** Sources only: ms from the moment every source had started until this one settled. */
  waitMs?: number
  /** Filters only: how many candidates it removed. */
  removed?: number
  error?: string
}

export function makeCandidate(row: number, source: string, sourceScore: number, via = -1, inNetwork = false): Candidate {
  return {row, source, via, sourceScore, inNetwork, score: sourceScore, slot: -1, penalty: 0, explored: false, propensity: -1}
}
