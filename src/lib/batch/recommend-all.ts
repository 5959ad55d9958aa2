// rec recommend: every user's feed through the serving pipeline (the live FeedQuery path), on the pipeline workers, into topn.parquet.
import {availableParallelism} from 'node:os'

import {dataCreatedAt} from '../checkpoint/manifest.js'
import {loadConfig} from '../config/load-config.js'
import {getColumn} from '../dataset/columns.js'
import {writeParquetFile} from '../dataset/parquet.js'
import {readDataset, readManifest} from '../dataset/store.js'
import {RecError} from '../errors.js'
import {assertWritable} from '../io/atomic.js'
import {MixerConfigSchema} from '../mixer/config.js'
import {type Reporter, silentReporter} from '../reporter.js'
import {type FeedBatch, runFeedBatch} from '../serving/feed-batch.js'
import {PipelinePool} from '../serving/pipeline-pool.js'
import {Recommender} from '../serving/recommender.js'
import {loadServingEngine, nextModelsId, type ServingEngineSources} from '../serving/serving-engine.js'
import {openStore, type StoreLocation} from '../store/open-store.js'
import {saveListsToStore} from './save-lists.js'
import {type TopNColumns, topNTable} from './top-n-table.js'
import {readUserList} from './users-file.js'
import {type DefaultModels, resolveDefaultModels} from '../serving/load-arms.js'

/** The models as rec serve takes them; registry + alias serve the checkpoint the alias points to, with an exact in-memory index. */
export interface RecommendAllOptions extends DefaultModels {
  /** Mixer config YAML (default: the built-in pipeline). */
  config?: string
  /** "all": every user of users.parquet, in its order; else a file of ids (readUserList). */
  users: string
  k: number
  out: string
  force?: boolean
  /** Every user's exploration seed; default the live server's for a user without a session (the id's low 32 bits). */
  seed?: number
  /** generated_at of every list (ms); default the dataset's newest interaction, so that a rerun writes the same bytes. */
  generatedAt?: number
  /** Pipeline worker threads (0 = this thread); default one per core. */
  workers?: number
  /** Users per message to a worker (default 256: a round trip of ~0.1 ms against ~250 ms of work). */
  chunkSize?: number
  /** Also save every list into this store (for rec serve --topn store). */
  store?: StoreLocation
  reporter?: Reporter
}

export interface RecommendAllSummary {
  out: string
  users: number
  /** Users the model does not know: theirs are cold-start lists, as the live server serves them. */
  cold_start: number
  /** Ids the --users file repeated (each user gets one list). */
  duplicates: number
  rows: number
  k: number
  generated_at: string
  versions: Record<string, string>
  workers: number
  load_seconds: number
  run_seconds: number
  users_per_second: number
  /** The store the lists were also saved to. */
  store?: string
}

export async function recommendAll(options: RecommendAllOptions): Promise<RecommendAllSummary> {
  const reporter = options.reporter ?? silentReporter
  // --- inputs, all checked before a model loads
  const config = await loadConfig(MixerConfigSchema, options.config, {})
  const maxK = config['max-k']
  if (!Number.isInteger(options.k) || options.k < 1 || options.k > maxK) {
    throw new RecError('INVALID_ARGUMENT', `--k must be an integer from 1 to ${maxK} (the mixer config's max-k), got ${options.k}`, {hint: 'raise max-k in the mixer config for longer lists'})
  }
  if (!options.retrieval && !(options.registry && options.alias)) throw new RecError('INVALID_ARGUMENT', 'give --retrieval (and --index) or --registry with --alias')
  if (options.generatedAt !== undefined && !Number.isFinite(options.generatedAt)) throw new RecError('INVALID_ARGUMENT', `--generated-at must be a time, got ${options.generatedAt}`)
  assertWritable(options.out, options.force ?? false)
  await readManifest(options.dataset)
  const listed = options.users === 'all' ? undefined : await readUserList(options.users)
  const workers = options.workers ?? availableParallelism()
  // opened now: a database that is down fails in ~2 s, not after the run
  const store = options.store && (await openStore(options.store))
  let pool: PipelinePool | undefined
  try {
    // --- models: this thread builds the queries (user vectors, histories), the workers run the pipelines
    const loadStart = performance.now()
    const dataset = await readDataset(options.dataset)
    const {retrieval, index} = await resolveDefaultModels(options)
    const sources: ServingEngineSources = {retrieval, index, dataset: options.dataset, ranking: options.ranking}
    pool = workers > 0 ? new PipelinePool(workers) : undefined
    const id = nextModelsId()
    const [engine] = await Promise.all([loadServingEngine(sources, config, {dataset, generation: 1, display: false, id}), pool?.load(1, {models: id, sources, config})])
    const loadSeconds = (performance.now() - loadStart) / 1000
    const ids = listed?.ids ?? getColumn(dataset.users, 'user_id', 'int64').values
    const generatedAt = options.generatedAt ?? Date.parse(dataCreatedAt(dataset.interactions))

    // --- lists, chunk by chunk; at most two chunks per worker (and one being built) at a time
    const recommender = new Recommender(engine, config, undefined, 'private')
    const chunk = Math.max(1, Math.min(options.chunkSize ?? 256, Math.ceil(ids.length / (4 * Math.max(workers, 1)))))
    const batches: FeedBatch[] = []
    const progress = reporter.progress('recommend', ids.length)
    const runStart = performance.now()
    let done = 0
    let failure: unknown
    const running = new Set<Promise<void>>()
    for (let from = 0; from < ids.length && failure === undefined; from += chunk) {
      const at = batches.length
      batches.push(undefined as unknown as FeedBatch)
      const queries = Array.from(ids.subarray(from, from + chunk), (userId) => recommender.feedQuery(engine, userId, {k: options.k, seed: options.seed}))
      const run = (pool ? pool.runBatch(1, engine.pipeline, queries) : runFeedBatch(engine.pipeline, queries)).then(
        (batch) => {
          batches[at] = batch
          done += queries.length
          progress.tick(queries.length, {'users/s': Math.round(done / ((performance.now() - runStart) / 1000))})
        },
        (error: unknown) => void (failure ??= error),
      )
      running.add(run)
      void run.finally(() => running.delete(run))
      if (running.size > 2 * Math.max(workers, 1)) await Promise.race(running)
    }
    await Promise.all(running)
    if (failure !== undefined) throw failure
    progress.stop()
    const runSeconds = (performance.now() - runStart) / 1000

    // --- write: rows grouped by user in input order, then (optionally) the store
    const columns = collect(ids, batches, JSON.stringify(engine.versions), generatedAt)
    await writeParquetFile(options.out, topNTable(columns))
    if (store) await saveListsToStore(store, columns)
    const coldStart = ids.reduce((n, id) => n + (engine.world.users.row(id) > 0 ? 0 : 1), 0)
    return {
      out: options.out,
      users: ids.length,
      cold_start: coldStart,
      duplicates: listed?.duplicates ?? 0,
      rows: columns.itemIds.length,
      k: options.k,
      generated_at: new Date(generatedAt).toISOString(),
      versions: engine.versions,
      workers: pool?.size ?? 0,
      load_seconds: Math.round(loadSeconds * 100) / 100,
      run_seconds: Math.round(runSeconds * 100) / 100,
      users_per_second: Math.round(ids.length / Math.max(runSeconds, 1e-9)),
      ...(store ? {store: store.description} : {}),
    }
  } finally {
    await pool?.close()
    await store?.close()
  }
}

/** The chunks' feeds as one set of columns, in user order. */
function collect(ids: BigInt64Array, batches: FeedBatch[], versions: string, generatedAt: number): TopNColumns {
  const rows = batches.reduce((n, b) => n + b.itemIds.length, 0)
  const columns: TopNColumns = {
    userIds: ids,
    offsets: new Int32Array(ids.length + 1),
    itemIds: new BigInt64Array(rows),
    scores: new Float32Array(rows),
    sources: [],
    reasons: [],
    versions: new Array<string>(ids.length).fill(versions),
    generatedAt: new Float64Array(ids.length).fill(generatedAt),
  }
  let user = 0
  let row = 0
  for (const batch of batches) {
    for (let i = 0; i + 1 < batch.offsets.length; i++) columns.offsets[++user] = row + batch.offsets[i + 1]
    columns.itemIds.set(batch.itemIds, row)
    columns.scores.set(batch.scores, row)
    for (const source of batch.sources) columns.sources.push(source)
    for (const reason of batch.reasons) columns.reasons.push(reason)
    row += batch.itemIds.length
  }
  return columns
}
