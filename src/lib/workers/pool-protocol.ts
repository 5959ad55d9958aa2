// The typed calls a pool's workers serve, and the messages that carry them across the thread boundary.
import type {WorkerFailure} from './worker-failure.js'

/**
 * A worker's calls by name, each with its request and response type, e.g.
 * `{rank: {request: {block: number}; response: number}}`. Both must survive structured cloning
 * (no class instances, no functions); typed arrays over a SharedArrayBuffer are shared, not copied.
 */
export type Protocol = Record<string, {request: unknown; response: unknown}>

export type CallName<P extends Protocol> = keyof P & string
export type RequestOf<P extends Protocol, K extends CallName<P>> = P[K]['request']
export type ResponseOf<P extends Protocol, K extends CallName<P>> = P[K]['response']

/** Main -> worker: one call; without `id` it is a notification and gets no reply. */
export interface CallMessage {
  id?: number
  name: string
  request: unknown
}

/** Worker -> main: its handlers are ready or could not start, or the reply to call `id`. */
export type ReplyMessage =
  | {type: 'ready'}
  | {type: 'start-failed'; failure: WorkerFailure}
  | {type: 'done'; id: number; response: unknown}
  | {type: 'failed'; id: number; failure: WorkerFailure}
