// rec data import movielens DIR --out D: thin wrapper over importMovielens.
import {Args, Flags} from '@oclif/core'

import {importMovielens} from '../../../lib/dataset/import/movielens.js'
import type {DatasetManifest} from '../../../lib/dataset/manifest.js'
import {summarizeManifest} from '../../../lib/dataset/manifest-summary.js'
import {SPLIT_METHODS, toSplitRequest} from '../../../lib/dataset/split-options.js'
import {fractionFlags} from '../_flags/split-flags.js'
import {RecCommand} from '../../_cli/rec-command.js'

export default class DataImportMovielens extends RecCommand {
  static override summary = 'Import a MovieLens 100K or 1M directory as a dataset.'

  static override description = `The layout is detected from the files: 100K (u.data, u.item, u.user, u.genre) or 1M (ratings.dat, movies.dat, users.dat). Every rating becomes an interaction with event "rating", weight = the stars and ts = the rating time; positives are {rating: 1}. Items get title (text), year (numeric, null when unknown) and genres (multi-categorical); users get age (numeric), gender and occupation (categorical). The split is written into interactions.parquet.`

  static override examples = [
    '<%= config.bin %> data import movielens ../shared/data/ml-100k --out data/ml100k',
    '<%= config.bin %> data import movielens ml-1m --out data/ml1m --split temporal-global --val-frac 0.1 --test-frac 0.1',
  ]

  static override args = {
    dir: Args.string({description: 'MovieLens directory (holding u.data or ratings.dat)', required: true}),
  }

  static override flags = {
    out: Flags.string({char: 'o', description: 'Dataset directory to create.', required: true}),
    split: Flags.option({options: SPLIT_METHODS, description: 'How to split interactions by time.', default: 'leave-last-out'})(),
    ...fractionFlags,
    name: Flags.string({description: 'Dataset name in dataset.json [default: movielens-100k or movielens-1m].'}),
    force: Flags.boolean({description: 'Replace an existing output directory.', default: false}),
  }

  async run(): Promise<{out: string; seconds: number; manifest: DatasetManifest}> {
    const {args, flags} = await this.parse(DataImportMovielens)
    const split = toSplitRequest(flags.split, flags['val-frac'], flags['test-frac'])
    const started = performance.now()
    const manifest = await importMovielens(args.dir, {out: flags.out, split, name: flags.name, force: flags.force, reporter: this.reporter()})
    const seconds = (performance.now() - started) / 1000
    this.say(`imported MovieLens ${String(manifest.source.params.layout).toUpperCase()} from ${args.dir} into ${flags.out} in ${seconds.toFixed(2)} s`)
    this.say(summarizeManifest(manifest))
    return {out: flags.out, seconds, manifest}
  }
}
