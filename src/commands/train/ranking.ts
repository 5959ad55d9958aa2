// rec train ranking: trains the multi-head ranker; the config keys' flags come from RankingConfigSchema.
import {Flags} from '@oclif/core'

import {loadConfig} from '../../lib/config/load-config.js'
import {RankingConfigSchema} from '../../lib/models/ranker/config.js'
import {trainRanking, type TrainRankingResult} from '../../lib/training/ranking/train-ranking.js'
import {RecCommand} from '../_cli/rec-command.js'
import {flagOverrides, schemaFlags} from '../_cli/schema-flags.js'

export default class TrainRanking extends RecCommand {
  static override summary = 'Train a multi-head ranking model (heavy ranker, DLRM or DCN) with safety heads.'
  static override description = `One sigmoid head per engagement type in the dataset (click, like, repost, reply, share,
follow_author, long dwell, and "negative" for skip/hide/report; MovieLens: "rating"), on a shared network:
--arch mlp (shared bottom MLP + per-head towers), dlrm (pairwise dot products of the embeddings + top MLP), dcn
(cross network + MLP) or logreg (logistic regression: one linear layer per head over the same features, each
categorical value and id one weight per head, no history slot; --weight-decay is its L2 penalty; the checkpoint's
manifest lists every feature's weight by name, under config.ranker.featureWeights). Inputs: user and item id embeddings (optionally copied from a retrieval checkpoint by id),
the dataset's categorical and numeric features, and cross features counted from the train split only and
strictly before each example's time: author followed, user-author engagements, topic share of the user's history,
item age, item engagements (all-time and last 24 h), and with --retrieval the retrieval model's score. That
retrieval checkpoint must come from an earlier snapshot of the log: its train and val interactions must end before
this dataset's train split starts (checked through the dataset its manifest names; refused otherwise). A retrieval
model trained on this dataset has fitted the very events the ranker learns from, so its score would look far more
predictive on training examples than it is at serving time. --init-from-retrieval only copies id embeddings.

Labels: with impressions, each impression is an example labelled by the responses that followed it; impressions
nobody responded to weigh (1 + position)^-position-decay (ignored at the top is the strongest negative). Without
impressions (MovieLens), observed events are positives, --positive-min-weight turns lower ratings into negatives,
and --negatives-per-positive items are sampled per positive by train popularity^0.75 (seeded, redrawn each epoch);
the checkpoint keeps log(k q(item)) of that sampler and scoring adds it back, so candidates rank by p(item | user).

Each epoch reports per-head AUC, PR-AUC, logloss and RCE on val (weighted like the loss) and stops early on the mean
AUC. The fused score is sum(weight_h x p_h) with fusion-weights from the config (negative heads weigh negative);
--fusion learned refits the weights on val by least squares to the configured value of what actually happened.
Items with moderation labels (columns of kind "label") train nsfw/toxicity heads on item features alone, reported
as precision at 90% recall on held-out items. Config keys (YAML) are the flag names below; flags override the file.`

  static override examples = [
    '<%= config.bin %> train ranking --dataset data/world --config config/ranking-synthetic.yaml --out ckpt/ranker',
    '<%= config.bin %> train ranking --dataset data/world --arch dlrm --retrieval ckpt/retrieval-last-month --out ckpt/dlrm',
    '<%= config.bin %> train ranking --dataset data/ml100k --config config/ranking-movielens.yaml --negatives-per-positive 4 --out ckpt/ml-ranker',
    '<%= config.bin %> train ranking --dataset data/world --init-from-retrieval ckpt/retrieval --dim 64 --fusion learned --out ckpt/r2 --json',
    '<%= config.bin %> train ranking --dataset data/world --config config/ranking-synthetic.yaml --arch logreg --weight-decay 0.0001 --out ckpt/logreg',
  ]

  static override flags = {
    dataset: Flags.directory({char: 'd', description: 'Dataset directory.', required: true}),
    out: Flags.string({char: 'o', description: 'Checkpoint directory to write.', required: true}),
    config: Flags.file({char: 'c', description: 'YAML config (see config/ranking-*.yaml).'}),
    force: Flags.boolean({description: 'Replace an existing output directory.', default: false}),
    ...schemaFlags(RankingConfigSchema),
  }

  async run(): Promise<TrainRankingResult> {
    const {flags} = await this.parse(TrainRanking)
    const config = await loadConfig(RankingConfigSchema, flags.config, flagOverrides(RankingConfigSchema, flags))
    const result = await trainRanking({dataset: flags.dataset, out: flags.out, config, force: flags.force, reporter: this.reporter()})
    const best = result.epochs.find((e) => e.epoch === result.bestEpoch)
    this.say(`best epoch ${result.bestEpoch} (${result.arch}): per head val AUC / RCE`)
    for (const head of result.heads) {
      const auc = result.metrics[`val.auc/${head}`]
      const rce = result.metrics[`val.rce/${head}`]
      this.say(`  ${head.padEnd(14)} ${auc === undefined ? 'n/a (one class in val)' : `${auc.toFixed(4)} / ${rce.toFixed(2)}`}   fusion ${result.fusion[head].toFixed(3)}`)
    }
    if (result.featureWeights) {
      const [head] = result.heads
      const top = [...result.featureWeights.dense].sort((a, b) => Math.abs(b.weights[head]) - Math.abs(a.weights[head])).slice(0, 8)
      this.say(`logreg weights on ${head} (logit per standard deviation; all heads and categorical values: --json or the manifest): ${top.map((d) => `${d.feature} ${d.weights[head] >= 0 ? '+' : ''}${d.weights[head].toFixed(3)}`).join(', ')}`)
    }
    this.say(`${result.examples.train} train examples, ${best?.examplesPerSecond ?? 0} examples/s on ${result.backend}; wrote ${result.out} in ${result.seconds.toFixed(1)}s`)
    return result
  }
}
