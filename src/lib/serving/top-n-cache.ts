// rec serve --topn: a user's precomputed list, when fresh and still long enough after the request-time filters, instead of a pipeline run.
import type {MixerConfig} from '../mixer/config.js'
import {type HomeQuery, makeCandidate, type ServedFeed} from '../mixer/types.js'
import {Rng} from '../random/rng.js'
import type {StoredInteraction, TopNList} from '../store/types.js'
import type {ServingEngine} from './serving-engine.js'
import {RecomputeQueue} from './top-n-recompute.js'
import type {CachedList, TopNLists} from './top-n-lists.js'

interface Inc {
  inc(by?: number): void
}

/** Feeds by where they came from, and recomputes: rec_topn_served_total{from}, rec_topn_recomputes_total (set by the routes). */
export interface TopNCounters {
  cache: Inc
  live: Inc
  recomputes: Inc
  recomputeFailures: Inc
}

export interface TopNCacheOptions {
  lists: TopNLists
  /** A list older than this (now - generated_at) is stale: the feed is computed live. */
  maxAgeMs: number
  config: MixerConfig['top-n']
  /** The clock ages are measured against (ms); default the wall clock. */
  now?: () => number
  /** A list the store could not read (the feed is computed live), or a recompute that failed. */
  onError?: (error: unknown, userId: bigint) => void
}

/** A feed served from a cached list: its items JSON, the versions that computed it, and the slots for side effects. */
export interface CacheHit {
  itemsJson: string
  versionsJson: string
  versions: Record<string, string>
  served: Pick<ServedFeed, 'rows' | 'itemIds' | 'sources' | 'scores' | 'propensities'>
}

const NO_COUNT: Inc = {inc() {}}
const NO_HISTORY = new Int32Array(0)
const NO_VECTOR = new Float32Array(0)

/**
 * lookup() answers a feed from the user's list when there is one, it is fresh, and at least k of its
 * items pass the pipeline's own filters (PreviouslySeen with the dataset history and the session's seen
 * items, hidden ones included; Duplicates; Safety) run on the list's items as candidates: the first k
 * kept, in list order, are the feed. Anything else is a miss and the caller runs the pipeline: no list,
 * a stale one, too few items left, or a request the list cannot answer (explain and debug ask about the
 * pipeline run, seed about one exploration draw). noteInteractions() queues a recompute (through
 * `compute`, the live pipeline) for users whose event is in `recompute-on`.
 */
export class TopNCache {
  readonly now: () => number
  /** The live pipeline's list for a user as their session stands now (set by Recommender.useTopN). */
  compute?: (userId: bigint, k: number) => Promise<TopNList>
  private readonly queue: RecomputeQueue
  private readonly recomputeOn: Set<string>
  counters: TopNCounters = {cache: NO_COUNT, live: NO_COUNT, recomputes: NO_COUNT, recomputeFailures: NO_COUNT}

  constructor(private readonly options: TopNCacheOptions) {
    this.now = options.now ?? Date.now
    this.recomputeOn = new Set(options.config['recompute-on'])
    this.queue = new RecomputeQueue({minIntervalMs: options.config['min-interval'], now: this.now, run: (userId) => this.recompute(userId), onError: (error, userId) => this.failed(error, userId)})
  }

  get description(): string {
    return this.options.lists.description
  }

  /** Recomputes queued and not yet started. */
  get pendingRecomputes(): number {
    return this.queue.pending
  }

  async lookup(engine: ServingEngine, user: {userId: bigint; userRow: number; seen: Int32Array}, request: {k: number; explain?: boolean; debug?: boolean; seed?: number}): Promise<CacheHit | undefined> {
    const answerable = !request.explain && !request.debug && request.seed === undefined
    const hit = answerable ? await this.find(engine, user, request.k) : undefined
    ;(hit ? this.counters.cache : this.counters.live).inc()
    return hit
  }

  noteInteractions(batch: StoredInteraction[]): void {
    if (!this.compute) return
    for (const r of batch) if (this.recomputeOn.has(r.event)) this.queue.add(r.userId)
  }

  /** Runs the recomputes due now (the queue's timer does this on its own). */
  drain(): Promise<void> {
    return this.queue.drain()
  }

  close(): Promise<void> {
    return this.queue.close()
  }

  private async find(engine: ServingEngine, user: {userId: bigint; userRow: number; seen: Int32Array}, k: number): Promise<CacheHit | undefined> {
    let list: CachedList | undefined
    try {
      list = await this.options.lists.get(user.userId)
    } catch (error) {
      // a store that is away costs the cache, not the feed
      this.options.onError?.(error, user.userId)
      return undefined
    }
    if (!list || list.size < k || this.now() - list.generatedAt > this.options.maxAgeMs) return undefined
    const rows = list.rows(engine.world.items)
    let candidates = Array.from(rows, (row, i) => {
      const c = makeCandidate(row, list.sources[i], list.scores[i])
      c.slot = i // its place in the list
      return c
    })
    // the pipeline's filters read the query's seen set (PreviouslySeen also drops row 0: an item this model lacks)
    const query: HomeQuery = {userId: user.userId, userRow: user.userRow, k, now: engine.world.clock, seen: new Set(user.seen), history: NO_HISTORY, userVector: NO_VECTOR, rng: new Rng(0)}
    for (const filter of engine.pipeline.filters) candidates = (await filter.apply(query, candidates)).kept
    if (candidates.length < k) return undefined
    const shown = candidates.slice(0, k)
    return {
      itemsJson: `[${shown.map((c) => list.fragment(c.slot)).join(',')}]`,
      versionsJson: list.versionsJson,
      versions: list.versions,
      served: {
        rows: Int32Array.from(shown, (c) => c.row),
        itemIds: BigInt64Array.from(shown, (c) => list.itemIds[c.slot]),
        sources: shown.map((c) => list.sources[c.slot]),
        scores: shown.map((c) => list.score(c.slot)),
        // the exploration slot's propensity is not kept in the list: logged as deterministic
        propensities: shown.map(() => undefined),
      },
    }
  }

  private async recompute(userId: bigint): Promise<void> {
    const previous = await this.options.lists.get(userId)
    const list = await this.compute!(userId, previous?.size || this.options.config.k)
    await this.options.lists.put(list)
    this.counters.recomputes.inc()
  }

  private failed(error: unknown, userId: bigint): void {
    this.counters.recomputeFailures.inc()
    this.options.onError?.(error, userId)
  }
}
