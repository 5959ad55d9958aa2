// The --val-frac / --test-frac flags shared by gen-data, the importers, `rec data split` and `rec data window`.
import {SplitFractionsSchema} from '../../../lib/dataset/split-options.js'
import {schemaFlags} from '../../_cli/schema-flags.js'

/** Number flags (range-checked like every schema flag); toSplitRequest checks how they combine with the method. */
export const fractionFlags = schemaFlags(SplitFractionsSchema)
