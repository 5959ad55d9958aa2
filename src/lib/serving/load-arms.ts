// Loads the engines of a server's arms: each distinct model set once (on this thread and in every pipeline worker), a pipeline per arm.
import {resolve} from 'node:path'

import type {Dataset} from '../dataset/store.js'
import {RecError} from '../errors.js'
import type {MixerConfig} from '../mixer/config.js'
import {type ModelRef, resolveAlias, resolveRef} from '../registry/index.js'
import type {PipelinePool} from './pipeline-pool.js'
import {buildServingEngine, loadServingModels, nextModelsId, type RegistryRef, type ServingEngine, type ServingEngineSources, type ServingModels} from './serving-engine.js'

/** One arm to serve (without experiments the server serves one, named "default"). */
export interface ArmSpec {
  name: string
  /** A registry alias or version; absent: the server's own models. */
  retrieval?: ModelRef
  ranking?: ModelRef
  /** The server's mixer config with the arm's overrides. */
  mixer: MixerConfig
}

/** The server's own models, for arms that name none: --retrieval (+ --index) or --registry with --alias, and --ranking. */
export interface DefaultModels {
  dataset: string
  retrieval?: string
  index?: string
  ranking?: string
  /** Content checkpoint (rec serve --content): one for every arm. */
  content?: string
  registry?: string
  alias?: string
}

export interface LoadedArm {
  name: string
  engine: ServingEngine
  /** alias -> the version loaded, for each alias the arm follows (its own, or --alias for the server's models). */
  follows: Map<string, number>
}

export interface ArmLoaderContext {
  dataset: Dataset
  /** The server's mixer config: the world's options (popularity half-life, topic column) come from it, never from an arm. */
  config: MixerConfig
  defaults: DefaultModels
  pool?: PipelinePool
}

interface ResolvedArm {
  spec: ArmSpec
  sources: ServingEngineSources
  registry: ServingEngine['registry']
  follows: Map<string, number>
}

/** Arms with equal keys share one ServingModels. */
const keyOf = (sources: ServingEngineSources) => JSON.stringify([sources.retrieval, sources.index ?? null, sources.ranking ?? null, sources.content ?? null])

export class ArmLoader {
  /** Every engine is its own pipeline generation, numbered across reloads. */
  private generations = 0

  constructor(private readonly context: ArmLoaderContext) {}

  /**
   * Engines for `specs`, in their order: aliases and versions are resolved (and the checkpoints' hashes
   * checked) now, arms resolving to the same (retrieval, index, ranking) share one load, and a model set
   * that an engine in `serving` already holds (an arm not being reloaded) is reused, not loaded again.
   * A failure retires the generations it started in the workers and leaves the served engines alone.
   */
  async load(specs: ArmSpec[], serving: Iterable<ServingEngine> = []): Promise<LoadedArm[]> {
    const resolved = await Promise.all(specs.map((spec) => this.resolve(spec)))
    const held = new Map<string, ServingModels>()
    for (const engine of serving) held.set(keyOf(engine.sources), engine)
    const groups = new Map<string, ResolvedArm[]>()
    for (const arm of resolved) groups.set(keyOf(arm.sources), [...(groups.get(keyOf(arm.sources)) ?? []), arm])
    const started: number[] = []
    try {
      const loaded = await Promise.all([...groups].map(([key, group]) => this.loadGroup(group, held.get(key), started)))
      const byName = new Map(loaded.flat().map((arm) => [arm.name, arm]))
      return specs.map((spec) => byName.get(spec.name)!)
    } catch (error) {
      for (const generation of started) this.context.pool?.retire(generation)
      throw error
    }
  }

  /** One model set (loaded here and in the workers at once, or `held`) and an engine per arm on it. */
  private async loadGroup(group: ResolvedArm[], held: ServingModels | undefined, started: number[]): Promise<LoadedArm[]> {
    const {dataset, config, pool} = this.context
    const sources = group[0].sources
    const id = held?.id ?? nextModelsId()
    const generations = group.map(() => ++this.generations)
    started.push(...generations)
    const [models] = await Promise.all([held ?? loadServingModels(sources, config, {dataset, id}), ...group.map((arm, i) => pool?.load(generations[i], {models: id, sources, config: arm.spec.mixer}))])
    return group.map((arm, i) => ({name: arm.spec.name, engine: {...buildServingEngine(models, arm.spec.mixer, generations[i]), registry: arm.registry}, follows: arm.follows}))
  }

  /** The arm's checkpoint directories: its own aliases or versions, else the server's models. */
  private async resolve(spec: ArmSpec): Promise<ResolvedArm> {
    const {defaults} = this.context
    const follows = new Map<string, number>()
    const registry: NonNullable<ServingEngine['registry']> = {}
    const fromRegistry = async (kind: 'retrieval' | 'ranking', ref: ModelRef): Promise<string> => {
      if (!defaults.registry) throw new RecError('INVALID_ARGUMENT', `arm ${spec.name} names ${kind} ${JSON.stringify(ref)}, which needs --registry`)
      const found = await resolveRef(defaults.registry, ref, kind)
      registry[kind] = registryRef(found)
      if (found.alias) follows.set(found.alias, found.version)
      return found.path
    }
    let retrieval: string
    let index: string | undefined
    if (spec.retrieval !== undefined) {
      retrieval = await fromRegistry('retrieval', spec.retrieval)
      // --index was built from --retrieval: an arm whose registry checkpoint is that directory serves it too (else an exact index)
      if (defaults.retrieval && defaults.index && resolve(defaults.retrieval) === resolve(retrieval)) index = defaults.index
    }
    else {
      const own = await resolveDefaultModels(defaults, `arm ${spec.name} names no retrieval checkpoint: `)
      ;[retrieval, index] = [own.retrieval, own.index]
      if (own.registry) {
        registry.retrieval = own.registry
        follows.set(own.registry.alias, own.registry.version)
      }
    }
    const ranking = spec.ranking !== undefined ? await fromRegistry('ranking', spec.ranking) : defaults.ranking
    const sources: ServingEngineSources = {retrieval, dataset: defaults.dataset, ...(index ? {index} : {}), ...(ranking ? {ranking} : {}), ...(defaults.content ? {content: defaults.content} : {})}
    return {spec, sources, registry: Object.keys(registry).length > 0 ? registry : undefined, follows}
  }
}

/**
 * The server's own retrieval checkpoint: --retrieval (+ --index), else the checkpoint --alias points to in --registry
 * (with no index directory: that may belong to another version, so an exact in-memory index of the resolved checkpoint serves).
 */
export async function resolveDefaultModels(defaults: DefaultModels, context = ''): Promise<{retrieval: string; index?: string; registry?: {alias: string; version: number}}> {
  if (defaults.retrieval) return {retrieval: defaults.retrieval, ...(defaults.index ? {index: defaults.index} : {})}
  if (defaults.registry && defaults.alias) {
    const found = await resolveAlias(defaults.registry, defaults.alias)
    return {retrieval: found.path, registry: {alias: found.alias, version: found.version}}
  }
  throw new RecError('INVALID_ARGUMENT', `${context}give --retrieval (and --index) or --registry with --alias`)
}

function registryRef(found: {alias?: string; version: number}): RegistryRef {
  return found.alias ? {alias: found.alias, version: found.version} : {version: found.version}
}
