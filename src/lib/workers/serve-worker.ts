// The worker side of a pool: builds the worker's handlers once from its workerData, then answers each call.
import {parentPort, workerData} from 'node:worker_threads'

import type {CallMessage, CallName, Protocol, ReplyMessage, RequestOf, ResponseOf} from './pool-protocol.js'
import {toFailure} from './worker-failure.js'

/** One function per call of the protocol; async handlers may overlap (a pipeline worker holds two runs). */
export type Handlers<P extends Protocol> = {[K in CallName<P>]: (request: RequestOf<P, K>) => ResponseOf<P, K> | Promise<ResponseOf<P, K>>}

/** Per call, the buffers of its response to move to the main thread rather than copy; they are unusable here afterwards. */
export type Transfers<P extends Protocol> = {[K in CallName<P>]?: (response: ResponseOf<P, K>) => ArrayBuffer[]}

/**
 * Serves the calls of `P` on this worker thread. `start(workerData)` runs once (it may be async, e.g.
 * a tfjs backend starting) and its outcome is reported first, as 'ready' or 'start-failed'; calls
 * that arrive meanwhile wait for it. Each call is started in arrival order and answered when it
 * settles: its response, or its error as a WorkerFailure (a RecError keeps its code and hint).
 * A notification that fails is left uncaught and ends the worker, which its pool handles as a death.
 */
export function serveWorker<P extends Protocol, D = unknown>(start: (data: D) => Handlers<P> | Promise<Handlers<P>>, transfers: Transfers<P> = {}): void {
  const port = parentPort
  if (!port) throw new Error('serveWorker must run in a worker thread (spawn the module with WorkerPool)')
  const post = (message: ReplyMessage, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer)
  const handlers = (async () => start(workerData as D))()
  handlers.then(
    () => post({type: 'ready'}),
    (error: unknown) => post({type: 'start-failed', failure: toFailure(error)}),
  )
  port.on('message', ({id, name, request}: CallMessage) => {
    const result = handlers.then((served) => (served as Record<string, (request: unknown) => unknown>)[name](request))
    if (id === undefined) return
    const transfer = transfers[name] as ((response: unknown) => ArrayBuffer[]) | undefined
    // A response that cannot be cloned fails its call like a thrown error.
    result
      .then((response) => post({type: 'done', id, response}, transfer?.(response)))
      .catch((error: unknown) => post({type: 'failed', id, failure: toFailure(error)}))
  })
}
