// Fails fast on a listen address that cannot be bound, before seconds of model loading.
import {createServer} from 'node:net'

import {RecError} from '../errors.js'

/** CONFLICT when something already listens on host:port, INVALID_ARGUMENT when the address cannot be bound here; port 0 always passes. */
export async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return
  const probe = createServer()
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject)
      probe.listen({host, port}, resolve)
    })
  } catch (error) {
    throw listenError(error, host, port)
  } finally {
    await new Promise<void>((resolve) => probe.close(() => resolve()))
  }
}

/** The RecError for a failed listen (also when the port is taken between the check and the real listen). */
export function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRINUSE') return new RecError('CONFLICT', `port ${port} on ${host} is already in use`, {hint: 'stop the server holding it or choose another --port (0 = any free port)', cause: error})
  if (code === 'EACCES') return new RecError('INVALID_ARGUMENT', `port ${port} on ${host} needs privileges this process lacks`, {hint: 'use a port above 1023', cause: error})
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') return new RecError('INVALID_ARGUMENT', `--host ${host} is not an address of this machine`, {hint: 'use 127.0.0.1, 0.0.0.0 or one of its interface addresses', cause: error})
  return error
}
