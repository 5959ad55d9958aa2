// The whole terminal view of a report: protocol line on top, warnings, metric tables, comparison, segments, the summary.
import chalk from 'chalk'

import {rankerTable} from './format-ranker.js'
import {fmt, metricTable, pValue, renderColumns, segmentTable, signed} from './format-table.js'
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

/** Per-metric B - A with the paired bootstrap CI and p; coloured when the CI excludes 0. */
function comparisonTable(report: EvalReport): string[] {
  const c = report.comparison!
  const label = (key: string) => report.models.find((m) => m.key === key)?.label ?? key
  const rows = [['metric', label(c.a), label(c.b), 'delta (B-A)', `${Math.round(c.confidence * 100)}% CI`, 'p']]
  for (const [name, m] of Object.entries(c.metrics)) {
    const significant = m.ciLow > 0 || m.ciHigh < 0
    const paint = significant ? (m.delta > 0 ? chalk.green : chalk.red) : chalk.dim
    rows.push([name, fmt(m.meanA), fmt(m.meanB), paint(signed(m.delta)), `[${signed(m.ciLow)}, ${signed(m.ciHigh)}]`, pValue(m.pValue)])
  }
  for (const name of Object.keys(report.metrics[c.a]).filter((n) => n.startsWith('coverage@'))) {
    const a = report.metrics[c.a][name]
    const b = report.metrics[c.b][name]
    rows.push([name, fmt(a), fmt(b), signed(b - a), 'no per-user value', '-'])
  }
  return ['', chalk.bold(`comparison: ${label(c.b)} vs ${label(c.a)}, paired bootstrap over ${report.protocol.usersEvaluated} users, ${c.resamples} resamples`), ...renderColumns(rows).map((l) => '  ' + l)]
}
