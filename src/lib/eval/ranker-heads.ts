// The ranker's heads as classifiers on the evaluated split's labelled pairs: AUC, PR-AUC, logloss, RCE, calibration.
import {TEST, VAL} from '../dataset/schema.js'
import {heldOutRng} from '../training/ranking/ranking-data.js'
import {evaluateHeads} from '../training/ranking/evaluate-heads.js'
import {buildLabelledExamples, heldOutExamples} from '../training/ranking/labelled-examples.js'
import type {RetrievalFeature} from '../training/ranking/retrieval-feature.js'
import type {EvalContext} from './eval-context.js'
import type {EvalRanker} from './ranker-checkpoint.js'
import type {RankerSection} from './report-schema.js'

/**
 * Labels from the evaluated split only, built as training builds its validation set (impressions
 * labelled by the responses that followed; or observed events plus popularity-sampled negatives,
 * drawn with the seed training draws val's with), scored by the loaded ranker, whose statistics
 * come from the earlier splits. Probabilities are the heads' own, as in training validation: no
 * sampling correction. On --split val with the training dataset this repeats the checkpoint's
 * recorded val metrics.
 */
export function evaluateRankerHeads(ranker: EvalRanker, ctx: EvalContext, retrieval?: RetrievalFeature): RankerSection['heads'] {
  const {model, inputs, stats} = ranker.loaded
  const {config} = model
  const labelled = buildLabelledExamples(ctx.dataset, inputs.users, inputs.items, model.heads, config)
  const examples = heldOutExamples(labelled, ctx.split === 'val' ? VAL : TEST, config['negatives-per-positive'], heldOutRng(config.seed))
  const n = examples.user.length
  const base = {split: ctx.split, examples: n, labelling: labelled.labelling}
  if (n === 0) return {...base, metrics: {}, skipped: model.heads.map((h) => h.name), mean: {}}
  const result = evaluateHeads(model, stats, examples, retrieval)
  const metrics = Object.fromEntries(
    Object.entries(result.reports).map(([head, r]) => [head, {examples: r.examples, baseRate: r.baseRate, auc: r.auc, prAuc: r.prAuc, logloss: r.logloss, rce: r.rce, ece: r.ece}]),
  )
  const mean: Record<string, number> = {}
  if (result.metrics['auc/mean'] !== undefined) mean.auc = result.metrics['auc/mean']
  if (result.metrics['rce/mean'] !== undefined) mean.rce = result.metrics['rce/mean']
  return {...base, metrics, skipped: result.skipped, mean}
}
