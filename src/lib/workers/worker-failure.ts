// An error crossing a thread boundary as data: a RecError keeps its code and hint (so the CLI and HTTP layers
// still map it to exit 2 or a 4xx), anything else keeps its message.
import {isRecError, RecError, type RecErrorCode} from '../errors.js'

export interface WorkerFailure {
  code?: RecErrorCode
  message: string
  hint?: string
}

export function toFailure(error: unknown): WorkerFailure {
  if (isRecError(error)) return {code: error.code, message: error.message, hint: error.hint}
  return {message: error instanceof Error ? error.message : String(error)}
}

/** The error again on the receiving thread; a failure without a code becomes a RecError of `fallback` when one is given, else a plain Error. */
export function fromFailure(failure: WorkerFailure, fallback?: RecErrorCode): Error {
  const code = failure.code ?? fallback
  return code ? new RecError(code, failure.message, {hint: failure.hint}) : new Error(failure.message)
}
