// /v1 routes: recommendations, similar items, interactions.
import type {FastifyInstance} from 'fastify'

import {buildSideEffects} from '../mixer/build-pipeline.js'
import {fireSideEffects} from '../mixer/run-pipeline.js'
import type {StageRecord} from '../mixer/types.js'
import type {AppContext} from './app.js'
import {Attribution, DEFAULT_ATTRIBUTION_WINDOW_MS} from './attribution.js'
import {parseId} from './ids.js'
import type {Store, StoredInteraction} from '../store/types.js'
import {parseRequest} from './parse-request.js'
import {checkFutureTs, DEFAULT_MAX_TS_SKEW_MS, parseInteractions, recommendationsQuery, SIMILAR_PARAMS, similarQuery} from './v1-requests.js'

export function registerV1Routes(app: FastifyInstance, context: AppContext): void {
  const {recommender, metrics} = context
  const preHandler = context.requireAuth ? [context.authenticate] : []
  const maxK = recommender.config['max-k']
  const feedQuery = recommendationsQuery(maxK)
  const neighboursQuery = similarQuery(maxK)
  const maxTsSkewMs = context.maxTsSkewMs ?? DEFAULT_MAX_TS_SKEW_MS
  const attribution = recommender.store && attributionOf(recommender.store, context)
  metrics.describe('rec_stage_duration_ms', 'Mixer stage latency in milliseconds by stage and component.')
  metrics.describe('rec_source_candidates_total', 'Candidates returned by each candidate source.')
  metrics.describe('rec_filter_removed_total', 'Candidates removed by each filter.')
  metrics.describe('rec_side_effect_failures_total', 'Side effects that threw or rejected (the feed was served regardless).')
  // series resolved once per (stage, component), source and filter: formatting ~20 label sets per feed made
  // ~7 KB of garbage on the HTTP thread, a fifth of what it allocates per request
  const stageSeries = new Map<string, Map<string, {observe(ms: number): void}>>()
  const observe = (s: StageRecord) => {
    let byComponent = stageSeries.get(s.stage)
    if (!byComponent) stageSeries.set(s.stage, (byComponent = new Map()))
    let series = byComponent.get(s.id)
    if (!series) byComponent.set(s.id, (series = metrics.histogram('rec_stage_duration_ms', {stage: s.stage, component: s.id})))
    series.observe(s.ms)
  }
  const sourceSeries = new Map<string, {inc(by?: number): void}>()
  const filterSeries = new Map<string, {inc(by?: number): void}>()
  recommender.onPipeline = (result) => {
    for (const s of result.stages) {
      observe(s)
      if (s.removed === undefined) continue
      let series = filterSeries.get(s.id)
      if (!series) filterSeries.set(s.id, (series = metrics.counter('rec_filter_removed_total', {filter: s.id})))
      series.inc(s.removed)
    }
    for (const source in result.perSource) {
      let series = sourceSeries.get(source)
      if (!series) sourceSeries.set(source, (series = metrics.counter('rec_source_candidates_total', {source})))
      series.inc(result.perSource[source])
    }
  }
  // side effects run here, on the thread that holds the metrics, after each response is built
  const effects = buildSideEffects(recommender.config, {counters: metrics, impressions: context.impressions}, (recommender.skippedEffects = []))
  if (effects.length > 0) {
    recommender.onServed = (feed) =>
      fireSideEffects(effects, feed, (record) => {
        observe(record)
        if (record.error === undefined) return
        metrics.inc('rec_side_effect_failures_total', {effect: record.id})
        app.log.warn({effect: record.id, err: record.error}, 'side effect failed')
      })
  }

  const cache = recommender.topNCache
  if (cache) {
    metrics.describe('rec_topn_served_total', 'Feeds by where they came from: a fresh cached top-N list (cache) or the pipeline (live).')
    metrics.describe('rec_topn_recomputes_total', 'Top-N lists recomputed after a meaningful interaction.')
    metrics.describe('rec_topn_recompute_failures_total', 'Top-N recomputes that failed (the old list stays).')
    cache.counters = {
      cache: metrics.counter('rec_topn_served_total', {from: 'cache'}),
      live: metrics.counter('rec_topn_served_total', {from: 'live'}),
      recomputes: metrics.counter('rec_topn_recomputes_total', {}),
      recomputeFailures: metrics.counter('rec_topn_recompute_failures_total', {}),
    }
  }

  // validated by parseRequest (zod), not fastify schemas: every bad value gets rec's own one-line message
  app.get('/v1/recommendations', {preHandler}, async (request, reply) => {
    const q = parseRequest(feedQuery, request.query)
    // forcing an arm is for people checking what an arm serves, not for clients: it takes an admin token
    if (q.arm !== undefined) await context.authenticate(request)
    const body = await recommender.recommend(parseId(q.user_id, 'user_id'), {k: q.k ?? 20, explain: q.explain ?? false, debug: q.debug ?? false, display: q.display ?? false, seed: q.seed, arm: q.arm, strategy: q.strategy})
    // already JSON: with the content type set, fastify sends the string as is
    return reply.type('application/json; charset=utf-8').send(body)
  })

  app.get('/v1/items/:id/similar', {preHandler}, async (request) => {
    const itemId = parseId(parseRequest(SIMILAR_PARAMS, request.params).id, 'id')
    const q = parseRequest(neighboursQuery, request.query)
    return {item_id: String(itemId), items: recommender.similar(itemId, q.k ?? 20, q.by)}
  })

  app.post('/v1/interactions', {preHandler}, async (request, reply) => {
    const list = parseInteractions(request.body)
    const now = Date.now()
    checkFutureTs(list, now, maxTsSkewMs)
    const batch: StoredInteraction[] = list.map((r, i) => ({
      userId: parseId(r.user_id, `interaction ${i}: user_id`),
      itemId: parseId(r.item_id, `interaction ${i}: item_id`),
      event: r.event,
      ts: Math.round(r.ts ?? now),
      dwellMs: r.dwell_ms,
      position: r.position,
      requestId: r.request_id, // the claim; attribution keeps it only if that feed showed the item to the user
    }))
    const result = await recommender.interact(batch, attribution)
    return reply.status(201).send(result)
  })
}

/** Interactions are attributed when they are stored: with a store, whose impressions the writer fills. */
function attributionOf(store: Store, context: AppContext): Attribution {
  const {metrics} = context
  metrics.describe('rec_interactions_attributed_total', 'Stored interactions attributed to a served feed, by how (request_id sent, or the latest impression within the window).')
  metrics.describe('rec_interactions_unattributed_total', 'Stored interactions with no impression of their feed or (user, item) within the window.')
  return new Attribution(store, context.impressions?.pending, context.attributionWindowMs ?? DEFAULT_ATTRIBUTION_WINDOW_MS, {
    byRequestId: metrics.counter('rec_interactions_attributed_total', {by: 'request_id'}),
    byWindow: metrics.counter('rec_interactions_attributed_total', {by: 'window'}),
    unattributed: metrics.counter('rec_interactions_unattributed_total', {}),
  })
}
