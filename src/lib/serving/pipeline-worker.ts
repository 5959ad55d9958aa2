// Worker thread of the pipeline pool: loads model generations on request and runs feed pipelines against them.
import {parentPort} from 'node:worker_threads'

import {type Dataset, readDataset} from '../dataset/store.js'
import {type Engine, loadEngine} from './engine.js'
import {runFeed} from './feed-run.js'
import type {PoolReply, PoolRequest} from './pipeline-messages.js'
import {toFailure} from '../workers/worker-failure.js'

const port = parentPort
if (!port) throw new Error('pipeline-worker must run as a worker thread')

/** Several generations while a reload is under way: requests started on the old one finish on it. */
const engines = new Map<number, Engine>()
/** Read once per path and reused by reloads, as the HTTP thread does, so both build the same world. */
const datasets = new Map<string, Promise<Dataset>>()
const reply = (message: PoolReply) => port.postMessage(message)

const handlers: {[T in PoolRequest['type']]: (request: Extract<PoolRequest, {type: T}>) => void} = {
  load(request) {
    const {sources, config, generation} = request
    if (!datasets.has(sources.dataset)) datasets.set(sources.dataset, readDataset(sources.dataset))
    const loading = datasets.get(sources.dataset)!.then((dataset) => loadEngine(sources, config, {dataset, generation, userVectors: false}))
    loading.then(
      (engine) => {
        engines.set(generation, engine)
        reply({type: 'loaded', generation})
      },
      (error: unknown) => reply({type: 'load-failed', generation, failure: toFailure(error)}),
    )
  },
  run(request) {
    const engine = engines.get(request.generation)
    if (!engine) return reply({type: 'failed', id: request.id, failure: {message: `generation ${request.generation} is not loaded in this worker`}})
    runFeed(engine.pipeline, request.query).then(
      (run) => reply({type: 'done', id: request.id, run}),
      (error: unknown) => reply({type: 'failed', id: request.id, failure: toFailure(error)}),
    )
  },
  drop(request) {
    engines.delete(request.generation)
  },
}

port.on('message', (request: PoolRequest) => (handlers[request.type] as (r: PoolRequest) => void)(request))
