import {Flags} from '@oclif/core'

import {buildIndexFromCheckpoint, type IndexBuildResult} from '../../lib/index/checkpoint-index.js'
import {DEFAULT_EXACT_BELOW} from '../../lib/index/build-index.js'
import {DEFAULT_HNSW_PARAMS, HNSW_QUANTIZATIONS} from '../../lib/index/hnsw-params.js'
import {RecCommand} from '../_cli/rec-command.js'

export default class IndexBuild extends RecCommand {
  static override summary = 'Encode every item through the item tower and build an ANN index directory.'
  static override description = `HNSW (usearch, inner product on L2-normalised vectors) or, under --exact-below items or with --exact, a flat exact matrix. Recall@10 against exact search is measured on up to 1,000 real users' tower vectors and recorded in the manifest (the build time is printed, not recorded, so a rebuild gives the same bytes); under 0.95 it warns.`

  static override examples = [
    '<%= config.bin %> index build --ckpt ckpt/ml100k --out index/ml100k',
    '<%= config.bin %> index build --ckpt ckpt/world --dataset data/world --out index/world --exact-below 0 --connectivity 32',
    '<%= config.bin %> index build --ckpt ckpt/world --out index/world-f32 --quantization f32 --expansion-search 96',
  ]

  static override flags = {
    ckpt: Flags.directory({char: 'c', description: 'Retrieval checkpoint.', required: true}),
    dataset: Flags.directory({char: 'd', description: 'Dataset (default: the one the checkpoint was trained on).'}),
    out: Flags.string({char: 'o', description: 'Index directory to write.', required: true}),
    exact: Flags.boolean({description: 'Keep a flat matrix and search exactly.', default: false}),
    'exact-below': Flags.integer({min: 0, description: 'Catalogues smaller than this use exact search.', default: DEFAULT_EXACT_BELOW}),
    connectivity: Flags.integer({min: 2, description: 'HNSW M (edges per node).'}),
    'expansion-add': Flags.integer({min: 1, description: 'HNSW ef at construction.'}),
    'expansion-search': Flags.integer({min: 1, description: 'HNSW ef at search.'}),
    quantization: Flags.option({options: HNSW_QUANTIZATIONS, description: 'Scalar type of the HNSW graph\'s vectors (f16: half the memory, faster; scores rounded to about 1e-3).', default: DEFAULT_HNSW_PARAMS.quantization})(),
    'recall-users': Flags.integer({min: 0, description: 'Users whose vectors measure recall@10.', default: 1000}),
    seed: Flags.integer({description: 'Seed of the insertion order and the recall sample.', default: 0}),
    force: Flags.boolean({description: 'Replace an existing output directory.', default: false}),
  }

  async run(): Promise<IndexBuildResult> {
    const {flags} = await this.parse(IndexBuild)
    const manifest = await buildIndexFromCheckpoint({
      ckpt: flags.ckpt,
      dataset: flags.dataset,
      out: flags.out,
      force: flags.force,
      exact: flags.exact || undefined,
      exactBelow: flags['exact-below'],
      connectivity: flags.connectivity,
      expansionAdd: flags['expansion-add'],
      expansionSearch: flags['expansion-search'],
      quantization: flags.quantization,
      recallUsers: flags['recall-users'],
      seed: flags.seed,
      reporter: this.reporter(),
    })
    const recall = manifest.recall ? `recall@10 ${manifest.recall.value.toFixed(4)} (${manifest.recall.measuredOn})` : 'recall not measured'
    this.say(`wrote ${flags.out}: ${manifest.kind} index of ${manifest.count} x ${manifest.dims} in ${manifest.buildSeconds.toFixed(2)}s, ${recall}`)
    return manifest
  }
}
