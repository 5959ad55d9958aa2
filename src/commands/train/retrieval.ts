import {Flags} from '@oclif/core'

import {loadConfig} from '../../lib/config/load-config.js'
import {RecError} from '../../lib/errors.js'
import {RetrievalConfigSchema} from '../../lib/models/two-tower/config.js'
import {trainRetrieval, type TrainRetrievalResult} from '../../lib/training/train-retrieval.js'
import {RecCommand} from '../_cli/rec-command.js'

function parseLayers(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined
  if (value.trim() === '') return []
  return value.split(',').map((part) => {
    const n = Number(part)
    if (!Number.isInteger(n) || n <= 0) throw new RecError('INVALID_ARGUMENT', `--tower-layers: "${part}" is not a positive integer`)
    return n
  })
}

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
    epochs: Flags.integer({min: 1, description: 'Maximum epochs.'}),
    'batch-size': Flags.integer({min: 2, description: 'Examples per step (also the in-batch negatives).'}),
    lr: Flags.string({description: 'Adam learning rate.'}),
    seed: Flags.integer({description: 'Seed for initialisation, shuffling and negatives.'}),
    dim: Flags.integer({min: 2, description: 'Embedding dimension.'}),
    'user-encoder': Flags.option({options: ['mean', 'gru', 'attention'] as const, description: 'History encoder of the user tower.'})(),
    'history-length': Flags.integer({min: 0, description: 'Most recent history items read by the user tower.'}),
    'tower-layers': Flags.string({description: 'Comma-separated MLP hidden sizes of both towers ("" = none).'}),
    temperature: Flags.string({description: 'Softmax temperature.'}),
    logq: Flags.boolean({allowNo: true, description: 'logQ correction of in-batch sampling.'}),
    'random-negatives': Flags.integer({min: 0, description: 'Extra uniform negatives per batch.'}),
    'hard-negatives': Flags.integer({min: 0, description: 'Hard negatives per example, mined each epoch from the model top items.'}),
    patience: Flags.integer({min: 1, description: 'Epochs without val NDCG@10 improvement before stopping.'}),
    'weight-decay': Flags.string({description: 'L2 weight decay.'}),
    backend: Flags.option({options: ['auto', 'node', 'wasm', 'cpu'] as const, description: 'Tensor backend.'})(),
    workers: Flags.string({
      description: 'Threads training in data parallel, or "auto": 2 on a multi-core machine when train examples x epochs >= 100k, else 1. Same seed and workers give the same bytes.',
    }),
  }

  async run(): Promise<TrainRetrievalResult> {
    const {flags} = await this.parse(TrainRetrieval)
    const number = (name: string, value: string | undefined) => {
      if (value === undefined) return undefined
      const n = Number(value)
      if (!Number.isFinite(n)) throw new RecError('INVALID_ARGUMENT', `--${name}: "${value}" is not a number`)
      return n
    }
    const config = await loadConfig(RetrievalConfigSchema, flags.config, {
      epochs: flags.epochs,
      'batch-size': flags['batch-size'],
      lr: number('lr', flags.lr),
      seed: flags.seed,
      dim: flags.dim,
      'user-encoder': flags['user-encoder'],
      'history-length': flags['history-length'],
      'tower-layers': parseLayers(flags['tower-layers']),
      temperature: number('temperature', flags.temperature),
      logq: flags.logq,
      'random-negatives': flags['random-negatives'],
      'hard-negatives': flags['hard-negatives'],
      patience: flags.patience,
      'weight-decay': number('weight-decay', flags['weight-decay']),
      backend: flags.backend,
      workers: flags.workers === undefined || flags.workers === 'auto' ? flags.workers : number('workers', flags.workers),
    })
    const result = await trainRetrieval({dataset: flags.dataset, out: flags.out, config, force: flags.force, initFrom: flags['init-from'], resume: flags.resume, reporter: this.reporter()})
    const best = result.epochs.find((e) => e.epoch === result.bestEpoch)
    const k = config.ks.includes(10) ? 10 : config.ks[0]
    this.say(`protocol: ${result.protocol}`)
    this.say(`best epoch ${result.bestEpoch}: val recall@${k} ${result.metrics[`val.recall@${k}`]?.toFixed(4)}  ndcg@${k} ${result.metrics[`val.ndcg@${k}`]?.toFixed(4)}  (most-popular: recall@${k} ${result.popularBaseline[`val.recall@${k}`]?.toFixed(4)}  ndcg@${k} ${result.popularBaseline[`val.ndcg@${k}`]?.toFixed(4)})`)
    this.say(`${result.examples} examples, ${best?.examplesPerSecond ?? 0} examples/s on ${result.backend}; wrote ${result.out} in ${result.seconds.toFixed(1)}s`)
    return result
  }
}
