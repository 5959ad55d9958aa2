// rec data split D --method ... (--out D2 | --in-place): thin wrapper over resplitDataset.
import {Args, Flags} from '@oclif/core'

import type {DatasetManifest} from '../../lib/dataset/manifest.js'
import {summarizeManifest} from '../../lib/dataset/manifest-summary.js'
import {resplitDataset} from '../../lib/dataset/resplit.js'
import {SPLIT_METHODS, toSplitRequest} from '../../lib/dataset/split-options.js'
import {fractionFlags} from './_flags/split-flags.js'
import {RecCommand} from '../_cli/rec-command.js'

export default class DataSplit extends RecCommand {
  static override summary = 'Re-split an existing dataset by time.'

  static override description = `leave-last-out: per user, the last interaction -> test, the second-last -> val, the rest -> train (users with fewer than 3 interactions keep all in train). temporal-global: global time cut-offs, the latest --test-frac of interactions -> test and the --val-frac before them -> val. Ties in time keep file order. The tables are rewritten with the new split column, so the fingerprint changes; checkpoints trained on the old split will no longer match it.`

  static override examples = [
    '<%= config.bin %> data split data/ml100k --method temporal-global --val-frac 0.1 --test-frac 0.1 --out data/ml100k-tg',
    '<%= config.bin %> data split data/world --method leave-last-out --in-place',
  ]

  static override args = {
    dataset: Args.string({description: 'Dataset directory', required: true}),
  }

  static override flags = {
    method: Flags.option({options: SPLIT_METHODS, description: 'How to split interactions by time.', required: true})(),
    ...fractionFlags,
    out: Flags.string({char: 'o', description: 'Write the re-split dataset here (or give --in-place).'}),
    'in-place': Flags.boolean({description: 'Replace the input dataset (atomically).', default: false}),
    force: Flags.boolean({description: 'Replace an existing --out directory.', default: false}),
  }

  async run(): Promise<{out: string; manifest: DatasetManifest}> {
    const {args, flags} = await this.parse(DataSplit)
    const request = toSplitRequest(flags.method, flags['val-frac'], flags['test-frac'], '--method')
    const manifest = await resplitDataset(args.dataset, request, {out: flags.out, inPlace: flags['in-place'], force: flags.force})
    const out = flags.out ?? args.dataset
    this.say(`wrote ${out}: ${summarizeManifest(manifest)}; fingerprint ${manifest.fingerprint.slice(0, 16)}`)
    return {out, manifest}
  }
}
