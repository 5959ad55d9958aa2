// The messages between the pipeline pool and its workers.
import type {MixerConfig} from '../mixer/config.js'
import type {EngineSources} from './engine.js'
import type {WorkerFailure} from '../workers/worker-failure.js'
import type {FeedQuery, FeedRun} from './feed-run.js'

export type PoolRequest =
  | {type: 'load'; generation: number; sources: EngineSources; config: MixerConfig}
  | {type: 'run'; id: number; generation: number; query: FeedQuery}
  | {type: 'drop'; generation: number}

export type PoolReply =
  | {type: 'loaded'; generation: number}
  | {type: 'load-failed'; generation: number; failure: WorkerFailure}
  | {type: 'done'; id: number; run: FeedRun}
  | {type: 'failed'; id: number; failure: WorkerFailure}
