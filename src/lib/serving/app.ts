// The HTTP app factory: routes (requests validated by parse-request.ts), auth, rate limit, metrics and one log line per request.
import Fastify, {type FastifyBaseLogger, type FastifyInstance, type FastifyRequest, LogController} from 'fastify'

import type {ConversionSpec} from '../analytics/conversion.js'
import type {GuardedExperiment} from '../experiments/guardrail.js'
import {ImpressionWriter} from '../store/impression-writer.js'
import type {Store} from '../store/types.js'
import type {GuardrailRunner} from './guardrail-runner.js'
import {errorHandler, HttpError} from './http-errors.js'
import {Metrics} from './metrics.js'
import {type RateLimitOptions, TokenBuckets} from './rate-limit.js'
import type {Recommender} from './recommender.js'
import {registerAdminRoutes} from './routes-admin.js'
import {registerPageRoute} from './routes-page.js'
import {registerExperimentRoutes, registerStatsRoutes, worldTopicOf} from './routes-stats.js'
import {registerV1Routes} from './routes-v1.js'

export interface AppOptions {
  recommender: Recommender
  /** Bearer tokens accepted on /admin (and /v1 with requireAuth); none = admin always 401. */
  tokens: string[]
  requireAuth?: boolean
  rateLimit?: RateLimitOptions
  /** How far ahead of the server clock an interaction's ts may be (422 beyond); default 24 h. */
  maxTsSkewMs?: number
  /** An interaction without request_id answers the latest impression of its (user, item) this far before it; default 24 h. */
  attributionWindowMs?: number
  /** Largest request body in bytes (413 above); default 1 MiB. */
  bodyLimit?: number
  /** A pino logger: one JSON line per request at info. */
  logger?: FastifyBaseLogger
  /** Reloads the models; resolves to the new versions. */
  reload?: () => Promise<Record<string, string>>
  /** Readiness beyond "models loaded" (false while shutting down). */
  ready?: () => boolean
  /** Feed runs waiting for a pipeline worker (absent without workers): a queue that keeps growing means the cores are saturated. */
  queuedRuns?: () => number
  /** The served experiment's guardrails: /admin/experiments, POST /admin/guardrails/evaluate and their metrics. */
  guardrails?: GuardrailRunner
  /** The served experiment (for /admin/experiments). */
  experiments?: readonly GuardedExperiment[]
  /** What /v1/stats counts as a conversion; default like or share within 72 h of the click. */
  conversion?: ConversionSpec
}

export interface AppContext extends AppOptions {
  metrics: Metrics
  /** With a store: the impression log's batching writer, flushed by app.close(). */
  impressions?: ImpressionWriter
  /** preHandler that answers 401 unless the request carries a known bearer token. */
  authenticate: (request: FastifyRequest) => Promise<void>
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined
}

export function createApp(options: AppOptions): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? 1_048_576
  const onError = errorHandler(bodyLimit)
  const app = Fastify({
    // errors fastify answers before routing (a bad percent-encoding in the URL) use the same vocabulary
    frameworkErrors: (error, request, reply) => void onError(error, request, reply),
    ...(options.logger ? {loggerInstance: options.logger} : {logger: false}),
    // one line per request, written in onResponse (fastify's default is two: incoming and completed)
    logController: new LogController({disableRequestLogging: true}),
    bodyLimit,
  })
  const metrics = new Metrics()
  metrics.describe('rec_http_requests_total', 'HTTP requests by route, method and status.')
  metrics.describe('rec_http_request_duration_ms', 'HTTP request latency in milliseconds by route.')
  const tokens = new Set(options.tokens.filter((t) => t.length > 0))
  const authenticate = async (request: FastifyRequest) => {
    const token = bearer(request)
    if (!token || !tokens.has(token)) throw new HttpError('UNAUTHORIZED', tokens.size === 0 ? 'admin routes are disabled: set REC_API_TOKENS' : 'a valid bearer token is required (Authorization: Bearer <token>)')
  }
  const buckets = options.rateLimit ? new TokenBuckets(options.rateLimit) : undefined

  app.setErrorHandler(onError)
  app.setNotFoundHandler((request, reply) => reply.status(404).send({error: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}`}))
  app.addHook('onRequest', async (request, reply) => {
    if (!buckets || !(request.url.startsWith('/v1/') || request.url.startsWith('/admin/'))) return
    // a bucket per valid token; anything else shares its IP's bucket, so made-up tokens cannot dodge the limit
    const token = bearer(request)
    const wait = buckets.take(token && tokens.has(token) ? `token:${token}` : `ip:${request.ip}`)
    if (wait > 0) {
      reply.header('retry-after', String(Math.ceil(wait)))
      throw new HttpError('RATE_LIMITED', `rate limit exceeded; retry in ${wait.toFixed(2)} s`)
    }
  })
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched'
    const ms = reply.elapsedTime
    metrics.inc('rec_http_requests_total', {route, method: request.method, status: String(reply.statusCode)})
    metrics.observe('rec_http_request_duration_ms', {route}, ms)
    request.log.info({method: request.method, url: request.url, route, status: reply.statusCode, ms: Math.round(ms * 100) / 100}, 'request')
  })

  const impressions = options.recommender.store && impressionWriter(app, options.recommender.store, metrics)
  const context: AppContext = {...options, metrics, authenticate, impressions}
  registerV1Routes(app, context)
  registerAdminRoutes(app, context)
  // without a store (no --state) the stats routes answer 404 NOT_FOUND saying so, rather than "no route"
  registerStatsRoutes(app, {
    store: options.recommender.store,
    topicOf: worldTopicOf(() => options.recommender.engine.world),
    conversion: options.conversion,
    preHandler: options.requireAuth ? [authenticate] : [],
  })
  if (options.experiments) registerExperimentRoutes(app, {store: options.recommender.store, experiments: options.experiments, authenticate, conversion: options.conversion})
  const guardrails = options.guardrails
  if (guardrails) {
    metrics.describe('rec_guardrail_evaluations_total', 'Guardrail evaluations of treatment arms (timer, POST /admin/guardrails/evaluate).')
    metrics.describe('rec_guardrail_rollbacks_total', 'Treatment arms a guardrail rolled back and rerouted to the control.')
    const evaluations = metrics.counter('rec_guardrail_evaluations_total', {})
    const rollbacks = metrics.counter('rec_guardrail_rollbacks_total', {})
    guardrails.onRun = (counts) => {
      evaluations.inc(counts.evaluations)
      rollbacks.inc(counts.rollbacks)
    }
    app.post('/admin/guardrails/evaluate', {preHandler: [authenticate]}, async () => guardrails.evaluate())
  }
  registerPageRoute(app)
  return app
}

/** The writer behind ImpressionLog, counted on /metrics; app.close() (server shutdown, after in-flight requests) flushes what it holds. */
function impressionWriter(app: FastifyInstance, store: Store, metrics: Metrics): ImpressionWriter {
  metrics.describe('rec_impressions_logged_total', 'Impressions (served feed slots) written to the store.')
  metrics.describe('rec_impressions_dropped_total', 'Impressions dropped: the queue was full, the server was closing, or their flush failed.')
  metrics.describe('rec_impression_flush_failures_total', 'Impression flushes the store refused (their rows are dropped).')
  const writer = new ImpressionWriter(store, {
    counters: {logged: metrics.counter('rec_impressions_logged_total', {}), dropped: metrics.counter('rec_impressions_dropped_total', {}), flushFailures: metrics.counter('rec_impression_flush_failures_total', {})},
    onError: (error, rows) => app.log.warn({err: error, rows}, 'impression flush failed; its rows are dropped'),
  })
  app.addHook('onClose', async () => {
    // side effects start on setImmediate after their response (fireSideEffects): let those of the last
    // responses enqueue first, or closing would drop the impressions of feeds already answered
    await new Promise((resolve) => setImmediate(resolve))
    await writer.close()
  })
  return writer
}
