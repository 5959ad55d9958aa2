// The calls between the pipeline pool and its workers.
import type {MixerConfig} from '../mixer/config.js'
import type {ServingEngineSources} from './serving-engine.js'
import type {FeedBatch} from './feed-batch.js'
import type {FeedQuery, FeedRun} from './feed-run.js'

export type PipelineProtocol = {
  /** Builds model generation `generation` from `sources`; resolves once it can serve runs. */
  load: {request: {generation: number; sources: ServingEngineSources; config: MixerConfig}; response: void}
  /** One feed pipeline run against a loaded generation. */
  run: {request: {generation: number; query: FeedQuery}; response: FeedRun}
  /** Many users' feeds in one call (rec recommend: a chunk per message amortises the round trip). */
  runBatch: {request: {generation: number; queries: FeedQuery[]}; response: FeedBatch}
  /** Frees a generation (a notification: no reply). */
  drop: {request: {generation: number}; response: void}
}
