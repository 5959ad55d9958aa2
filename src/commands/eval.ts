// rec eval: offline evaluation of a retrieval checkpoint or a baseline, a paired comparison of two, or retrieval then a ranker.
import {Flags} from '@oclif/core'

import {loadConfig} from '../lib/config/load-config.js'
import {RecError} from '../lib/errors.js'
import {baselineSpec, BASELINES, type EvalReport, EvalSettingsSchema, formatEvalReport, type ModelSpec, parseModelSpec, runEval, toEvalOptions, writeReportDir} from '../lib/eval/index.js'
import {assertWritable} from '../lib/io/atomic.js'
import {RecCommand} from './_cli/rec-command.js'
import {flagOverrides, schemaFlags} from './_cli/schema-flags.js'

export default class Eval extends RecCommand {
  static override summary = 'Evaluate a retrieval checkpoint or a baseline offline, or compare two on the same users.'

  static override description = [
    "Full ranking (default): for every user with a positive in the split, every item except the user's history is ranked (test: history = train+val; val: history = train), ties to the smaller item row. Users without a target are skipped and counted. --protocol sampled:N instead ranks each target against N random unseen items, and says so in the protocol line and the JSON.",
    'Metrics: Recall, HitRate, Precision, NDCG and MAP at each K, and MRR; catalogue coverage, mean popularity percentile, novelty and intra-list diversity (over the first categorical item feature); recall and NDCG per segment (cold/light/heavy users, head/torso/tail targets).',
    'Baselines: popular (history counts), itemknn (item cosine over history co-occurrence; neighbourhood size tuned on val when evaluating test), random (seeded). --compare A B reports B - A per metric with paired bootstrap 95% CIs and p-values. --out writes report.json and a self-contained report.html.',
    "Two stages: --ranker RANK re-ranks each user's top --candidates retrieval items by the ranking checkpoint's fused score, at the user's first interaction in the split (items created after it dropped; the ranker's statistics from the earlier splits), and reports it as its own row \"<model> > ranker\" with the same metrics, recall@N of the candidates (its ceiling) and the paired delta against retrieval's own full ranking (so it includes the effect of dropping not-yet-created items). The ranker's heads are also scored as classifiers (AUC, PR-AUC, logloss, RCE, calibration error) on the split's labelled pairs, built as training validates.",
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> eval --dataset data/ml100k --ckpt ckpt/ml100k',
    '<%= config.bin %> eval --dataset data/ml100k --model itemknn --k 10,50 --split val',
    '<%= config.bin %> eval --dataset data/ml100k --ckpt ckpt/ml100k --protocol sampled:100 --json',
    '<%= config.bin %> eval --dataset data/ml100k --compare model:popular ckpt/ml100k --out reports/ml100k',
    '<%= config.bin %> eval --dataset data/ml100k --ckpt ckpt/ml100k --ranker ckpt/ml100k-ranker --candidates 200',
  ]

  static override flags = {
    dataset: Flags.directory({char: 'd', description: 'Dataset directory.', required: true}),
    ckpt: Flags.directory({description: 'Retrieval or content checkpoint directory to evaluate.', exclusive: ['model', 'compare']}),
    model: Flags.option({options: BASELINES, description: 'Built-in baseline to evaluate instead of a checkpoint.', exclusive: ['ckpt', 'compare']})(),
    compare: Flags.string({multiple: true, description: 'Two models, each a checkpoint directory or model:popular|itemknn|random; reports B - A.', exclusive: ['ckpt', 'model']}),
    ranker: Flags.directory({description: "Ranking checkpoint re-ranking each retrieval checkpoint's top candidates (a second stage)."}),
    ...schemaFlags(EvalSettingsSchema, {helpDefaults: true, props: {candidates: {dependsOn: ['ranker']}}}),
    out: Flags.string({char: 'o', description: 'Directory to write report.json and report.html into.'}),
    force: Flags.boolean({default: false, description: 'Replace an existing --out directory.'}),
    'allow-mismatch': Flags.boolean({default: false, description: 'Evaluate a checkpoint trained on another dataset with the same ids (the report warns) instead of refusing it.'}),
  }

  async run(): Promise<EvalReport> {
    const {flags} = await this.parse(Eval)
    const models = selectModels(flags)
    // no config file: the schema fills in what was not given (the flags have already checked each value)
    const settings = await loadConfig(EvalSettingsSchema, undefined, flagOverrides(EvalSettingsSchema, flags))
    const options = toEvalOptions(settings, {dataset: flags.dataset, models, ranker: flags.ranker})
    if (flags.out) assertWritable(flags.out, flags.force)
    const report = await runEval({...options, allowMismatch: flags['allow-mismatch'], reporter: this.reporter()})
    for (const line of formatEvalReport(report)) this.say(line)
    if (flags.out) {
      const written = await writeReportDir(flags.out, report, {force: flags.force})
      this.say(`wrote ${written.json} and ${written.html}`)
    }
    return report
  }
}

function selectModels(flags: {ckpt?: string; model?: string; compare?: string[]}): ModelSpec[] {
  if (flags.compare) {
    if (flags.compare.length !== 2) throw new RecError('INVALID_ARGUMENT', `--compare takes exactly two models (got ${flags.compare.length})`, {hint: '--compare ckpt/a model:popular'})
    return flags.compare.map(parseModelSpec)
  }
  if (flags.ckpt) return [{kind: 'checkpoint', path: flags.ckpt}]
  if (flags.model) return [baselineSpec(flags.model)]
  throw new RecError('INVALID_ARGUMENT', 'nothing to evaluate: give --ckpt DIR, --model popular|itemknn|random, or --compare A B')
}
