// One worker thread of a pool: numbered calls and their replies, its start-up, and its death.
import type {Worker} from 'node:worker_threads'

import type {RecErrorCode} from '../errors.js'
import type {CallMessage, CallName, Protocol, ReplyMessage, RequestOf, ResponseOf} from './pool-protocol.js'
import {fromFailure, type WorkerFailure} from './worker-failure.js'

interface Waiter {
  resolve(value: unknown): void
  reject(error: Error): void
}

/**
 * A started Worker running serveWorker. Contract: every call settles exactly once, with its
 * response, its failure, or the worker's death; a call made after the death rejects at once with
 * the same error. Death is any exit: a crash (the error it threw), a failed start (that failure),
 * terminate(), or the thread ending on its own. `label` names it in errors ("a pipeline worker
 * exited with code 1"); `failureCode` is the RecError code given to failures that crossed without one.
 */
export class PoolWorker<P extends Protocol> {
  /** Resolves when the handlers are ready; rejects with the start-up failure or the death before it. */
  readonly started: Promise<void>
  private readonly pending = new Map<number, Waiter>()
  private nextId = 0
  private death: Error | undefined

  constructor(
    readonly worker: Worker,
    label: string,
    private readonly failureCode: RecErrorCode | undefined,
    onExit: (dead: PoolWorker<P>) => void,
  ) {
    let ready = false
    let crash: Error | undefined
    let settleStart!: Waiter
    this.started = new Promise<void>((resolve, reject) => (settleStart = {resolve, reject}))
    // Nobody need wait for the start (calls queue in the worker meanwhile): its failure reaches them as the death.
    this.started.catch(() => {})
    worker.on('message', (message: ReplyMessage) => {
      if (message.type === 'ready') {
        ready = true
        settleStart.resolve(undefined)
      } else if (message.type === 'start-failed') {
        crash ??= this.failure(message.failure)
        settleStart.reject(crash)
        // Its handlers never came up: end it, so its calls fail now rather than wait forever.
        void worker.terminate()
      } else {
        const waiter = this.pending.get(message.id)
        this.pending.delete(message.id)
        if (message.type === 'done') waiter?.resolve(message.response)
        else waiter?.reject(this.failure(message.failure))
      }
    })
    worker.on('error', (error) => (crash ??= error))
    worker.on('exit', (code) => {
      const death = crash ?? new Error(`a ${label} worker exited with code ${code}${ready ? '' : ' while starting'}`)
      this.death = death
      settleStart.reject(death)
      for (const waiter of this.pending.values()) waiter.reject(death)
      this.pending.clear()
      onExit(this)
    })
  }

  get alive(): boolean {
    return this.death === undefined
  }

  /** Sends one call to this worker and resolves with its response. */
  call<K extends CallName<P>>(name: K, request: RequestOf<P, K>): Promise<ResponseOf<P, K>> {
    if (this.death) return Promise.reject(this.death)
    const id = ++this.nextId
    return new Promise((resolve, reject) => {
      // A request that cannot be cloned throws here and rejects the call before it is pending.
      this.worker.postMessage({id, name, request} satisfies CallMessage)
      this.pending.set(id, {resolve: resolve as (value: unknown) => void, reject})
    })
  }

  /** Sends a call that gets no reply (e.g. "drop generation 3"); nothing happens once the worker is dead. */
  notify<K extends CallName<P>>(name: K, request: RequestOf<P, K>): void {
    if (!this.death) this.worker.postMessage({name, request} satisfies CallMessage)
  }

  private failure(failure: WorkerFailure): Error {
    return fromFailure(failure, this.failureCode)
  }
}
