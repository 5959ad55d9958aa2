// rec train retrieval: trains a two-tower model; the config keys' flags come from RetrievalConfigSchema.
import {Flags} from '@oclif/core'

import {loadConfig} from '../../lib/config/load-config.js'
import {RetrievalConfigSchema} from '../../lib/models/two-tower/config.js'
import {trainRetrieval, type TrainRetrievalResult} from '../../lib/training/train-retrieval.js'
import {RecCommand} from '../_cli/rec-command.js'
import {flagOverrides, schemaFlags} from '../_cli/schema-flags.js'

export default class TrainRetrieval extends RecCommand {
  static override summary = 'Train a two-tower retrieval model and write a checkpoint directory.'
  static override description = `Trains user and item towers with in-batch sampled softmax (temperature, logQ correction, masked
in-batch duplicates, optional uniform and hard negatives). Examples are causal: an example's history holds
only train interactions strictly before it. Each epoch ranks the full catalogue for every val user (train
history excluded) and reports Recall/NDCG/MRR; early stopping on val NDCG@10 keeps the best epoch.
Config keys (YAML) are the flag names below; flags override the file.`

  static override examples = [
    '<%= config.bin %> train retrieval --dataset data/ml100k --config config/movielens.yaml --out ckpt/ml100k',
    '<%= config.bin %> train retrieval --dataset data/world --config config/synthetic-small.yaml --user-encoder gru --out ckpt/gru',
    '<%= config.bin %> train retrieval --dataset data/ml100k --init-from ckpt/ml100k --epochs 5 --out ckpt/ml100k-ft --json',
    '<%= config.bin %> train retrieval --dataset data/ml100k --config config/movielens.yaml --workers 1 --out ckpt/one-thread',
  ]

  static override flags = {
    dataset: Flags.directory({char: 'd', description: 'Dataset directory.', required: true}),
    out: Flags.string({char: 'o', description: 'Checkpoint directory to write.', required: true}),
    config: Flags.file({char: 'c', description: 'YAML config (see config/*.yaml).'}),
    force: Flags.boolean({description: 'Replace an existing output directory.', default: false}),
    resume: Flags.boolean({description: 'Continue an interrupted run from <out>.resume/ (same config and dataset).', default: false}),
    'init-from': Flags.directory({description: 'Warm start from a retrieval checkpoint (tensors matched by name and shape).'}),
    ...schemaFlags(RetrievalConfigSchema),
  }

  async run(): Promise<TrainRetrievalResult> {
    const {flags} = await this.parse(TrainRetrieval)
    const config = await loadConfig(RetrievalConfigSchema, flags.config, flagOverrides(RetrievalConfigSchema, flags))
    const result = await trainRetrieval({dataset: flags.dataset, out: flags.out, config, force: flags.force, initFrom: flags['init-from'], resume: flags.resume, reporter: this.reporter()})
    const best = result.epochs.find((e) => e.epoch === result.bestEpoch)
    const k = config.ks.includes(10) ? 10 : config.ks[0]
    this.say(`protocol: ${result.protocol}`)
    this.say(`best epoch ${result.bestEpoch}: val recall@${k} ${result.metrics[`val.recall@${k}`]?.toFixed(4)}  ndcg@${k} ${result.metrics[`val.ndcg@${k}`]?.toFixed(4)}  (most-popular: recall@${k} ${result.popularBaseline[`val.recall@${k}`]?.toFixed(4)}  ndcg@${k} ${result.popularBaseline[`val.ndcg@${k}`]?.toFixed(4)})`)
    this.say(`${result.examples} examples, ${best?.examplesPerSecond ?? 0} examples/s on ${result.backend}; wrote ${result.out} in ${result.seconds.toFixed(1)}s`)
    return result
  }
}
