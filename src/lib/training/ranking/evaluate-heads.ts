// Per-head classification metrics of the ranker on a held-out example set (AUC, PR-AUC, logloss, RCE).
import type {CrossStats} from '../../features/cross/cross-stats.js'
import {type ClassificationReport, evaluateClassification} from '../../metrics/classification.js'
import type {RankerModel} from '../../models/ranker/model.js'
import {predictProbabilities} from '../../models/ranker/predict.js'
import type {RankingExamples} from './examples.js'
import type {RetrievalFeature} from './retrieval-feature.js'

export interface HeadEvaluation {
  /** Flat: "auc/<head>", "prauc/<head>", "logloss/<head>", "rce/<head>", plus "auc/mean" and "rce/mean" over scored heads. */
  metrics: Record<string, number>
  reports: Record<string, ClassificationReport>
  /** Heads without both classes in the set: no metric. */
  skipped: string[]
  /** [n, H] predictions, reused for learned fusion. */
  probabilities: Float32Array
}

/**
 * Predicts every example and scores each head with the example weights (the training objective's
 * weighting: ignored deep impressions count less), so logloss and RCE measure what was optimised.
 */
export function evaluateHeads(model: RankerModel, stats: CrossStats, examples: RankingExamples, retrieval?: RetrievalFeature): HeadEvaluation {
  const n = examples.user.length
  const h = examples.heads.length
  const ts = examples.ts
  const probabilities = predictProbabilities(model, stats, {users: examples.user, items: examples.item, ts, retrieval: retrieval?.scores(examples.user, examples.item, ts)})
  const metrics: Record<string, number> = {}
  const reports: Record<string, ClassificationReport> = {}
  const skipped: string[] = []
  const labels = new Float32Array(n)
  const scores = new Float32Array(n)
  examples.heads.forEach((head, k) => {
    let positives = 0
    for (let i = 0; i < n; i++) {
      labels[i] = examples.labels[i * h + k]
      scores[i] = probabilities[i * h + k]
      positives += labels[i]
    }
    if (positives === 0 || positives === n) {
      skipped.push(head.name)
      return
    }
    const report = evaluateClassification({labels, scores, weights: examples.weight})
    reports[head.name] = report
    metrics[`auc/${head.name}`] = report.auc
    metrics[`prauc/${head.name}`] = report.prAuc
    metrics[`logloss/${head.name}`] = report.logloss
    metrics[`rce/${head.name}`] = report.rce
  })
  const scored = Object.values(reports)
  if (scored.length > 0) {
    metrics['auc/mean'] = scored.reduce((s, r) => s + r.auc, 0) / scored.length
    metrics['rce/mean'] = scored.reduce((s, r) => s + r.rce, 0) / scored.length
  }
  return {metrics, reports, skipped, probabilities}
}
