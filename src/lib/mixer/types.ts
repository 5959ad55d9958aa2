// The product-mixer component contracts: each kind of component has one `apply`, and an id for logs and metrics.
import type {Rng} from '../random/rng.js'

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
  /** The user vector (user tower output + the session delta), normalised [dim]. */
  userVector: Float32Array
  /** Seeded per request so that exploration is reproducible. */
  rng: Rng
}

/** One item on its way through the pipeline. `row` is the item's retrieval vocabulary row. */
export interface Candidate {
  row: number
  itemId: bigint
  source: string
  /** The source's own score (recency, weight, cosine); scorers replace it with `score`. */
  sourceScore: number
  /**
   * The human reason, computed only for the candidates a response returns: ~500 candidates reach
   * the selectors and 20 are shown, and OutOfNetwork's reason alone is 20 dot products per candidate.
   */
  reason: () => string
  inNetwork: boolean
  score: number
  /** Named scores from scorers (cosine, head probabilities, fused) for explain=true. */
  scores: Record<string, number>
  /** Safety penalty in [0, 1): the final score is multiplied by 1 - penalty. */
  penalty: number
}

/** Produces candidates; `quota` is the most it may return for one request. */
export interface CandidateSource {
  readonly id: string
  apply(query: HomeQuery, quota: number): Promise<Candidate[]>
}

/** Splits candidates in two; never reorders the kept ones. */
export interface Filter {
  readonly id: string
  apply(query: HomeQuery, candidates: Candidate[]): Promise<{kept: Candidate[]; removed: Candidate[]}>
}

/**
 * One score map per candidate, in the same order, each a new object: the pipeline keeps it as the
 * candidate's scores. `final` (when given) becomes the candidate's score.
 */
export interface Scorer {
  readonly id: string
  apply(query: HomeQuery, candidates: Candidate[]): Promise<Record<string, number>[]>
}

/** Reorders, truncates or swaps candidates (they arrive sorted by score, best first). */
export interface Selector {
  readonly id: string
  apply(query: HomeQuery, candidates: Candidate[]): Candidate[]
}

/** Runs after the response is decided; a failure is recorded, never returned to the caller. */
export interface SideEffect {
  readonly id: string
  apply(query: HomeQuery, selected: Candidate[]): Promise<void>
}

export type FailOpenPolicy = 'always' | 'never'

/** A pipeline is data: component lists in run order (cheaper filters first). */
export interface Pipeline {
  id: string
  sources: {source: CandidateSource; quota: number}[]
  /** Sources left out because their data is absent (e.g. no follows.parquet), with the reason. */
  skipped: {id: string; reason: string}[]
  filters: Filter[]
  scorers: Scorer[]
  selectors: Selector[]
  sideEffects: SideEffect[]
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
  error?: string
}

/** The scores of a candidate no scorer has seen yet (shared, never written to). */
export const NO_SCORES: Readonly<Record<string, number>> = Object.freeze({})

export function makeCandidate(row: number, itemId: bigint, source: string, sourceScore: number, reason: () => string, inNetwork = false): Candidate {
  return {row, itemId, source, sourceScore, reason, inNetwork, score: sourceScore, scores: NO_SCORES, penalty: 0}
}
