// rec data inspect D [--json]: thin wrapper over inspectDataset.
import {Args, Flags} from '@oclif/core'

import {RecError} from '../../lib/errors.js'
import {type DatasetReport, inspectDataset} from '../../lib/dataset/inspect.js'
import {formatDatasetReport} from '../../lib/dataset/inspect-format.js'
import {RecCommand} from '../_cli/rec-command.js'

export default class DataInspect extends RecCommand {
  static override summary = 'Show a dataset\'s schema, counts, split sizes, skew, event mix and validation problems.'

  static override description = `Problems checked: interactions whose user_id/item_id is missing from users/items, duplicate ids, val/test rows earlier than the same user's train rows, empty splits, split labels other than train/val/test, NaN or infinite weights, unknown events, follows naming unknown users, and tables that no longer match the fingerprint or counts in dataset.json. Problems are reported, not fatal, unless --strict is given.`

  static override examples = ['<%= config.bin %> data inspect data/ml100k', '<%= config.bin %> data inspect data/world --json', '<%= config.bin %> data inspect data/shop --strict']

  static override args = {
    dataset: Args.string({description: 'Dataset directory', required: true}),
  }

  static override flags = {
    strict: Flags.boolean({description: 'Exit with code 2 when any problem is found.', default: false}),
  }

  async run(): Promise<DatasetReport> {
    const {args, flags} = await this.parse(DataInspect)
    const report = await inspectDataset(args.dataset)
    for (const line of formatDatasetReport(report)) this.say(line)
    if (flags.strict && report.problems.length > 0) {
      throw new RecError('BAD_DATA', `${args.dataset}: ${report.problems.length} problems, first: ${report.problems[0].message}`)
    }
    return report
  }
}
