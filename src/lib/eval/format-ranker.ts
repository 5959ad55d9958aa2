// Terminal text of --ranker: the checkpoint, how its stage ran, and one row per head on the split's labelled pairs.
import chalk from 'chalk'

import {fmt, renderColumns} from './format-table.js'
import type {FeatureWeights} from '../models/ranker/logreg-weights.js'
import type {RankerSection} from './report-schema.js'

export function rankerTable(ranker: RankerSection): string[] {
  const {heads} = ranker
  const lines = [
    '',
    chalk.bold(`ranker ${ranker.path}`) + chalk.dim(` ${ranker.arch}, fusion ${Object.entries(ranker.fusion).map(([h, w]) => `${h} ${w.toFixed(3)}`).join(', ')}`),
    chalk.dim(`  request time: ${ranker.requestTime}; cross statistics from ${ranker.statsSplits.join('+')}${ranker.retrievalScore ? `; retrieval_score from ${ranker.retrievalScore}` : ''}`),
    chalk.dim(`  heads on ${heads.examples} labelled ${heads.split} pairs (${heads.labelling})`),
  ]
  const rows = [['head', 'examples', 'base rate', 'AUC', 'PR-AUC', 'logloss', 'RCE', 'ECE']]
  for (const [name, m] of Object.entries(heads.metrics)) rows.push([name, String(m.examples), fmt(m.baseRate), fmt(m.auc), fmt(m.prAuc), fmt(m.logloss), fmt(m.rce), fmt(m.ece)])
  if (rows.length > 1) lines.push(...renderColumns(rows).map((l) => '  ' + l))
  if (heads.skipped.length > 0) lines.push(chalk.dim(`  no metric (one class only in ${heads.split}): ${heads.skipped.join(', ')}`))
  if (ranker.featureWeights) lines.push(...featureWeightLines(ranker.featureWeights))
  return lines
}

/** logreg: one row per dense feature (logit per standard deviation) and per categorical feature (spread of its values' weights). */
function featureWeightLines(weights: FeatureWeights): string[] {
  const rows = [['feature', ...weights.heads]]
  const cells = (w: Record<string, number>) => weights.heads.map((h) => (w[h] >= 0 ? '+' : '') + w[h].toFixed(3))
  rows.push(['(bias)', ...cells(weights.bias)])
  for (const d of weights.dense) rows.push([d.feature, ...cells(d.weights)])
  for (const c of weights.categorical) rows.push([`${c.feature} (${c.values} values, spread)`, ...weights.heads.map((h) => c.spread[h].toFixed(3))])
  return ['', chalk.dim('  logreg weights (dense: logit per standard deviation of the feature; categorical: std of the per-value weights)'), ...renderColumns(rows).map((l) => '  ' + l)]
}
