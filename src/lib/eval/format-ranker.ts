// Terminal text of --ranker: the checkpoint, how its stage ran, and one row per head on the split's labelled pairs.
import chalk from 'chalk'

import {fmt, renderColumns} from './format-table.js'
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
  return lines
}
