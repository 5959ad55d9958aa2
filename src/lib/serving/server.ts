// Starts the HTTP server: loads models (directly, through registry aliases, or per experiment arm), listens, follows the aliases, shuts down on SIGTERM.
import type {AddressInfo} from 'node:net'

import type {FastifyInstance} from 'fastify'
import pino from 'pino'

import {readDataset} from '../dataset/store.js'
import {RecError} from '../errors.js'
import {loadConfig} from '../config/load-config.js'
import {ExperimentRouter} from '../experiments/assign.js'
import {loadExperiments, servedExperiment} from '../experiments/config.js'
import {MixerConfigSchema} from '../mixer/config.js'
import {type AliasWatcher, watchAlias} from '../registry/index.js'
import {openStore, resolveStoreLocation} from '../store/open-store.js'
import {createApp} from './app.js'
import {Arms} from './arms.js'
import {assertPortFree, listenError} from './check-port.js'
import {inThreadRunner} from './feed-run.js'
import {GuardrailRunner} from './guardrail-runner.js'
import {ArmLoader, type ArmSpec, type DefaultModels, type LoadedArm} from './load-arms.js'
import {createLogDestination, type LogFormat} from './log-destination.js'
import {PipelinePool} from './pipeline-pool.js'
import type {RateLimitOptions} from './rate-limit.js'
import {type OnlineMode, Recommender} from './recommender.js'
import {openBandit} from './open-bandit.js'
import {TopNCache} from './top-n-cache.js'
import {MemoryTopNLists, StoreTopNLists} from './top-n-lists.js'

export interface ServeOptions extends DefaultModels {
  /** Experiments YAML (config/experiments.yaml): one experiment whose arms split the users. */
  experiments?: string
  host: string
  port: number
  config?: string
  state?: string
  /** PostgreSQL URL of a store shared by replicas (default REC_DATABASE_URL when state is not given either). */
  store?: string
  /** global: item rows change with every interaction, so pipelines run on the HTTP thread (no workers) against the one copy. */
  online: OnlineMode
  requireAuth: boolean
  tokens: string[]
  rateLimit?: RateLimitOptions
  /** How far ahead of the server clock an interaction's ts may be (422 beyond); default 24 h. */
  maxTsSkewMs?: number
  /** Attribution window of interactions sent without request_id; default 24 h. */
  attributionWindowMs?: number
  /** pino level; default info (one line per request). */
  logLevel?: string
  /** json (default): JSON lines on stdout; pretty: one human line per event on stderr. */
  logFormat?: LogFormat
  /** Registry poll period (ms); default 1000. */
  watchIntervalMs?: number
  /** Pipeline worker threads; 0 (the default) runs pipelines on the HTTP thread. */
  workers?: number
  /** Guardrail evaluation period with --experiments and a store (ms); default 60 s, 0 = only on POST /admin/guardrails/evaluate. */
  guardrailIntervalMs?: number
  /** Precomputed lists: a topn.parquet (rec recommend --out) or "store" (the --state/--store store's). */
  topn?: string
  /** How old a cached list may be and still be served; default 24 h. */
  cacheMaxAgeMs?: number
  /** Seed of the strategy bandit's choices (strategy=auto); default 1. */
  seed?: number
}

export const DEFAULT_CACHE_MAX_AGE_MS = 24 * 3_600_000

export interface RunningServer {
  app: FastifyInstance
  url: string
  /** With --experiments: users' arms, and reroute() for a guardrail to send an arm's users elsewhere from the next request. */
  router?: ExperimentRouter
  close(): Promise<void>
}

const OWN_MODELS = 'give --retrieval (and --index) or --registry with --alias'

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  // --- inputs
  if (options.retrieval && options.alias) throw new RecError('INVALID_ARGUMENT', 'give --retrieval or --alias, not both: each names the models the server serves')
  if (options.alias && !options.registry) throw new RecError('INVALID_ARGUMENT', '--alias needs --registry')
  if (!options.experiments && !options.retrieval && !options.alias) throw new RecError('INVALID_ARGUMENT', OWN_MODELS)
  // before loading: a busy port fails in milliseconds, not after the models, and no --state files are made
  await assertPortFree(options.host, options.port)
  const config = await loadConfig(MixerConfigSchema, options.config, {})
  // the whole file (aliases and versions in the registry, overrides against the mixer config) is checked before any model loads
  const experiment = options.experiments ? servedExperiment(await loadExperiments(options.experiments, {registry: options.registry, mixerConfig: config})) : undefined
  const specs: ArmSpec[] = experiment ? experiment.arms : [{name: 'default', mixer: config}]
  const ownModels = specs.filter((spec) => spec.retrieval === undefined).map((spec) => spec.name)
  if (experiment && ownModels.length > 0 && !options.retrieval && !options.alias) {
    throw new RecError('INVALID_ARGUMENT', `${options.experiments}: arm ${ownModels.join(', ')} names no retrieval, so it serves the server's own models: ${OWN_MODELS}`)
  }
  const location = resolveStoreLocation({state: options.state, store: options.store})
  if (options.topn === 'store' && !location.state && !location.store) throw new RecError('INVALID_ARGUMENT', '--topn store needs a store: --state DIR or --store URL', {hint: 'or pass --topn topn.parquet'})
  // read before the models: a missing or malformed file fails in milliseconds
  const topnFile = options.topn && options.topn !== 'store' ? await MemoryTopNLists.load(options.topn) : undefined
  // a database that is down fails the start in ~2 s (UNAVAILABLE), before the models load
  const shared = location.store ? await openStore(location) : undefined
  const dataset = await readDataset(options.dataset).catch(async (error: unknown) => {
    await shared?.close()
    throw error
  })

  // --- models, store, app
  // asynchronous (a synchronous write per request line costs ~0.9 ms at 1,000 req/s) but unbuffered:
  // a 4 KiB minimum held request lines back for minutes on a quiet server whose stdout is a pipe
  const destination = createLogDestination(options.logFormat)
  const logger = pino({level: options.logLevel ?? 'info'}, destination.stream)
  // every arm's engine is a generation: the workers load the same sources while this thread does
  const pool = options.workers && options.online !== 'global' ? new PipelinePool(options.workers) : undefined
  const {retrieval, index, ranking, content, registry, alias} = options
  const loader = new ArmLoader({dataset, config, pool, defaults: {dataset: options.dataset, retrieval, index, ranking, content, registry, alias}})
  const first = await loader.load(specs).catch(async (error: unknown) => {
    await pool?.close()
    await shared?.close()
    throw error
  })
  // SQLite after the models: a failed load leaves no --state files behind
  const store = shared ?? (location.state ? await openStore(location) : undefined)
  const router = experiment && new ExperimentRouter(experiment)
  const arms = router && new Arms(router, new Map(first.map((arm) => [arm.name, arm.engine])))
  const recommender = new Recommender(first[0].engine, config, store, options.online, pool ?? inThreadRunner, arms)
  const bandit = await openBandit(config, first[0].engine, options.seed ?? 1, store, (error) => logger.warn({err: error}, 'bandit counts not stored; kept for the next flush')).catch(async (error: unknown) => {
    await pool?.close()
    await store?.close()
    throw error
  })
  if (bandit) recommender.useBandit(bandit)
  const lists = topnFile ?? (options.topn === 'store' && store ? new StoreTopNLists(store) : undefined)
  const cache = lists && new TopNCache({lists, maxAgeMs: options.cacheMaxAgeMs ?? DEFAULT_CACHE_MAX_AGE_MS, config: {...config['top-n'], k: Math.min(config['top-n'].k, config['max-k'])}, onError: (error, userId) => logger.warn({err: error, user_id: String(userId)}, 'top-n cache: list not read or not recomputed')})
  if (cache) {
    recommender.useTopN(cache)
    logger.info({topn: cache.description}, 'serving cached top-n lists')
  }
  // replicas on one database: a session another replica changed is read again at its user's next request
  await store?.watchSessions?.((userIds) => recommender.sessions.invalidate(userIds))
  const engineOf = (name: string) => (arms ? arms.engine(name) : recommender.engine)
  /** arm -> (alias -> version it serves) */
  const follows = new Map<string, Map<string, number>>()
  const noteFollows = (loaded: LoadedArm[]) => loaded.forEach((arm) => follows.set(arm.name, arm.follows))
  noteFollows(first)

  let closing = false
  let queue: Promise<unknown> = Promise.resolve()
  /** Reloads `names` (default: every arm), one reload at a time in the order asked; requests keep serving the old engines until the swap. */
  const reload = (names?: string[]): Promise<Record<string, string>> => {
    const run = queue.then(async () => {
      const chosen = names ? specs.filter((spec) => names.includes(spec.name)) : specs
      const kept = names ? specs.filter((spec) => !names.includes(spec.name)).map((spec) => engineOf(spec.name)) : []
      const loaded = await loader.load(chosen, kept)
      for (const arm of loaded) pool?.retire(recommender.swap(arm.engine, arms && arm.name).generation)
      noteFollows(loaded)
      if (arms) logger.info({arms: Object.fromEntries(loaded.map((arm) => [arm.name, arm.engine.versions]))}, 'models reloaded')
      else logger.info({versions: loaded[0].engine.versions}, 'models reloaded')
      return recommender.engine.versions
    })
    queue = run.catch(() => undefined)
    return run
  }
  // guardrails need impressions: an experiment with a store; stored reroutes (a rollback before a restart) hold at once
  const guardrails = router && store && new GuardrailRunner({store, registry: options.registry, experiment: experiment!, router})
  await guardrails?.applyStoredReroutes()
  const app = createApp({guardrails, experiments: experiment && [experiment], recommender, tokens: options.tokens, requireAuth: options.requireAuth, rateLimit: options.rateLimit, maxTsSkewMs: options.maxTsSkewMs, attributionWindowMs: options.attributionWindowMs, logger, reload: () => reload(), ready: () => !closing, queuedRuns: pool && (() => pool.waiting)})
  try {
    await app.listen({host: options.host, port: options.port})
  } catch (error) {
    // taken since the check: release what was opened
    await app.close()
    await pool?.close()
    await store?.close()
    throw listenError(error, options.host, options.port)
  }
  if (guardrails && (options.guardrailIntervalMs ?? 60_000) > 0) guardrails.start(options.guardrailIntervalMs ?? 60_000, (error) => logger.warn({err: error}, 'guardrail evaluation failed'))
  const address = app.server.address() as AddressInfo
  const url = `http://${options.host}:${address.port}`

  // --- follow every alias an arm serves: a move reloads the arms that follow it, the others keep serving
  const aliases = new Set([...follows.values()].flatMap((byAlias) => [...byAlias.keys()]))
  const watchers: AliasWatcher[] = [...aliases].map((name) =>
    watchAlias(options.registry!, name, {
      intervalMs: options.watchIntervalMs,
      onChange: async (resolved) => {
        const followers = specs.map((spec) => spec.name).filter((arm) => follows.get(arm)?.has(name) && follows.get(arm)!.get(name) !== resolved.version)
        // the first poll finds the versions just loaded
        if (followers.length === 0) return
        logger.info({alias: name, version: resolved.version, ...(arms ? {arms: followers} : {})}, 'alias moved')
        await reload(arms ? followers : undefined)
      },
      onError: (error) => logger.warn({err: error}, 'alias watch failed; serving the last good version'),
    }),
  )

  // --- graceful shutdown: stop accepting, let in-flight requests finish, flush the impression log (app.close's
  // onClose hook: ImpressionWriter.close), close the db
  const close = async () => {
    if (closing) return
    closing = true
    for (const watcher of watchers) watcher.close()
    await guardrails?.stop()
    await app.close()
    await cache?.close()
    await bandit?.close()
    await pool?.close()
    await store?.close()
    destination.flush()
  }
  return {app, url, ...(router ? {router} : {}), close}
}
