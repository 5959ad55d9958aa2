// One loaded model set (retrieval towers, item index, serving world, optional heavy ranker) and the engines built on it: the models plus a pipeline.
import {readDataset, type Dataset} from '../dataset/store.js'
import {PAD} from '../engine/mean-pool.js'
import {RecError} from '../errors.js'
import {normalizeVector} from '../kernels/normalize.js'
import {buildIndex} from '../index/build-index.js'
import {loadIndex} from '../index/load-index.js'
import type {ItemIndex} from '../index/item-index.js'
import {buildStrategies, type Strategies} from '../mixer/build-strategies.js'
import type {MixerConfig} from '../mixer/config.js'
import type {Pipeline} from '../mixer/types.js'
import {buildWorld, type ServingWorld} from '../mixer/world.js'
import {attachContent, type WorldContent} from '../mixer/world-content.js'
import {loadContentModel} from '../models/content/persist.js'
import {ItemDisplay} from './item-display.js'
import {embedItems, embedUsers, embedUsersFromWindows} from '../models/two-tower/embed.js'
import {loadTwoTower} from '../models/two-tower/load.js'
import type {TwoTowerModel} from '../models/two-tower/model.js'
import {loadRankerScorer, type ServingRanker} from './load-ranker.js'

export interface ServingEngineSources {
  retrieval: string
  /** Index directory; absent: an exact index is built in memory from the checkpoint's item embeddings. */
  index?: string
  dataset: string
  ranking?: string
  /** Content (TF-IDF) checkpoint: the Content source, the content and hybrid strategies, similar items by content. */
  content?: string
}

/** Where an arm's checkpoints came from in the registry (an alias, or a version named directly). */
export interface RegistryRef {
  alias?: string
  version: number
}

/** Models loaded once and shared by every engine built on them (arms that differ only in mixer overrides). */
export interface ServingModels {
  /** Tells model loads apart: the user-vector cache and pipeline workers' shared copies are keyed by it. */
  id: number
  sources: ServingEngineSources
  /** Model versions reported by responses, /admin/models and /metrics. */
  versions: Record<string, string>
  model: TwoTowerModel
  world: ServingWorld
  index: ItemIndex
  indexToRow: Int32Array
  ranker?: ServingRanker
  /** The content model mapped onto the world's rows (--content). */
  content?: WorldContent
  /** [users.size, dim] normalised user-tower outputs on each known user's dataset history, computed at load (empty when not asked for). */
  userVectors: Float32Array
  /** Titles, authors, topics and ages for feeds asked for with display=true (absent in pipeline workers). */
  display?: ItemDisplay
  loadedAt: string
}

/** Models plus the pipeline built on them with one mixer config: what serves a request. */
export interface ServingEngine extends ServingModels {
  /** Tells pipelines apart in pipeline workers (0 unless the loader numbers them); each arm's engine is its own generation. */
  generation: number
  /** The pipeline of a request that names no strategy (the default strategy's; with auto, the home pipeline). */
  pipeline: Pipeline
  /** Every named strategy's pipeline (pipeline is one of them, or the home pipeline under auto). */
  strategies: Strategies
  /** Set by the server for an arm whose checkpoints came from the registry. */
  registry?: {retrieval?: RegistryRef; ranking?: RegistryRef}
}

export interface LoadServingEngineOptions {
  /** The dataset when it is already read (reloads reuse it). */
  dataset?: Dataset
  generation?: number
  /** ServingModels.id; default the next number of this thread. */
  id?: number
  /** Compute userVectors (default true); pipeline workers never read them. */
  userVectors?: boolean
  /** Build the item display fields (default true); pipeline workers never serve them. */
  display?: boolean
}

let loads = 0

/** A fresh ServingModels.id for a load on this thread. */
export function nextModelsId(): number {
  return ++loads
}

/** The models of `sources`; `config` sets the world's popularity half-life and topic column (no arm overrides those). */
export async function loadServingModels(sources: ServingEngineSources, config: MixerConfig, options: LoadServingEngineOptions = {}): Promise<ServingModels> {
  const dataset = options.dataset ?? (await readDataset(sources.dataset))
  const loaded = await loadTwoTower(sources.retrieval, dataset)
  const dim = loaded.model.dim
  const vectors = embedItems(loaded.model) // [items.size, dim]
  const {index, description} = await openIndex(sources, vectors, loaded.inputs.items.ids, dim)
  if (index.dim !== loaded.model.dim) {
    throw new RecError('MISMATCH', `index ${sources.index} has ${index.dim}-d vectors but checkpoint ${sources.retrieval} embeds in ${loaded.model.dim}-d`, {hint: 'build the index from this checkpoint'})
  }
  for (let row = 0; row < loaded.inputs.items.size; row++) normalizeVector(vectors, row * dim, dim)
  vectors.fill(0, 0, dim)
  const world = buildWorld(dataset, loaded.inputs.users, loaded.inputs.items, vectors, {halfLifeMs: config['popularity-half-life-hours'] * 3_600_000, topicColumn: config['topic-column']})
  const indexToRow = loaded.inputs.items.rows(index.ids)
  const ranker = sources.ranking ? await loadRankerScorer(sources.ranking, dataset) : undefined
  const content = sources.content ? await loadContentModel(sources.content) : undefined
  const versions: Record<string, string> = {retrieval: `${sources.retrieval}@${loaded.manifest.createdAt}`, index: description}
  if (ranker) versions.ranking = `${sources.ranking}@${ranker.createdAt}`
  if (content) versions.content = `${sources.content}@${content.checkpoint.manifest.createdAt}`
  // one batched pass at load (5,000 users: ~0.1 s) instead of a tower call per request
  const userVectors = options.userVectors === false ? new Float32Array(0) : embedUsers(loaded.model, Int32Array.from({length: world.users.size}, (_, i) => i), world.history)
  for (let row = 0; row < userVectors.length / dim; row++) normalizeVector(userVectors, row * dim, dim)
  return {
    id: options.id ?? nextModelsId(),
    sources,
    versions,
    userVectors,
    display: options.display === false ? undefined : ItemDisplay.build(world, dataset.items, dataset.users),
    model: loaded.model,
    world,
    index,
    indexToRow,
    ranker,
    content: content && attachContent(world, content.model),
    loadedAt: new Date().toISOString(),
  }
}

/** An engine on `models` whose pipeline follows `config` (~1 ms: the components, not the models, are built). */
export function buildServingEngine(models: ServingModels, config: MixerConfig, generation = 0): ServingEngine {
  const {world, index, indexToRow, ranker, content} = models
  const strategies = buildStrategies(config, {world, index, indexToRow, content, ranker: ranker && {scorer: ranker.scorer, users: ranker.users, items: ranker.items}})
  return {...models, generation, pipeline: strategies.home, strategies}
}

/** Models and one pipeline: a server without experiments, a pipeline worker's generation, a test. */
export async function loadServingEngine(sources: ServingEngineSources, config: MixerConfig, options: LoadServingEngineOptions = {}): Promise<ServingEngine> {
  return buildServingEngine(await loadServingModels(sources, config, options), config, options.generation ?? 0)
}

/** The index directory, or an exact index over rows 1.. of `vectors` (row 0 is the OOV row). */
async function openIndex(sources: ServingEngineSources, vectors: Float32Array, ids: BigInt64Array, dim: number): Promise<{index: ItemIndex; description: string}> {
  if (sources.index) {
    const {index, manifest} = await loadIndex(sources.index, {mapped: true})
    return {index, description: `${sources.index}@${manifest.kind}:${manifest.count}`}
  }
  const built = await buildIndex(vectors.slice(dim), ids, {exact: true})
  return {index: built.index, description: `in-memory@exact:${ids.length}`}
}

/** The user tower on the last L history rows (right-aligned, PAD before), normalised [dim]. */
export function embedUser(engine: ServingEngine, userRow: number, history: Int32Array): Float32Array {
  const length = Math.max(engine.model.config['history-length'], 1)
  const window = new Int32Array(length).fill(PAD)
  if (engine.model.config['history-length'] > 0) {
    const recent = history.subarray(Math.max(0, history.length - length))
    window.set(recent, length - recent.length)
  }
  return normalizeVector(embedUsersFromWindows(engine.model, Int32Array.of(userRow), window))
}

/** The pipeline of a named strategy; INVALID_ARGUMENT (400) for an unknown one or one whose model is not loaded. */
export function strategyPipeline(engine: ServingEngine, name: string): Pipeline {
  const pipeline = engine.strategies.pipelines.get(name)
  if (pipeline) return pipeline
  const why = engine.strategies.unavailable.get(name)
  if (why !== undefined) throw new RecError('INVALID_ARGUMENT', `strategy "${name}" is unavailable on this server: ${why}`, {hint: 'start rec serve with the model it needs (e.g. --content)'})
  throw new RecError('INVALID_ARGUMENT', `unknown strategy "${name}" (strategies: ${[...engine.strategies.pipelines.keys(), 'auto'].join(', ')})`)
}
