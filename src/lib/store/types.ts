// The Store: everything `rec serve` keeps between requests and restarts, behind one interface that SQLite
// (one machine) and PostgreSQL (several replicas) implement. Every method is async so both can.

export interface StoredInteraction {
  userId: bigint
  itemId: bigint
  event: string
  ts: number
  dwellMs?: number
  position?: number
  /**
   * The feed the interaction is attributed to: the request_id the client sent, or the latest impression
   * of (user, item) within the attribution window; absent = unattributed (no impression found).
   */
  requestId?: string
}

export interface SessionState {
  /** Session positives, oldest first (item ids). */
  history: bigint[]
  /**
   * The event of each `history` entry (addPositive keeps them in step). A session stored before events were
   * kept has none: its entries, like any beyond this list's end or given as '', are of an unknown event.
   */
  historyEvents?: string[]
  /** Every item the session touched (positives and negatives): filtered as seen. */
  seen: bigint[]
  delta: Float32Array | undefined
}

/** One served slot of one feed: what the user was shown, where, by what, under which arm. */
export interface Impression {
  requestId: string
  /** Server clock (ms) when the feed was served. */
  ts: number
  userId: bigint
  itemId: bigint
  /** 0-based slot in the feed. */
  position: number
  /** The source label the response showed ("Graph", "Popular+Explore"). */
  source: string
  score: number
  experiment?: string
  arm?: string
  /** Model versions that served the feed (retrieval, index, ranking). */
  versions: Record<string, string>
  /** Probability the policy gave this slot's choice, where the policy is random (exploration slot, bandit); absent = deterministic. */
  propensity?: number
  /** The strategy that built the feed (the mixer unless a strategy or bandit chose another). */
  strategy?: string
  /** Set when the bandit chose `strategy` (strategy=auto): the probability it gave that choice. Absent: the strategy was the default or forced. */
  strategyProbability?: number
}

/** One bandit arm's counts as stored: pulls and summed reward (bandit/arm-stats.ts). */
export interface StoredArm {
  arm: string
  pulls: number
  rewardSum: number
}

/** A guardrail's routing decision: users assigned `fromArm` of `experiment` are served `toArm`. */
export interface Reroute {
  experiment: string
  fromArm: string
  toArm: string
  reason: string
  at: number
}

/** One item of a precomputed top-N list, as a feed shows it. */
export interface TopNItem {
  itemId: bigint
  score: number
  source: string
  reason: string
}

/** A user's precomputed feed (rec recommend, or a recompute by rec serve): best first. */
export interface TopNList {
  userId: bigint
  /** When the list was computed (ms): its age decides whether rec serve --topn may serve it. */
  generatedAt: number
  /** Model versions that computed it (retrieval, index, ranking). */
  versions: Record<string, string>
  items: TopNItem[]
}

export interface TimeRange {
  /** Inclusive lower bound on ts (ms); absent = from the start. */
  since?: number
  /** Exclusive upper bound on ts (ms); absent = to the end. */
  until?: number
}

export interface Store {
  /** What backs it ("sqlite:<path>", "postgres://host/db"), for logs and errors; never holds a password. */
  readonly description: string

  /** Migration steps applied (opening a store applies the pending ones). */
  schemaVersion(): Promise<number>

  /** Interactions and the sessions they changed, in one transaction (all or none), durable when it resolves. */
  record(interactions: StoredInteraction[], sessions: Map<bigint, SessionState>): Promise<void>
  /** Users with a stored session. */
  sessionUsers(): Promise<Set<bigint>>
  session(userId: bigint): Promise<SessionState | undefined>
  countInteractions(): Promise<number>
  /** Stored interactions in arrival order, by ts range. */
  interactions(range?: TimeRange): Promise<StoredInteraction[]>

  /** A batch of impressions in one transaction. */
  recordImpressions(rows: Impression[]): Promise<void>
  countImpressions(): Promise<number>
  /** Stored impressions in arrival order, by ts range. */
  impressions(range?: TimeRange): Promise<Impression[]>
  /** The latest impression of (user, item) at or after `since` (ms), or of one feed when requestId is given. */
  findImpression(userId: bigint, itemId: bigint, options: {since: number; requestId?: string}): Promise<Impression | undefined>

  /** Guardrail reroutes, oldest first; saving the same (experiment, fromArm) again replaces it. */
  reroutes(): Promise<Reroute[]>
  saveReroute(reroute: Reroute): Promise<void>

  /**
   * Saves users' top-N lists in one transaction. A user keeps one list, the newest: a list older than the
   * stored one (by generatedAt) is ignored, so a late batch import cannot undo a recompute.
   */
  saveTopN(lists: TopNList[]): Promise<void>
  /** The user's stored top-N list, or undefined. */
  topN(userId: bigint): Promise<TopNList | undefined>

  /** The stored arms of bandit `bandit` (e.g. "strategy"), by arm name; none before the first update. */
  banditArms(bandit: string): Promise<StoredArm[]>
  /** Adds each delta's pulls and reward to its arm (created at zero) in one transaction: replicas' online updates add up. */
  addBanditCounts(bandit: string, deltas: StoredArm[]): Promise<void>
  /** Replaces the bandit's arms with `arms` in one transaction (a batch update: rec bandit update). */
  replaceBanditArms(bandit: string, arms: StoredArm[]): Promise<void>

  /**
   * Shared stores only: calls `onChange` with the users whose sessions another process wrote, or with
   * undefined when notifications may have been missed (after a reconnect): drop every cached session.
   */
  watchSessions?(onChange: (userIds: bigint[] | undefined) => void): Promise<void>

  close(): Promise<void>
}
