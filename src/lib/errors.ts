// One error type for the whole library: the CLI maps it to exit 2, the HTTP layer to a 4xx.

/** The fixed set of failure kinds; each says what the caller did wrong, not where the code broke. */
export type RecErrorCode =
  | 'INVALID_ARGUMENT' // a flag, config key or parameter is out of range or unknown
  | 'NOT_FOUND' // a file, directory or id does not exist
  | 'ALREADY_EXISTS' // an output exists and --force was not given
  | 'BAD_SCHEMA' // a file lacks a column or has the wrong type
  | 'BAD_DATA' // a value is malformed (unparsable number, NaN, duplicate id)
  | 'EMPTY' // nothing to work on (empty file, empty split)
  | 'MISMATCH' // two inputs disagree (fingerprint, kind, shape)
  | 'CONFLICT' // a concurrent writer or a lock holds the resource
  | 'UNAVAILABLE' // a service it needs (the database) cannot be reached now; retrying later may work

export interface RecErrorOptions {
  /** How to fix it, shown after the message. */
  hint?: string
  cause?: unknown
}

export class RecError extends Error {
  readonly code: RecErrorCode
  readonly hint?: string

  constructor(code: RecErrorCode, message: string, options: RecErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'RecError'
    this.code = code
    this.hint = options.hint
  }
}

export function isRecError(error: unknown): error is RecError {
  return error instanceof RecError
}

/** One line for a human: message plus hint. */
export function formatRecError(error: RecError): string {
  return error.hint ? `${error.message} (${error.hint})` : error.message
}
