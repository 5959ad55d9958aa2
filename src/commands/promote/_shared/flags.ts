// Flags and args shared by the promote commands: registry directory, version number, production guardrail.
import {Args, Flags} from '@oclif/core'

import {DEFAULT_MAX_REGRESSION, parseVersion} from '../../../lib/registry/index.js'

export const registryFlag = Flags.string({
  char: 'r',
  description: 'Registry directory (holds registry.json).',
  env: 'REC_REGISTRY',
  required: true,
})

// The range check lives in the library (checkGuardOptions) so that it fails with one clean line.
const number = Flags.custom<number>({
  parse: async (input) => (input.trim() === '' ? Number.NaN : Number(input)),
})

/** A version number; parsed here with a RecError so a typo exits 2 with one line (Args.integer's error does not). */
export const versionArg = Args.custom<number>({
  description: 'Registered version number (see rec promote list).',
  parse: async (input) => parseVersion(input),
})

/** The guardrail on "production" and "*-production" aliases. */
export const guardFlags = {
  'max-regression': number({
    description: `Largest allowed worsening of the metric against the current production version (fraction of it with --regression relative, metric units with absolute).`,
    default: DEFAULT_MAX_REGRESSION,
  }),
  regression: Flags.option({
    options: ['relative', 'absolute'] as const,
    description: 'How --max-regression is measured.',
    default: 'relative' as const,
  })(),
  force: Flags.boolean({description: 'Move a production alias even if the guardrail refuses (the content-hash check still applies).', default: false}),
  'lower-is-better': Flags.boolean({description: 'The metric is loss-like (smaller is better).', default: false}),
}
