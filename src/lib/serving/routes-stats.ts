// /v1/stats (a user's and the global feed stats) and /admin/experiments (per-arm stats, differences to control, guardrail verdicts).
import type {FastifyInstance, FastifyRequest} from 'fastify'
import {z} from 'zod'

import type {Slot} from '../analytics/attribute.js'
import {type ConversionSpec, DEFAULT_CONVERSION} from '../analytics/conversion.js'
import {type ExperimentStats, experimentStats} from '../analytics/experiment-stats.js'
import {globalStats} from '../analytics/global-stats.js'
import {loadSlots} from '../analytics/load-slots.js'
import {userStats} from '../analytics/user-stats.js'
import {impressionRange, interactionRange, MAX_DAYS, type StatsWindow, statsWindow} from '../analytics/window.js'
import {evaluateGuardrail, type GuardedExperiment, type GuardrailSpec, type GuardrailVerdict, reroutedVerdict} from '../experiments/guardrail.js'
import type {ServingWorld} from '../mixer/world.js'
import type {Reroute, Store} from '../store/types.js'
import {HttpError} from './http-errors.js'
import {ID_RULE, parseId, TEXT_ID} from './ids.js'
import {parseRequest, type RequestShape} from './parse-request.js'

/** The window of a stats route without ?days: 30 days bounds what one request reads from the store. */
export const DEFAULT_STATS_DAYS = 30

const DAYS_RULE = `must be an integer from 1 to ${MAX_DAYS}`
const days = z
  .string()
  .regex(/^[0-9]{1,4}$/)
  .refine((d) => Number(d) >= 1 && Number(d) <= MAX_DAYS)
  .transform(Number)
const DAYS_QUERY = {noun: 'query parameter', schema: z.strictObject({days: days.optional()}), rules: {days: DAYS_RULE}} satisfies RequestShape<unknown>
const USER_PARAMS = {noun: 'path parameter', schema: z.object({id: TEXT_ID}), rules: {id: ID_RULE}} satisfies RequestShape<unknown>
const EXPERIMENT_RULE = 'must be an experiment id (letters, digits, ".", "_" or "-")'
const EXPERIMENT_PARAMS = {noun: 'path parameter', schema: z.object({id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)}), rules: {id: EXPERIMENT_RULE}} satisfies RequestShape<unknown>

type PreHandler = (request: FastifyRequest) => Promise<void>

interface StatsBase {
  /** The server's store; absent (no --state): every stats route answers 404 NOT_FOUND saying so. */
  store: Store | undefined
  conversion?: ConversionSpec
  /** The clock the windows end at; default Date.now. */
  now?: () => number
}

export interface StatsRouteOptions extends StatsBase {
  /** An item's topic, for a user's top topics (undefined: no topic). */
  topicOf?: (itemId: bigint) => string | undefined
  /** Run before each route (the /v1 auth when --require-auth). */
  preHandler?: PreHandler[]
}

export interface ExperimentRouteOptions extends StatsBase {
  /** The served experiments; the first arm of each is the control. */
  experiments: readonly GuardedExperiment[]
  /** The admin bearer-token check. */
  authenticate: PreHandler
}

/** An item's topic name from the serving world, read at each call (the world changes on reload). */
export function worldTopicOf(world: () => ServingWorld): (itemId: bigint) => string | undefined {
  return (itemId) => {
    const w = world()
    const row = w.items.row(itemId)
    const code = row > 0 ? (w.topic?.[row] ?? -1) : -1
    return code >= 0 ? w.topicNames[code] : undefined
  }
}

function needStore(store: Store | undefined): Store {
  if (!store) throw new HttpError('NOT_FOUND', 'this server keeps no store, so it has no stats: start rec serve with --state DIR')
  return store
}

function windowOf(request: FastifyRequest, fallback: number, now: () => number): StatsWindow {
  return statsWindow({days: parseRequest(DAYS_QUERY, request.query).days ?? fallback, now: now()})
}

/** GET /v1/stats/users/:id and GET /v1/stats/global, both with ?days=N (default 30). */
export function registerStatsRoutes(app: FastifyInstance, options: StatsRouteOptions): void {
  const conversion = options.conversion ?? DEFAULT_CONVERSION
  const now = options.now ?? Date.now
  const preHandler = options.preHandler ?? []

  // a user without impressions or interactions is not an error: zeros, last_active null
  app.get('/v1/stats/users/:id', {preHandler}, async (request) => {
    const userId = parseId(parseRequest(USER_PARAMS, request.params).id, 'id')
    const window = windowOf(request, DEFAULT_STATS_DAYS, now)
    const store = needStore(options.store)
    // the same reads as loadSlots, without joining every other user's slots
    const impressions = await store.impressions(impressionRange(window))
    const interactions = await store.interactions(interactionRange(window))
    return userStats(userId, impressions, interactions, {window, conversion, topicOf: options.topicOf})
  })

  app.get('/v1/stats/global', {preHandler}, async (request) => {
    const window = windowOf(request, DEFAULT_STATS_DAYS, now)
    const {slots} = await loadSlots(needStore(options.store), window, conversion)
    return globalStats(slots, window, conversion)
  })
}

export interface ExperimentReport extends ExperimentStats {
  guardrail: GuardrailSpec | null
  /** The guardrail's verdict per treatment arm over its own window (what the next evaluation would do); [] without a guardrail. */
  verdicts: GuardrailVerdict[]
  reroutes: {from_arm: string; to_arm: string; reason: string; at: string}[]
}

/** GET /admin/experiments (every experiment, without the per-day rows) and GET /admin/experiments/:id; ?days=N, default the guardrail's days, else 30. */
export function registerExperimentRoutes(app: FastifyInstance, options: ExperimentRouteOptions): void {
  const conversion = options.conversion ?? DEFAULT_CONVERSION
  const now = options.now ?? Date.now
  const preHandler = [options.authenticate]

  const reports = async (experiments: readonly GuardedExperiment[], request: FastifyRequest): Promise<ExperimentReport[]> => {
    const store = needStore(options.store)
    const asked = parseRequest(DAYS_QUERY, request.query).days
    const at = now()
    const windows = experiments.map((e) => ({shown: statsWindow({days: asked ?? e.guardrail?.days ?? DEFAULT_STATS_DAYS, now: at}), guarded: e.guardrail && statsWindow({days: e.guardrail.days, now: at})}))
    // one read covers every window: the widest
    const widest = statsWindow({days: Math.max(...windows.flatMap((w) => [w.shown.days!, w.guarded?.days ?? 0])), now: at})
    const {slots} = await loadSlots(store, widest, conversion)
    const reroutes = await store.reroutes()
    return experiments.map((e, i) => {
      const statsOf = (window: StatsWindow) => experimentStats(within(slots, window), {experiment: e.id, arms: e.arms.map((a) => a.name), window, conversion})
      const {shown, guarded} = windows[i]
      const mine = reroutes.filter((r) => r.experiment === e.id)
      const verdicts = guarded ? evaluateGuardrail(e, statsOf(guarded)).map((v) => rerouted(v, mine)) : []
      return {...statsOf(shown), guardrail: e.guardrail ?? null, verdicts, reroutes: mine.map((r) => ({from_arm: r.fromArm, to_arm: r.toArm, reason: r.reason, at: new Date(r.at).toISOString()}))}
    })
  }

  app.get('/admin/experiments', {preHandler}, async (request) => {
    if (options.experiments.length === 0) return {experiments: []}
    const all = await reports(options.experiments, request)
    return {experiments: all.map(({daily: _, ...rest}) => rest)}
  })

  app.get('/admin/experiments/:id', {preHandler}, async (request) => {
    const {id} = parseRequest(EXPERIMENT_PARAMS, request.params)
    const experiment = options.experiments.find((e) => e.id === id)
    if (!experiment) {
      const known = options.experiments.map((e) => e.id)
      throw new HttpError('NOT_FOUND', `no experiment "${id}" (${known.length ? `experiments: ${known.join(', ')}` : 'this server runs none'})`)
    }
    return (await reports([experiment], request))[0]
  })
}

function within(slots: readonly Slot[], window: StatsWindow): Slot[] {
  return slots.filter((s) => (window.since === undefined || s.impression.ts >= window.since) && s.impression.ts <= window.until)
}

function rerouted(verdict: GuardrailVerdict, reroutes: Reroute[]): GuardrailVerdict {
  const reroute = reroutes.find((r) => r.fromArm === verdict.arm)
  return reroute ? reroutedVerdict(verdict, reroute) : verdict
}
