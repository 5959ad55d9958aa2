// The --val-frac / --test-frac flags shared by the importers and `rec data split`.
import {Flags} from '@oclif/core'

/** Strings on purpose: toSplitRequest parses and range-checks them, so a bad value is a one-line RecError. */
export const fractionFlags = {
  'val-frac': Flags.string({description: 'temporal-global: share of interactions (by time) for val [default: 0.1].'}),
  'test-frac': Flags.string({description: 'temporal-global: share of the latest interactions for test [default: 0.1].'}),
}
