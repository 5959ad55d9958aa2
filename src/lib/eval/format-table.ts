// Terminal text of an evaluation report: protocol line, a metric table per model (or A/B/delta), segments.
import chalk from 'chalk'

import {focusK} from './protocol-line.js'
import type {EvalReport} from './report-schema.js'

/** Right-aligned columns; the first column left-aligned. */
export function renderColumns(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => visible(r[c] ?? '').length)))
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell + ' '.repeat(widths[c] - visible(cell).length) : ' '.repeat(widths[c] - visible(cell).length) + cell)).join('  '))
}

/** Length without ANSI colour codes. */
function visible(text: string): string {
  return text.replace(/\u001b\[[0-9;]*m/g, '')
}

export function fmt(value: number | undefined): string {
  if (value === undefined) return '-'
  return Math.abs(value) >= 100 ? value.toFixed(1) : Math.abs(value) >= 10 ? value.toFixed(2) : value.toFixed(4)
}

/** "recall@10" -> ["recall", 10]; "mrr" -> ["mrr", undefined]. */
function splitName(name: string): [string, number | undefined] {
  const at = name.lastIndexOf('@')
  return at < 0 ? [name, undefined] : [name.slice(0, at), Number(name.slice(at + 1))]
}

/** One block per model: metric families as rows, K as columns; metrics without K (mrr) on one line below. */
export function metricTable(report: EvalReport): string[] {
  const lines: string[] = []
  const ks = report.protocol.ks
  for (const model of report.models) {
    const metrics = report.metrics[model.key]
    const families = [...new Set(Object.keys(metrics).map((n) => splitName(n)).filter(([, k]) => k !== undefined).map(([f]) => f))]
    const single = Object.keys(metrics).filter((n) => splitName(n)[1] === undefined)
    lines.push('', chalk.bold(model.label) + chalk.dim(` ${modelNote(model)}`))
    const rows = [['', ...ks.map((k) => `@${k}`)], ...families.map((f) => [familyLabel(f, report), ...ks.map((k) => fmt(metrics[`${f}@${k}`]))])]
    lines.push(...renderColumns(rows).map((l) => '  ' + l))
    if (single.length > 0) lines.push('  ' + single.map((n) => `${n} ${fmt(metrics[n])}`).join('   '))
    if (model.stage) lines.push(...stageLines(model.stage))
  }
  return lines
}

/** Under a stage's block: its candidates and ceiling, and its paired delta against the parent. */
function stageLines(stage: NonNullable<EvalReport['models'][number]['stage']>): string[] {
  const lines: string[] = []
  if (stage.candidates) {
    const ceiling = stage.candidateRecall === null ? '' : `, candidate recall@${stage.candidates.depth} ${fmt(stage.candidateRecall)} (the ceiling)`
    lines.push(chalk.dim(`  re-ranks the top ${stage.candidates.depth} per user (mean ${stage.candidates.meanPerUser.toFixed(1)} candidates)${ceiling}`))
  }
  const deltas = Object.entries(stage.delta).map(([name, m]) => {
    const paint = m.ciLow > 0 ? chalk.green : m.ciHigh < 0 ? chalk.red : chalk.dim
    return `${name} ${paint(signed(m.delta))} [${signed(m.ciLow)}, ${signed(m.ciHigh)}] p ${pValue(m.pValue)}`
  })
  if (deltas.length > 0) lines.push(`  vs parent: ${deltas.join('   ')}`)
  return lines
}

export function signed(value: number): string {
  return (value >= 0 ? '+' : '') + fmt(value)
}

export function pValue(p: number): string {
  return p < 0.001 ? '<0.001' : p.toFixed(3)
}

/** The id (checkpoint path@createdAt, model:NAME) and how ItemKNN's neighbourhood was chosen. */
function modelNote(model: EvalReport['models'][number]): string {
  const n = model.neighbours
  return n ? `${model.id} (${n.chosen} neighbours, ${n.tunedOn ? `tuned on val ${n.metric}` : 'fixed: val is the tuning split'})` : model.id
}

function familyLabel(family: string, report: EvalReport): string {
  if (family === 'popularity') return 'popularity (pct)'
  if (family === 'novelty') return 'novelty (bits)'
  if (family === 'diversity') return `diversity (${report.protocol.diversityFeature})`
  return family
}

/** Segment means at the focus K for every model, with user counts. */
export function segmentTable(report: EvalReport): string[] {
  const k = focusK(report.protocol.ks)
  const names = report.protocol.kind === 'full' ? [`recall@${k}`, `ndcg@${k}`] : [`sampled_hitrate@${k}`, `sampled_ndcg@${k}`]
  const header = ['segment', 'users', ...report.models.flatMap((m) => names.map((n) => `${m.label} ${n}`))]
  const rows = [header]
  const first = report.segments.models[report.models[0].key]
  for (const group of ['userActivity', 'targetPopularity'] as const) {
    first[group].forEach((segment, s) => {
      const label = group === 'userActivity' ? `${segment.name} users` : `${segment.name} targets`
      rows.push([label, String(segment.users), ...report.models.flatMap((m) => names.map((n) => fmt(report.segments.models[m.key][group][s].metrics[n])))])
    })
  }
  return ['', chalk.bold(`segments at K=${k}`), ...renderColumns(rows).map((l) => '  ' + l), chalk.dim(`  users: ${report.segments.definitions.userActivity}`), chalk.dim(`  targets: ${report.segments.definitions.targetPopularity}`)]
}
