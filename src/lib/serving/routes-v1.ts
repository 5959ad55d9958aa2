// /v1 routes: recommendations, similar items, interactions.
import type {FastifyInstance} from 'fastify'

import {buildSideEffects} from '../mixer/build-pipeline.js'
import {fireSideEffects} from '../mixer/run-pipeline.js'
import type {StageRecord} from '../mixer/types.js'
import type {AppContext} from './app.js'
import {HttpError} from './http-errors.js'
import {ID_SCHEMA, parseId} from './ids.js'
import type {StoredInteraction} from './interaction-store.js'

const BOOL = {type: 'string', enum: ['true', 'false', '1', '0']} as const
const K = {type: 'string', pattern: '^[0-9]{1,4}$'} as const
const ERROR = {type: 'object', properties: {error: {type: 'string'}, message: {type: 'string'}}} as const

const INTERACTION = {
  type: 'object',
  required: ['user_id', 'item_id', 'event'],
  additionalProperties: false,
  properties: {
    user_id: ID_SCHEMA,
    item_id: ID_SCHEMA,
    event: {type: 'string', minLength: 1, maxLength: 64},
    ts: {type: 'number', minimum: 0},
    dwell_ms: {type: 'integer', minimum: 0, maximum: 2147483647},
    position: {type: 'integer', minimum: 0, maximum: 32767},
  },
} as const

type InteractionBody = {user_id: number | string; item_id: number | string; event: string; ts?: number; dwell_ms?: number; position?: number}

function parseK(value: string | undefined, max: number): number {
  const k = value === undefined ? 20 : Number(value)
  if (k < 1 || k > max) throw new HttpError(400, 'BAD_REQUEST', `k must be between 1 and ${max}, got ${value}`)
  return k
}

const truthy = (value: string | undefined) => value === 'true' || value === '1'

export function registerV1Routes(app: FastifyInstance, context: AppContext): void {
  const {recommender, metrics} = context
  const preHandler = context.requireAuth ? [context.authenticate] : []
  const maxK = recommender.config['max-k']
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
  const effects = buildSideEffects(recommender.config, {counters: metrics})
  if (effects.length > 0) {
    recommender.onServed = (feed) =>
      fireSideEffects(effects, feed, (record) => {
        observe(record)
        if (record.error === undefined) return
        metrics.inc('rec_side_effect_failures_total', {effect: record.id})
        app.log.warn({effect: record.id, err: record.error}, 'side effect failed')
      })
  }

  app.get<{Querystring: {user_id: string; k?: string; explain?: string; debug?: string; display?: string; seed?: string}}>(
    '/v1/recommendations',
    {
      preHandler,
      schema: {
        querystring: {type: 'object', required: ['user_id'], additionalProperties: false, properties: {user_id: ID_SCHEMA, k: K, explain: BOOL, debug: BOOL, display: BOOL, seed: {type: 'string', pattern: '^[0-9]{1,9}$'}}},
        response: {400: ERROR},
      },
    },
    async (request, reply) => {
      const q = request.query
      const body = await recommender.recommend(parseId(q.user_id, 'user_id'), {k: parseK(q.k, maxK), explain: truthy(q.explain), debug: truthy(q.debug), display: truthy(q.display), seed: q.seed === undefined ? undefined : Number(q.seed)})
      // already JSON: with the content type set, fastify sends the string as is
      return reply.type('application/json; charset=utf-8').send(body)
    },
  )

  app.get<{Params: {id: string}; Querystring: {k?: string}}>(
    '/v1/items/:id/similar',
    {preHandler, schema: {params: {type: 'object', properties: {id: ID_SCHEMA}}, querystring: {type: 'object', additionalProperties: false, properties: {k: K}}}},
    async (request) => {
      const itemId = parseId(request.params.id, 'id')
      return {item_id: String(itemId), items: recommender.similar(itemId, parseK(request.query.k, maxK))}
    },
  )

  app.post<{Body: InteractionBody | InteractionBody[]}>(
    '/v1/interactions',
    {preHandler, schema: {body: {anyOf: [INTERACTION, {type: 'array', minItems: 1, maxItems: 1000, items: INTERACTION}]}}},
    async (request, reply) => {
      const list = Array.isArray(request.body) ? request.body : [request.body]
      const now = Date.now()
      const batch: StoredInteraction[] = list.map((r, i) => ({
        userId: parseId(r.user_id, `interaction ${i}: user_id`),
        itemId: parseId(r.item_id, `interaction ${i}: item_id`),
        event: r.event,
        ts: Math.round(r.ts ?? now),
        dwellMs: r.dwell_ms,
        position: r.position,
      }))
      const result = recommender.interact(batch)
      return reply.status(201).send(result)
    },
  )
}
