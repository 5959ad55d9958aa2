// Base class of every rec command: --json/--verbose, one error path (one line, exit 2), a Reporter.
import {Command, Flags, Interfaces} from '@oclif/core'

import {formatRecError, isRecError} from '../../lib/errors.js'
import type {Reporter} from '../../lib/reporter.js'
import {writeFailure} from './error-output.js'
import {createCliReporter} from './reporter.js'

export type RecFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof RecCommand)['baseFlags'] & T['flags']>

export abstract class RecCommand extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    verbose: Flags.boolean({description: 'Print stack traces with errors.', default: false, helpGroup: 'GLOBAL'}),
    quiet: Flags.boolean({char: 'q', description: 'Print no progress or summary text on stderr.', default: false, helpGroup: 'GLOBAL'}),
  }

  private verbose = false
  private quietMode = false

  /** Human text goes to stderr so that stdout carries only --json output. */
  protected say(message: string): void {
    if (!this.quietMode) process.stderr.write(message + '\n')
  }

  protected reporter(): Reporter {
    return createCliReporter({quiet: this.quietMode})
  }

  protected override async init(): Promise<void> {
    this.verbose = this.argv.includes('--verbose')
    this.quietMode = this.argv.includes('--quiet') || this.argv.includes('-q')
    await super.init()
  }

  protected override async catch(error: Error & {exitCode?: number; oclif?: {exit?: number}}): Promise<unknown> {
    if (error.oclif?.exit !== undefined && error.message.startsWith('EEXIT')) throw error
    const stack = this.verbose ? error.stack : undefined
    const json = this.jsonEnabled()
    if (isRecError(error)) return this.exit(writeFailure({code: error.code, message: formatRecError(error), stack}, {json}))
    // oclif's own parse errors (unknown flag, missing argument, bad option) are bad input too.
    // (and the plain Errors of Flags.file/directory({exists: true}) for a missing path)
    if (error.oclif || /Parse|Flag|Arg|Validation/.test(error.constructor?.name ?? '') || /^No (file|directory) found at /.test(error.message)) {
      return this.exit(writeFailure({code: 'INVALID_ARGUMENT', message: oneLine(error.message), stack}, {json}))
    }
    return this.exit(writeFailure({code: 'INTERNAL', message: error.message, stack, internal: true}, {json}))
  }
}

/** oclif's multi-line parse messages ("The following error occurred:\n  Missing required flag ...") as one line. */
function oneLine(message: string): string {
  const parts = message
    .split('\n')
    .map((line) => line.replace(/^[\s›]*(Error:)?\s*/, '').trim())
    .filter((line) => line && !/^The following errors? occurred:?$/.test(line) && !line.startsWith('See more help with'))
  return parts.join(': ').replace(/::/g, ':') || message.trim()
}
