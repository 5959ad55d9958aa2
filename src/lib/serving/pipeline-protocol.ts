// The calls between the pipeline pool and its workers.
import type {MixerConfig} from '../mixer/config.js'
import type {ServingEngineSources} from './serving-engine.js'
import type {FeedBatch} from './feed-batch.js'
import type {FeedQuery, FeedRun} from './feed-run.js'

/** What a generation is built from: a model set (loaded once per `models` id, shared by its generations) and a mixer config. */
export interface GenerationLoad {
  /** ServingModels.id on the HTTP thread: generations with the same id share one copy of the models in a worker. */
  models: number
  sources: ServingEngineSources
  /** The arm's mixer config (the server's own without experiments). */
  config: MixerConfig
}

export type PipelineProtocol = {
  /** Builds generation `generation` (loading its models unless a live generation holds them); resolves once it can serve runs. */
  load: {request: GenerationLoad & {generation: number}; response: void}
  /** One feed pipeline run against a loaded generation. */
  run: {request: {generation: number; query: FeedQuery}; response: FeedRun}
  /** Many users' feeds in one call (rec recommend: a chunk per message amortises the round trip). */
  runBatch: {request: {generation: number; queries: FeedQuery[]}; response: FeedBatch}
  /** Frees a generation, and its models with the last generation on them (a notification: no reply). */
  drop: {request: {generation: number}; response: void}
}
