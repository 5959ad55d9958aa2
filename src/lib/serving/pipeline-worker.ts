// Worker thread of the pipeline pool: loads model generations on request and runs feed pipelines against them.
import {type Dataset, readDataset} from '../dataset/store.js'
import {type ServingEngine, loadServingEngine} from './serving-engine.js'
import {batchBuffers, runFeedBatch} from './feed-batch.js'
import {runFeed} from './feed-run.js'
import type {PipelineProtocol} from './pipeline-protocol.js'
import {serveWorker} from '../workers/serve-worker.js'

serveWorker<PipelineProtocol>(() => {
  /** Several generations while a reload is under way: requests started on the old one finish on it. */
  const engines = new Map<number, ServingEngine>()
  /** Read once per path and reused by reloads, as the HTTP thread does, so both build the same world. */
  const datasets = new Map<string, Promise<Dataset>>()
  const loaded = (generation: number): ServingEngine => {
    const engine = engines.get(generation)
    if (!engine) throw new Error(`generation ${generation} is not loaded in this worker`)
    return engine
  }
  return {
    async load({sources, config, generation}) {
      if (!datasets.has(sources.dataset)) datasets.set(sources.dataset, readDataset(sources.dataset))
      const dataset = await datasets.get(sources.dataset)!
      engines.set(generation, await loadServingEngine(sources, config, {dataset, generation, userVectors: false, display: false}))
    },
    run({generation, query}) {
      return runFeed(loaded(generation).pipeline, query)
    },
    runBatch({generation, queries}) {
      return runFeedBatch(loaded(generation).pipeline, queries)
    },
    drop({generation}) {
      engines.delete(generation)
    },
  }
}, {runBatch: batchBuffers})
