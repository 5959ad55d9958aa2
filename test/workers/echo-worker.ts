// A fixture worker for the worker-pool tests: echoes, waits, fails and crashes on request.
import {RecError} from '../../src/lib/errors.js'
import {serveWorker} from '../../src/lib/workers/serve-worker.js'

export type EchoProtocol = {
  /** The worker's workerData tag and the request. */
  echo: {request: number; response: [string, number]}
  /** Resolves with `value` after `ms`. */
  wait: {request: {ms: number; value: number}; response: number}
  /** Throws a RecError when `code` is given, else a plain Error. */
  fail: {request: {code?: 'NOT_FOUND'}; response: never}
  /** Ends the thread with exit code 3. */
  crash: {request: null; response: never}
  /** Records `value`; `total` returns the sum of those seen. */
  add: {request: number; response: void}
  total: {request: null; response: number}
}

export interface EchoData {
  tag: string
  failStart?: boolean
}

serveWorker<EchoProtocol, EchoData>(async ({tag, failStart}) => {
  if (failStart) throw new RecError('BAD_DATA', 'cannot start', {hint: 'fix the data'})
  let sum = 0
  return {
    echo: (n) => [tag, n],
    wait: ({ms, value}) => new Promise((resolve) => setTimeout(() => resolve(value), ms)),
    fail({code}) {
      throw code ? new RecError(code, 'no such thing', {hint: 'make it'}) : new Error('plain')
    },
    crash: () => process.exit(3),
    add(value) {
      sum += value
    },
    total: () => sum,
  }
})
