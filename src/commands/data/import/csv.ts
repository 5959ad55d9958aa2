// rec data import csv FILE --out D --map ...: thin wrapper over importCsv.
import {Args, Flags} from '@oclif/core'

import {parseColumnMap} from '../../../lib/dataset/import/column-map.js'
import {importCsv} from '../../../lib/dataset/import/csv.js'
import {TS_FORMATS} from '../../../lib/dataset/import/timestamps.js'
import type {DatasetManifest} from '../../../lib/dataset/manifest.js'
import {summarizeManifest} from '../../../lib/dataset/manifest-summary.js'
import {SPLIT_METHODS, toSplitRequest} from '../../../lib/dataset/split-options.js'
import {fractionFlags} from '../_flags/split-flags.js'
import {RecCommand} from '../../_cli/rec-command.js'

export default class DataImportCsv extends RecCommand {
  static override summary = 'Import an interactions CSV, TSV or Parquet file (and optional users/items files) as a dataset.'

  static override description = `The format follows the extension (.csv, .tsv, .parquet). --map names the source column of each field; an unmapped field uses a column of its own name. Ids are int64, read exactly (no float rounding). ts may be unix seconds, unix ms or ISO-8601 (a value without a zone is UTC); auto-detection reads a numeric column as seconds when every |value| < 1e11. Without an event column the event is "rating" when a weight column is mapped and "click" otherwise; weight defaults to 1. In --users/--items files every column but the id is a feature: numeric when every value parses as a number, else categorical; --multi names "|"-separated list columns (multi-categorical). Users and items that only interactions mention are added with missing features. Any malformed line stops the import with its file and line number; nothing is written.`

  static override examples = [
    '<%= config.bin %> data import csv events.csv --out data/shop --map user_id=uid,item_id=sku,ts=time,event=action',
    '<%= config.bin %> data import csv ratings.csv --out data/mlsmall --map user_id=userId,item_id=movieId,ts=timestamp,weight=rating --items movies.csv --items-id-col movieId --multi genres',
    '<%= config.bin %> data import csv clicks.parquet --out data/clicks --split temporal-global --test-frac 0.2',
  ]

  static override args = {
    file: Args.string({description: 'Interactions file (.csv, .tsv or .parquet)', required: true}),
  }

  static override flags = {
    out: Flags.string({char: 'o', description: 'Dataset directory to create.', required: true}),
    map: Flags.string({description: 'field=column pairs: user_id, item_id, ts (required), event, weight (optional).'}),
    users: Flags.string({description: 'Users file (.csv, .tsv or .parquet): an id column plus features.'}),
    items: Flags.string({description: 'Items file (.csv, .tsv or .parquet): an id column plus features.'}),
    'users-id-col': Flags.string({description: 'Id column of --users.', default: 'user_id'}),
    'items-id-col': Flags.string({description: 'Id column of --items.', default: 'item_id'}),
    multi: Flags.string({description: 'Comma-separated users/items columns whose cells are "|"-separated lists.', multiple: true, delimiter: ','}),
    'ts-format': Flags.option({options: TS_FORMATS, description: 'How to read ts.', default: 'auto'})(),
    split: Flags.option({options: SPLIT_METHODS, description: 'How to split interactions by time.', default: 'leave-last-out'})(),
    ...fractionFlags,
    name: Flags.string({description: 'Dataset name in dataset.json [default: the file name].'}),
    force: Flags.boolean({description: 'Replace an existing output directory.', default: false}),
  }

  async run(): Promise<{out: string; seconds: number; manifest: DatasetManifest}> {
    const {args, flags} = await this.parse(DataImportCsv)
    const split = toSplitRequest(flags.split, flags['val-frac'], flags['test-frac'])
    const map = parseColumnMap(flags.map ?? '')
    const started = performance.now()
    const manifest = await importCsv(args.file, {
      out: flags.out,
      map,
      users: flags.users,
      items: flags.items,
      usersIdCol: flags['users-id-col'],
      itemsIdCol: flags['items-id-col'],
      multiColumns: flags.multi?.map((c) => c.trim()).filter((c) => c !== ''),
      tsFormat: flags['ts-format'],
      split,
      name: flags.name,
      force: flags.force,
      reporter: this.reporter(),
    })
    const seconds = (performance.now() - started) / 1000
    this.say(`imported ${args.file} into ${flags.out} in ${seconds.toFixed(2)} s (timestamps read as ${String(manifest.source.params.tsFormat)})`)
    this.say(summarizeManifest(manifest))
    return {out: flags.out, seconds, manifest}
  }
}
