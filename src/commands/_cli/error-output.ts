// The one way the CLI reports a failure: `rec: error: ...` on stderr and, with --json, {"error": {code, message}} on stdout.

/** What a failure is called in JSON: a RecError code, INVALID_ARGUMENT for bad flags or commands, INTERNAL for a bug. */
export interface CliFailure {
  code: string
  message: string
  /** Printed after the line with --verbose. */
  stack?: string
  /** A bug rather than bad input: "internal error" and exit 1. */
  internal?: boolean
}

/** Writes the failure and returns its exit code (2 for bad input, 1 for an internal error). */
export function writeFailure(failure: CliFailure, options: {json: boolean}): number {
  const stack = failure.stack ? `\n${failure.stack}` : ''
  if (failure.internal) process.stderr.write(`rec: internal error: ${failure.message}${stack || ' (run with --verbose for the stack trace)'}\n`)
  else process.stderr.write(`rec: error: ${failure.message}${stack}\n`)
  // scripts reading stdout get a parseable answer for a failure as for a success
  if (options.json) process.stdout.write(`${JSON.stringify({error: {code: failure.code, message: failure.message}})}\n`)
  return failure.internal ? 1 : 2
}
