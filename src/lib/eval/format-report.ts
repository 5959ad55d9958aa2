// The whole terminal view of a report: protocol line on top, warnings, metric tables, comparison, segments, the summary.
import chalk from 'chalk'

import {rankerTable} from './format-ranker.js'
import {fmt, metricTable, pValue, renderColumns, segmentTable, signed} from './format-table.js'
import {focusK} from './protocol-line.js'
import type {EvalReport} from './report-schema.js'
import {summarizeReport} from './report-summary.js'

export function formatEvalReport(report: EvalReport): string[] {
  const lines = [chalk.bold('protocol: ') + report.protocol.line]
  for (const warning of report.warnings) lines.push(chalk.yellow(`warning: ${warning}`))
  lines.push(...metricTable(report))
  if (report.ranker) lines.push(...rankerTable(report.ranker))
  if (report.comparison) lines.push(...comparisonTable(report))
  lines.push(...segmentTable(report))
  // the headline last, where a terminal leaves the eye
  lines.push('', ...summarizeReport(report).map((line) => chalk.bold(line)))
  return lines
}

/**
 * Per-metric B - A with the paired bootstrap CI and p at the focus K (and MRR); coloured when the CI
 * excludes 0. Every K is in the JSON and report.html: on the terminal all four were 40 rows.
 */
function comparisonTable(report: EvalReport): string[] {
  const c = report.comparison!
  const k = focusK(report.protocol.ks)
  const shown = (name: string) => !name.includes('@') || name.endsWith(`@${k}`)
  const label = (key: string) => report.models.find((m) => m.key === key)?.label ?? key
  const rows = [['metric', label(c.a), label(c.b), 'delta (B-A)', `${Math.round(c.confidence * 100)}% CI`, 'p']]
  for (const [name, m] of Object.entries(c.metrics).filter(([name]) => shown(name))) {
    const significant = m.ciLow > 0 || m.ciHigh < 0
    const paint = significant ? (m.delta > 0 ? chalk.green : chalk.red) : chalk.dim
    rows.push([name, fmt(m.meanA), fmt(m.meanB), paint(signed(m.delta)), `[${signed(m.ciLow)}, ${signed(m.ciHigh)}]`, pValue(m.pValue)])
  }
  for (const name of Object.keys(report.metrics[c.a]).filter((n) => n.startsWith('coverage@') && shown(n))) {
    const a = report.metrics[c.a][name]
    const b = report.metrics[c.b][name]
    rows.push([name, fmt(a), fmt(b), signed(b - a), 'no per-user value', '-'])
  }
  const others = report.protocol.ks.length > 1 ? `; at K=${k} (every K: --json, report.html)` : ''
  return ['', chalk.bold(`comparison: ${label(c.b)} vs ${label(c.a)}, paired bootstrap over ${report.protocol.usersEvaluated} users, ${c.resamples} resamples${others}`), ...renderColumns(rows).map((l) => '  ' + l)]
}
