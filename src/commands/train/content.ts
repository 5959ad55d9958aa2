// rec train content: fits the TF-IDF content model; the config keys' flags come from ContentConfigSchema.
import {Flags} from '@oclif/core'

import {loadConfig} from '../../lib/config/load-config.js'
import {ContentConfigSchema} from '../../lib/models/content/config.js'
import {trainContent, type TrainContentResult} from '../../lib/training/train-content.js'
import {RecCommand} from '../_cli/rec-command.js'
import {flagOverrides, schemaFlags} from '../_cli/schema-flags.js'

export default class TrainContent extends RecCommand {
  static override summary = 'Fit a content-based (TF-IDF) model over item text and write a checkpoint directory.'
  static override description = `Every item is a document: the words of --text-columns (lower case, accents folded, English stop words
dropped) and one "column=value" token per value of --token-columns (categories, genres, topic, domain, ...).
Terms found in fewer than --min-df items or in more than --max-df of them are dropped, at most --max-features
are kept (the most frequent); idf = ln((1 + N) / (1 + df)) + 1, tf = 1 + ln(count) (--sublinear-tf) and each
item vector is l2-normalised. Document frequencies read item text only, never interactions.

A user's profile is the sum of the vectors of their positives, each times its event weight and halved per
--half-life-days before the user's newest positive, l2-normalised; an item's score is its cosine with the
profile, a sparse dot over the items sharing a term. Profiles read the history of the evaluation protocol
only (val metrics here: train positives); rec eval --ckpt evaluates it like any checkpoint.
Config keys (YAML) are the flag names below; flags override the file.`

  static override examples = [
    '<%= config.bin %> train content --dataset data/ml100k --config config/content.yaml --out ckpt/ml100k-content',
    '<%= config.bin %> train content --dataset data/world --out ckpt/world-content --half-life-days 7',
    '<%= config.bin %> train content --dataset data/news --text-columns title,description --token-columns categories,domain --min-df 3 --out ckpt/news --json',
    '<%= config.bin %> eval --dataset data/ml100k --ckpt ckpt/ml100k-content --split test',
  ]

  static override flags = {
    dataset: Flags.directory({char: 'd', description: 'Dataset directory.', required: true}),
    out: Flags.string({char: 'o', description: 'Checkpoint directory to write.', required: true}),
    config: Flags.file({char: 'c', description: 'YAML config (see config/content.yaml).'}),
    force: Flags.boolean({description: 'Replace an existing output directory.', default: false}),
    ...schemaFlags(ContentConfigSchema),
  }

  async run(): Promise<TrainContentResult> {
    const {flags} = await this.parse(TrainContent)
    const config = await loadConfig(ContentConfigSchema, flags.config, flagOverrides(ContentConfigSchema, flags))
    const result = await trainContent({dataset: flags.dataset, out: flags.out, config, force: flags.force, reporter: this.reporter()})
    const k = config.ks.find((x) => result.metrics[`val.recall@${x}`] !== undefined)
    const val = k === undefined ? 'no val metrics' : `val recall@${k} ${result.metrics[`val.recall@${k}`].toFixed(4)}  ndcg@${k} ${result.metrics[`val.ndcg@${k}`].toFixed(4)} (${result.valUsers} users)`
    this.say(`${result.terms} terms over ${result.items} items (${result.nonZeros} non-zeros); ${val}; wrote ${result.out} in ${result.seconds.toFixed(1)}s`)
    return result
  }
}
