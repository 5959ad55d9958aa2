import {Flags} from '@oclif/core'

import {exportInteractions, type ExportResult} from '../../lib/serving/export-interactions.js'
import {RecCommand} from '../_cli/rec-command.js'
import {serverStoreFlags} from '../_cli/store-flags.js'

export default class ExportInteractions extends RecCommand {
  static override summary = 'Export interactions and impressions stored by `rec serve` as a dataset for the next training run.'
  static override description = `Reads the store (--state DIR of a SQLite server, or --store postgres://... / REC_DATABASE_URL of replicas on PostgreSQL) and writes --dataset's tables with the stored interactions and the logged impressions (event "impression", with their position) appended in time order (split "train"; unknown users appended with null features). With impressions the ranker trains on impression examples: shown-and-ignored items are its negatives, and events with no earlier impression label nothing. --no-impressions leaves them out.`

  static override examples = [
    '<%= config.bin %> data export-interactions --state state/ --dataset data/world --out data/world-2',
    '<%= config.bin %> data export-interactions --state state/ --dataset data/world --out data/world-2 --force --json',
    '<%= config.bin %> data export-interactions --store postgres://rec@db.internal/rec --dataset data/world --out data/world-2',
  ]

  static override flags = {
    ...serverStoreFlags,
    dataset: Flags.directory({char: 'd', description: 'Dataset the server ran on.', required: true}),
    out: Flags.string({char: 'o', description: 'Dataset directory to write.', required: true}),
    force: Flags.boolean({description: 'Replace an existing output directory.', default: false}),
    impressions: Flags.boolean({description: 'Also write the logged impressions (--no-impressions: interactions only).', default: true, allowNo: true}),
  }

  async run(): Promise<Omit<ExportResult, 'manifest'> & {interactions: number}> {
    const {flags} = await this.parse(ExportInteractions)
    const result = await exportInteractions(flags)
    this.say(`exported ${result.exported} interactions and ${result.impressions} impressions (${result.newUsers} new users) to ${result.out}`)
    return {out: result.out, exported: result.exported, impressions: result.impressions, newUsers: result.newUsers, interactions: result.manifest.counts.interactions}
  }
}
