// The serving service: feeds through the mixer pipeline (per experiment arm), similar items, and interactions with online updates.
import {randomUUID} from 'node:crypto'

import {eventCode} from '../dataset/event-codes.js'
import {EVENTS} from '../dataset/schema.js'
import {RecError} from '../errors.js'
import {normalizeVector} from '../kernels/normalize.js'
import {AUTO, type MixerConfig} from '../mixer/config.js'
import type {Pipeline, ServedFeed} from '../mixer/types.js'
import type {WorldContent} from '../mixer/world-content.js'
import {ContentRecommender} from '../models/content/recommender.js'
import {Rng} from '../random/rng.js'
import type {Arms} from './arms.js'
import {embedUser, type ServingEngine, strategyPipeline} from './serving-engine.js'
import type {StrategyBandit} from './strategy-bandit.js'
import type {ItemDisplayFields} from './item-display.js'
import {type FeedItem, type FeedQuery, type FeedRun, type FeedRunner, inThreadRunner} from './feed-run.js'
import type {TopNCache} from './top-n-cache.js'
import type {Attribution} from './attribution.js'
import type {SessionState, Store, StoredInteraction} from '../store/types.js'
import {stepNegative, stepPositive} from './online-delta.js'
import {addPositive, Sessions} from './sessions.js'

/** The response, keys in this order. */
export interface Feed {
  user_id: string
  known_user: boolean
  /** A random UUID per response (ServedFeed.requestId): interactions may send it back to be attributed to this feed. */
  request_id: string
  /** With an experiment only. */
  experiment?: string
  arm?: string
  /** The assigned arm when a reroute served `arm` instead. */
  rerouted_from?: string
  /** The model versions that served the feed. */
  versions: Record<string, string>
  /** The strategy whose pipeline built the feed (or computed its cached list). */
  strategy: string
  /** With strategy=auto: the probability the bandit gave this choice. */
  strategy_probability?: number
  /** cache: a fresh precomputed list (rec serve --topn), after the request-time filters; live: this request's pipeline run. */
  served_from: 'cache' | 'live'
  items: (FeedItem & {display?: ItemDisplayFields})[]
  debug?: {stages: FeedRun['stages']; per_source: Record<string, number>; skipped: {id: string; reason: string}[]}
}

/** The 201 body of POST /v1/interactions; attributed + unattributed = stored when the server has a store. */
export interface InteractResult {
  stored: number
  attributed?: number
  unattributed?: number
}

export interface RecommendOptions {
  k: number
  explain?: boolean
  debug?: boolean
  seed?: number
  /** Add each item's display block (title, author, topic, age); the default response stays byte for byte as it was. */
  display?: boolean
  /** Serve this arm of the experiment whatever the user's assignment (the route checks the admin token). */
  arm?: string
  /** A strategy name, or auto (the bandit chooses); default the mixer config's strategy. */
  strategy?: string
}

const CACHE_LIMIT = 50_000

/**
 * rec serve --online: none (frozen), private (a per-user delta on the user vector), global (the same SGD steps
 * also move the shared item rows every user's feed is scored against).
 */
export type OnlineMode = 'private' | 'none' | 'global'

export class Recommender {
  readonly sessions: Sessions
  private readonly vectors = new Map<string, Float32Array>()
  private readonly events = new Set<string>(EVENTS)
  /** Called with every pipeline run (per-stage timings and per-source counts for /metrics). */
  onPipeline?: (run: FeedRun) => void
  /** Called with every feed once its response is built (the side effects); runs ask for the served rows only when it is set. */
  onServed?: (feed: ServedFeed) => void
  /** Declared side effects left out (ImpressionLog without a store), listed in debug `skipped` after the pipeline's. */
  skippedEffects: {id: string; reason: string}[] = []
  /** Precomputed lists consulted before the pipeline (useTopN). */
  private topN?: TopNCache
  /** Chooses the strategy of strategy=auto requests and learns from their rewards (useBandit). */
  private strategyBandit?: StrategyBandit
  /** Content recommenders for similar items by content, one per loaded content model (HTTP thread only). */
  private readonly contentSimilar = new WeakMap<WorldContent, ContentRecommender>()

  private current: ServingEngine

  constructor(
    engine: ServingEngine,
    readonly config: MixerConfig,
    readonly store: Store | undefined,
    readonly online: OnlineMode,
    /** Where pipelines run; sessions, the store and user vectors always stay on this thread. */
    private readonly runner: FeedRunner = inThreadRunner,
    /** The served experiment's arms: each feed and interaction uses its user's arm's engine. Sessions and the store stay shared. */
    readonly arms?: Arms,
  ) {
    this.current = engine
    this.sessions = new Sessions(store)
  }

  /** The engine without an experiment; the control's with one. */
  get engine(): ServingEngine {
    return this.arms ? this.arms.control : this.current
  }

  /** Swaps in a new model generation (of `arm` with an experiment); requests already running keep the one they started with. Returns the engine replaced. */
  swap(engine: ServingEngine, arm?: string): ServingEngine {
    const previous = this.arms ? this.arms.swap(arm ?? this.arms.router.control, engine) : this.current
    if (!this.arms) this.current = engine
    this.vectors.clear()
    return previous
  }

  /** The engine of the user's arm (after reroutes): what their feed and their interactions' online updates use. */
  private engineOf(userId: bigint): ServingEngine {
    return this.arms ? this.arms.pick(userId).engine : this.current
  }

  private sessionRows(engine: ServingEngine, ids: bigint[]): number[] {
    return ids.map((id) => engine.world.items.row(id)).filter((row) => row > 0)
  }

  /** The session positives the world knows (a reloaded model may lack some items), with each one's event code. */
  private sessionPositives(engine: ServingEngine, session: Readonly<SessionState>): {rows: number[]; events: number[]} {
    const rows: number[] = []
    const events: number[] = []
    session.history.forEach((id, i) => {
      const row = engine.world.items.row(id)
      if (row === 0) return
      rows.push(row)
      events.push(eventCode(session.historyEvents?.[i] ?? ''))
    })
    return {rows, events}
  }

  /** User tower on dataset + session history, plus the private delta, normalised; cached per session version. */
  userVector(engine: ServingEngine, userId: bigint, userRow: number, history: Int32Array, session: SessionState): Float32Array {
    const key = `${engine.id}:${userId}:${this.sessions.version(userId)}`
    const cached = this.vectors.get(key)
    if (cached) return cached
    // the precomputed vector holds while the session has added no history; otherwise run the tower on the new history
    const dim = engine.model.dim
    const base = userRow > 0 && (this.online === 'none' || session.history.length === 0) ? engine.userVectors.subarray(userRow * dim, (userRow + 1) * dim) : embedUser(engine, userRow, history)
    const v = Float32Array.from(base, (x, j) => x + (this.online !== 'none' && session.delta?.length === base.length ? session.delta[j] : 0))
    normalizeVector(v)
    if (this.vectors.size >= CACHE_LIMIT) this.vectors.clear()
    this.vectors.set(key, v)
    return v
  }

  /**
   * Dataset history then session rows: `history` (positives, kept only with online learning) with each entry's
   * event in `historyEvents`, and `seen` (all touched).
   */
  private query(engine: ServingEngine, userId: bigint) {
    const world = engine.world
    const userRow = world.users.row(userId)
    const session = this.sessions.peek(userId)
    const {offsets, items, events} = world.history
    const from = userRow > 0 ? offsets[userRow] : 0
    const to = userRow > 0 ? offsets[userRow + 1] : 0
    const past = items.subarray(from, to)
    const positives = this.online !== 'none' ? this.sessionPositives(engine, session) : {rows: [], events: []}
    const history = concatRows(past, positives.rows)
    const historyEvents = new Uint8Array(history.length)
    historyEvents.set(events.subarray(from, to))
    historyEvents.set(positives.events, past.length)
    const seen = concatRows(past, this.sessionRows(engine, session.seen))
    return {userRow, session, history, historyEvents, seen}
  }

  /** The FeedQuery of the user's feed as their session stands: what recommend() runs live, and rec recommend runs for each user. */
  feedQuery(engine: ServingEngine, userId: bigint, options: Pick<RecommendOptions, 'k' | 'explain' | 'seed'>, served = false): FeedQuery {
    return this.toFeedQuery(engine, userId, this.query(engine, userId), options, served)
  }

  private toFeedQuery(engine: ServingEngine, userId: bigint, q: ReturnType<Recommender['query']>, options: Pick<RecommendOptions, 'k' | 'explain' | 'seed'>, served: boolean): FeedQuery {
    const {userRow, session, history, historyEvents, seen} = q
    const seed = options.seed ?? Number(BigInt.asUintN(32, userId)) ^ this.sessions.version(userId)
    const userVector = this.userVector(engine, userId, userRow, history, session)
    return {userId, userRow, k: options.k, explain: options.explain ?? false, now: engine.world.clock, seen, history, historyEvents, userVector, seed, served}
  }

  get bandit(): StrategyBandit | undefined {
    return this.strategyBandit
  }

  useBandit(bandit: StrategyBandit): void {
    this.strategyBandit = bandit
  }

  /** The strategy a request gets: forced by name, chosen by the bandit (auto), or the configured default. */
  private pickStrategy(engine: ServingEngine, requested: string | undefined): {name: string; pipeline: Pipeline; probability?: number} {
    const asked = requested ?? this.config.strategy
    if (asked === AUTO) {
      if (!this.strategyBandit) throw new RecError('INVALID_ARGUMENT', 'strategy=auto needs the bandit, which this server has not set up', {hint: 'name a strategy'})
      const {strategy, probability} = this.strategyBandit.choose()
      return {name: strategy, pipeline: strategyPipeline(engine, strategy), probability}
    }
    return {name: asked, pipeline: strategyPipeline(engine, asked)}
  }

  get topNCache(): TopNCache | undefined {
    return this.topN
  }

  /** Serves precomputed lists (rec serve --topn) when fresh, and recomputes them, with the user's arm's engine, after meaningful interactions. */
  useTopN(cache: TopNCache): void {
    this.topN = cache
    cache.compute = async (userId, k) => {
      await this.sessions.load(userId)
      const engine = this.engineOf(userId)
      const run = await this.runner.run(engine.generation, engine.pipeline, this.feedQuery(engine, userId, {k}))
      return {userId, generatedAt: cache.now(), versions: engine.versions, items: (JSON.parse(run.itemsJson) as FeedItem[]).map((item) => ({itemId: BigInt(item.item_id), score: item.score, source: item.source, reason: item.reason}))}
    }
  }

  /** The Feed as JSON text: the items arrive serialised from wherever the pipeline ran, or from the top-N cache. */
  async recommend(userId: bigint, options: RecommendOptions): Promise<string> {
    if (options.arm !== undefined && !this.arms) throw new RecError('INVALID_ARGUMENT', `arm "${options.arm}" is given but this server serves no experiment`, {hint: 'start rec serve with --experiments'})
    await this.sessions.load(userId)
    const picked = this.arms?.pick(userId, options.arm)
    const engine = picked?.engine ?? this.current
    const route = picked?.route
    const strategy = this.pickStrategy(engine, options.strategy)
    const q = this.query(engine, userId)
    const served = this.onServed !== undefined
    // a cached list is the default pipeline's: another strategy (forced or chosen) goes live
    const hit = this.topN && strategy.pipeline === engine.pipeline && (await this.topN.lookup(engine, {userId, userRow: q.userRow, seen: q.seen}, options))
    // with an experiment a list serves only the arm whose models computed it
    const cached = hit && (!route || hit.versionsJson === JSON.stringify(engine.versions)) ? hit : undefined
    let itemsJson: string
    let versions: Record<string, string>
    let slots: FeedRun['served']
    let debug: Feed['debug']
    if (cached) {
      ;({itemsJson, versions, served: slots} = cached)
    } else {
      const query = this.toFeedQuery(engine, userId, q, options, served)
      if (strategy.pipeline !== engine.pipeline) query.strategy = strategy.name
      const run = await this.runner.run(engine.generation, strategy.pipeline, query)
      this.onPipeline?.(run)
      debug = options.debug ? {stages: run.stages, per_source: run.perSource, skipped: [...strategy.pipeline.skipped, ...this.skippedEffects]} : undefined
      ;({itemsJson, served: slots} = run)
      versions = engine.versions
    }
    const requestId = randomUUID()
    // the Feed's keys in order; user_id is digits, known_user a boolean and request_id a UUID, so none needs escaping
    const items = options.display ? withDisplay(engine, itemsJson) : itemsJson
    const arm = route ? `,"experiment":${JSON.stringify(route.experiment)},"arm":${JSON.stringify(route.arm)}${route.reroutedFrom ? `,"rerouted_from":${JSON.stringify(route.reroutedFrom)}` : ''}` : ''
    const versionsJson = cached ? cached.versionsJson : JSON.stringify(versions)
    const chosen = `,"strategy":${JSON.stringify(strategy.name)}${strategy.probability === undefined ? '' : `,"strategy_probability":${strategy.probability}`}`
    const body = `{"user_id":"${userId}","known_user":${q.userRow > 0},"request_id":"${requestId}"${arm},"versions":${versionsJson}${chosen},"served_from":"${cached ? 'cache' : 'live'}","items":${items}${debug ? `,"debug":${JSON.stringify(debug)}` : ''}}`
    if (slots && served) {
      const experiment = route && {experiment: route.experiment, arm: route.arm, ...(route.reroutedFrom ? {reroutedFrom: route.reroutedFrom} : {})}
      this.onServed?.({userId, requestId, ...experiment, versions, strategy: strategy.name, ...(strategy.probability === undefined ? {} : {strategyProbability: strategy.probability}), ts: Date.now(), ...slots})
    }
    if (strategy.probability !== undefined) this.strategyBandit?.pulled(strategy.name, requestId)
    return body
  }

  /** The k items closest to `itemId` in the index (or by content: TF-IDF cosine); NOT_FOUND for an item the index (or content model) lacks. */
  similar(itemId: bigint, k: number, by: 'index' | 'content' = 'index'): FeedItem[] {
    if (by === 'content') return this.similarByContent(itemId, k)
    const found = this.engine.index.similarTo(itemId, k)
    const ids = this.engine.index.itemIds(found.rows)
    return Array.from(ids, (id, i) => ({item_id: String(id), score: Math.round(found.scores[i] * 1e6) / 1e6, source: 'ItemSimilarity', reason: `similar to item ${itemId}`}))
  }

  private similarByContent(itemId: bigint, k: number): FeedItem[] {
    const content = this.engine.content
    if (!content) throw new RecError('INVALID_ARGUMENT', 'by=content needs a content model: start rec serve with --content CKPT', {hint: 'or leave by out (the item index)'})
    let recommender = this.contentSimilar.get(content)
    if (!recommender) this.contentSimilar.set(content, (recommender = new ContentRecommender(content.model)))
    return recommender.similarItems(itemId, k).map((found) => ({item_id: String(found.itemId), score: Math.round(found.score * 1e6) / 1e6, source: 'ContentSimilarity', reason: `similar in content to item ${itemId}`}))
  }

  /**
   * Validates all, attributes each to a served feed (with `attribution`: its requestId becomes the feed's or is
   * removed), applies online updates, and resolves once all are stored in one transaction; BAD_DATA names the first bad one.
   */
  async interact(batch: StoredInteraction[], attribution?: Attribution): Promise<InteractResult> {
    let engines = batch.map((r) => this.engineOf(r.userId))
    batch.forEach((r, i) => {
      if (!this.events.has(r.event)) throw new RecError('BAD_DATA', `interaction ${i}: unknown event "${r.event}"`, {hint: `events: ${EVENTS.join(', ')}`})
      if (!engines[i].world.items.has(r.itemId)) throw new RecError('BAD_DATA', `interaction ${i}: unknown item_id ${r.itemId}`)
    })
    const outcome = await attribution?.attribute(batch)
    await Promise.all([...new Set(batch.map((r) => r.userId))].map((userId) => this.sessions.load(userId)))
    // a reload may have swapped an arm's engine while the store was read
    engines = batch.map((r) => this.engineOf(r.userId))
    const changed = new Map<bigint, SessionState>()
    for (const [i, r] of batch.entries()) {
      const session = this.sessions.get(r.userId)
      const positive = this.config.online.positives[r.event]
      const negative = this.config.online.negatives[r.event]
      if (positive) addPositive(session, r.itemId, r.event)
      session.seen.push(r.itemId)
      if (this.online !== 'none' && (positive || negative)) this.adapt(engines[i], r.userId, r.itemId, session, positive ?? 0, negative ?? 0)
      changed.set(r.userId, session)
      this.sessions.touch(r.userId)
    }
    await this.store?.record(batch, changed)
    if (outcome) this.strategyBandit?.credit(batch, outcome.impressions)
    this.topN?.noteInteractions(batch)
    if (!outcome) return {stored: batch.length}
    attribution!.count(outcome)
    return {stored: batch.length, attributed: outcome.byRequestId + outcome.byWindow, unattributed: outcome.unattributed}
  }

  private adapt(engine: ServingEngine, userId: bigint, itemId: bigint, session: SessionState, positive: number, negative: number): void {
    const {userRow, history} = this.query(engine, userId)
    const base = embedUser(engine, userRow, history)
    if (session.delta?.length !== base.length) session.delta = new Float32Array(base.length)
    const item = engine.world.items.row(itemId)
    const rng = new Rng(Number(BigInt.asUintN(32, userId)) ^ (session.seen.length * 2654435761))
    const shared = this.online === 'global'
    if (positive > 0) stepPositive(base, session.delta, engine.world.itemVectors, item, positive, this.config.online, rng, shared)
    if (negative > 0) stepNegative(base, session.delta, engine.world.itemVectors, item, negative, this.config.online, shared)
  }
}

/** The items JSON with a display block per item (an opt-in path: the default splices the runner's JSON as is). */
function withDisplay(engine: ServingEngine, itemsJson: string): string {
  const display = engine.display
  if (!display) return itemsJson
  const items = JSON.parse(itemsJson) as FeedItem[]
  return JSON.stringify(items.map((item) => ({...item, display: display.fields(BigInt(item.item_id), item.reason)})))
}

function concatRows(head: Int32Array, tail: number[]): Int32Array {
  const out = new Int32Array(head.length + tail.length)
  out.set(head)
  out.set(tail, head.length)
  return out
}
