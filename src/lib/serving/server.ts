// Starts the HTTP server: loads models (directly or through a registry alias), listens, follows the alias, shuts down on SIGTERM.
import type {AddressInfo} from 'node:net'

import type {FastifyInstance} from 'fastify'
import pino from 'pino'

import {readDataset} from '../dataset/store.js'
import {RecError} from '../errors.js'
import {loadConfig} from '../config/load-config.js'
import {MixerConfigSchema} from '../mixer/config.js'
import {type AliasWatcher, resolveAlias, watchAlias} from '../registry/index.js'
import {openStore, resolveStoreLocation} from '../store/open-store.js'
import {createApp} from './app.js'
import {assertPortFree, listenError} from './check-port.js'
import {type ServingEngineSources, loadServingEngine} from './serving-engine.js'
import {inThreadRunner} from './feed-run.js'
import {createLogDestination, type LogFormat} from './log-destination.js'
import {PipelinePool} from './pipeline-pool.js'
import type {RateLimitOptions} from './rate-limit.js'
import {Recommender} from './recommender.js'
import {TopNCache} from './top-n-cache.js'
import {MemoryTopNLists, StoreTopNLists} from './top-n-lists.js'

export interface ServeOptions {
  dataset: string
  retrieval?: string
  index?: string
  ranking?: string
  registry?: string
  alias?: string
  host: string
  port: number
  config?: string
  state?: string
  /** PostgreSQL URL of a store shared by replicas (default REC_DATABASE_URL when state is not given either). */
  store?: string
  online: 'private' | 'none'
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
  /** Precomputed lists: a topn.parquet (rec recommend --out) or "store" (the --state/--store store's). */
  topn?: string
  /** How old a cached list may be and still be served; default 24 h. */
  cacheMaxAgeMs?: number
}

export const DEFAULT_CACHE_MAX_AGE_MS = 24 * 3_600_000

export interface RunningServer {
  app: FastifyInstance
  url: string
  close(): Promise<void>
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  // --- inputs
  if (!options.retrieval && !(options.registry && options.alias)) throw new RecError('INVALID_ARGUMENT', 'give --retrieval (and --index) or --registry with --alias')
  // before loading: a busy port fails in milliseconds, not after the models, and no --state files are made
  await assertPortFree(options.host, options.port)
  const config = await loadConfig(MixerConfigSchema, options.config, {})
  const location = resolveStoreLocation({state: options.state, store: options.store})
  if (options.topn === 'store' && !location.state && !location.store) throw new RecError('INVALID_ARGUMENT', '--topn store needs a store: --state DIR or --store URL', {hint: 'or pass --topn topn.parquet'})
  // read before the models: a missing or malformed file fails in milliseconds
  const topnFile = options.topn && options.topn !== 'store' ? await MemoryTopNLists.load(options.topn) : undefined
  // a database that is down fails the start in ~2 s (UNAVAILABLE), before the models load
  const shared = location.store ? await openStore(location) : undefined
  const dataset = await readDataset(options.dataset)
  const resolveSources = async (): Promise<ServingEngineSources> => {
    if (options.retrieval) return {retrieval: options.retrieval, index: options.index, dataset: options.dataset, ranking: options.ranking}
    const resolved = await resolveAlias(options.registry!, options.alias!)
    // the index directory may belong to another version: serve an exact in-memory index of the resolved checkpoint
    return {retrieval: resolved.path, dataset: options.dataset, ranking: options.ranking}
  }

  // --- models, store, app
  // asynchronous (a synchronous write per request line costs ~0.9 ms at 1,000 req/s) but unbuffered:
  // a 4 KiB minimum held request lines back for minutes on a quiet server whose stdout is a pipe
  const destination = createLogDestination(options.logFormat)
  const logger = pino({level: options.logLevel ?? 'info'}, destination.stream)
  // every load is a new generation: the workers load the same sources while this thread does
  const pool = options.workers ? new PipelinePool(options.workers, config) : undefined
  let generations = 0
  const loadGeneration = async () => {
    const generation = ++generations
    const sources = await resolveSources()
    try {
      const [engine] = await Promise.all([loadServingEngine(sources, config, {dataset, generation}), pool?.load(generation, sources)])
      return engine
    } catch (error) {
      pool?.retire(generation)
      throw error
    }
  }
  const engine = await loadGeneration().catch(async (error: unknown) => {
    await pool?.close()
    await shared?.close()
    throw error
  })
  // SQLite after the models: a failed load leaves no --state files behind
  const store = shared ?? (location.state ? await openStore(location) : undefined)
  const recommender = new Recommender(engine, config, store, options.online, pool ?? inThreadRunner)
  const lists = topnFile ?? (options.topn === 'store' && store ? new StoreTopNLists(store) : undefined)
  const cache = lists && new TopNCache({lists, maxAgeMs: options.cacheMaxAgeMs ?? DEFAULT_CACHE_MAX_AGE_MS, config: {...config['top-n'], k: Math.min(config['top-n'].k, config['max-k'])}, onError: (error, userId) => logger.warn({err: error, user_id: String(userId)}, 'top-n cache: list not read or not recomputed')})
  if (cache) {
    recommender.useTopN(cache)
    logger.info({topn: cache.description}, 'serving cached top-n lists')
  }
  // replicas on one database: a session another replica changed is read again at its user's next request
  await store?.watchSessions?.((userIds) => recommender.sessions.invalidate(userIds))
  let closing = false
  let reloading: Promise<Record<string, string>> | undefined
  const reload = async () => {
    // one reload at a time; requests keep serving the old engine until the swap
    reloading ??= (async () => {
      try {
        const next = await loadGeneration()
        const previous = recommender.engine
        recommender.swap(next)
        pool?.retire(previous.generation)
        logger.info({versions: next.versions}, 'models reloaded')
        return next.versions
      } finally {
        reloading = undefined
      }
    })()
    return reloading
  }
  const app = createApp({recommender, tokens: options.tokens, requireAuth: options.requireAuth, rateLimit: options.rateLimit, maxTsSkewMs: options.maxTsSkewMs, attributionWindowMs: options.attributionWindowMs, logger, reload, ready: () => !closing, queuedRuns: pool && (() => pool.waiting)})
  try {
    await app.listen({host: options.host, port: options.port})
  } catch (error) {
    // taken since the check: release what was opened
    await app.close()
    await pool?.close()
    await store?.close()
    throw listenError(error, options.host, options.port)
  }
  const address = app.server.address() as AddressInfo
  const url = `http://${options.host}:${address.port}`

  // --- follow the alias
  let watcher: AliasWatcher | undefined
  if (!options.retrieval) {
    let first = true
    watcher = watchAlias(options.registry!, options.alias!, {
      intervalMs: options.watchIntervalMs,
      onChange: async (resolved) => {
        if (first) return void (first = false)
        logger.info({alias: resolved.alias, version: resolved.version}, 'alias moved')
        await reload()
      },
      onError: (error) => logger.warn({err: error}, 'alias watch failed; serving the last good version'),
    })
  }

  // --- graceful shutdown: stop accepting, let in-flight requests finish, flush the impression log (app.close's
  // onClose hook: ImpressionWriter.close), close the db
  const close = async () => {
    if (closing) return
    closing = true
    watcher?.close()
    await app.close()
    await cache?.close()
    await pool?.close()
    await store?.close()
    destination.flush()
  }
  return {app, url, close}
}
