// Flags shared by the commands that read the serving store's impressions: the clock, the window and what a conversion is.
import {Errors, Flags} from '@oclif/core'

import {DEFAULT_CONVERSION, HOUR_MS, MAX_DAYS, parseTime} from '../../lib/analytics/index.js'
import {formatRecError, isRecError} from '../../lib/errors.js'
import {parseNumber} from './flag-values.js'

export const nowFlag = Flags.custom<number>({
  description: 'Evaluate as of this time (ms since 1970 or ISO, e.g. 2024-06-10T12:00:00Z): the window ends here. Default: now.',
  helpValue: '<time>',
  parse: async (text) => {
    try {
      return parseTime(text)
    } catch (error) {
      // a CLIError, so that oclif prints "Parsing --now ..." and RecCommand one line with exit 2
      throw isRecError(error) ? new Errors.CLIError(formatRecError(error)) : error
    }
  },
})()

export const daysFlag = Flags.custom<number>({
  description: `Only impressions of the last N x 24 h (1 to ${MAX_DAYS}); default all.`,
  helpValue: '<integer>',
  parse: async (text) => parseNumber(text, {integer: true, minimum: 1, maximum: MAX_DAYS}),
})()

export const conversionFlags = {
  'conversion-events': Flags.string({description: `Events that convert a click, comma-separated [default: ${DEFAULT_CONVERSION.events.join(',')}].`, helpValue: '<event,...>'}),
  'conversion-window': Flags.custom<number>({
    description: `Hours after a click within which a conversion counts [default: ${DEFAULT_CONVERSION.windowMs / HOUR_MS}].`,
    helpValue: '<hours>',
    parse: async (text) => parseNumber(text, {integer: false, exclusiveMinimum: 0}),
  })(),
}

/** The conversion flags as the library's partial spec (the library checks the events). */
export function conversionOf(flags: {'conversion-events'?: string; 'conversion-window'?: number}): {events?: string[]; windowMs?: number} {
  return {
    ...(flags['conversion-events'] === undefined ? {} : {events: flags['conversion-events'].split(',').map((e) => e.trim()).filter(Boolean)}),
    ...(flags['conversion-window'] === undefined ? {} : {windowMs: flags['conversion-window'] * HOUR_MS}),
  }
}
