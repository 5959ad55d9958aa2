// Worker thread of the pipeline pool: loads model generations on request and runs feed pipelines against them.
import {type Dataset, readDataset} from '../dataset/store.js'
import {buildServingEngine, loadServingModels, type ServingEngine, type ServingModels, strategyPipeline} from './serving-engine.js'
import {batchBuffers, runFeedBatch} from './feed-batch.js'
import {runFeed} from './feed-run.js'
import type {PipelineProtocol} from './pipeline-protocol.js'
import {serveWorker} from '../workers/serve-worker.js'

serveWorker<PipelineProtocol>(() => {
  /** Several generations while a reload is under way (requests started on the old one finish on it), and one per experiment arm. */
  const engines = new Map<number, {engine: ServingEngine; models: number}>()
  /** models id -> its load and the generations built on it: arms with the same models hold one copy. */
  const models = new Map<number, {loading: Promise<ServingModels>; generations: Set<number>}>()
  /** Read once per path and reused by reloads, as the HTTP thread does, so both build the same world. */
  const datasets = new Map<string, Promise<Dataset>>()
  const loaded = (generation: number): ServingEngine => {
    const held = engines.get(generation)
    if (!held) throw new Error(`generation ${generation} is not loaded in this worker`)
    return held.engine
  }
  const release = (id: number, generation: number) => {
    const entry = models.get(id)
    entry?.generations.delete(generation)
    if (entry?.generations.size === 0) models.delete(id)
  }
  return {
    async load({generation, models: id, sources, config}) {
      if (!datasets.has(sources.dataset)) datasets.set(sources.dataset, readDataset(sources.dataset))
      let entry = models.get(id)
      if (!entry) {
        const loading = datasets.get(sources.dataset)!.then((dataset) => loadServingModels(sources, config, {dataset, id, userVectors: false, display: false}))
        models.set(id, (entry = {loading, generations: new Set()}))
      }
      entry.generations.add(generation)
      try {
        engines.set(generation, {engine: buildServingEngine(await entry.loading, config, generation), models: id})
      } catch (error) {
        release(id, generation)
        throw error
      }
    },
    run({generation, query}) {
      const engine = loaded(generation)
      return runFeed(query.strategy === undefined ? engine.pipeline : strategyPipeline(engine, query.strategy), query)
    },
    runBatch({generation, queries}) {
      return runFeedBatch(loaded(generation).pipeline, queries)
    },
    drop({generation}) {
      const held = engines.get(generation)
      engines.delete(generation)
      if (held) release(held.models, generation)
    },
  }
}, {runBatch: batchBuffers})
