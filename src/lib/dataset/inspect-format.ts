// Renders a DatasetReport as a compact plain-text table for a terminal (the CLI prints it on stderr).
import type {ColumnInfo, DatasetReport} from './inspect.js'

const pct = (x: number, digits = 1) => `${(100 * x).toFixed(digits)}%`
const int = (x: number) => Math.round(x).toLocaleString('en-US')
const pad = (text: string, width: number) => text.padStart(width)

function columnText(c: ColumnInfo): string {
  const kind = c.kind ? ` ${c.kind}${c.vocabSize === undefined ? '' : `(${c.vocabSize})`}` : ''
  return `${c.name}:${c.type}${kind}`
}

/** The lines of the report, without trailing newlines. */
export function formatDatasetReport(report: DatasetReport): string[] {
  const lines: string[] = []
  const split = report.split.method === 'temporal-global'
    ? `temporal-global (val ${report.split.valFrac}, test ${report.split.testFrac})`
    : report.split.method
  lines.push(`dataset ${report.dir}: "${report.name}" from ${report.source}, split ${split}`)
  lines.push(`fingerprint ${report.fingerprint.slice(0, 16)}`)
  if (report.timeRange) lines.push(`time ${report.timeRange.first} .. ${report.timeRange.last}`)

  lines.push('', `${'table'.padEnd(12)} ${pad('rows', 9)}  columns`)
  for (const [table, columns] of Object.entries(report.schema)) {
    const rows = report.rows[table as keyof DatasetReport['rows']] ?? 0
    lines.push(`${table.padEnd(12)} ${pad(int(rows), 9)}  ${columns.map(columnText).join(', ')}`)
  }

  lines.push('', `${'split'.padEnd(6)} ${pad('interactions', 14)} ${pad('users', 9)} ${pad('items', 9)}`)
  for (const [name, s] of Object.entries(report.splits)) {
    lines.push(`${name.padEnd(6)} ${pad(int(s.interactions), 14)} ${pad(int(s.users), 9)} ${pad(int(s.items), 9)}`)
  }

  const a = report.interactionsPerUser
  lines.push(
    '',
    `sparsity               ${pct(report.sparsity, 3)} (${pct(1 - report.sparsity, 3)} of user-item pairs observed)`,
    `interactions per user  min ${int(a.min)}  median ${int(a.median)}  p99 ${int(a.p99)}  max ${int(a.max)}  mean ${a.mean.toFixed(1)}`,
    `without interactions   ${int(report.usersWithoutInteractions)} users, ${int(report.itemsWithoutInteractions)} items`,
    `item popularity        top 1% of items hold ${pct(report.itemHeadShare.top1pct)}, top 10% hold ${pct(report.itemHeadShare.top10pct)} of interactions`,
    `events                 ${report.events.map((e) => `${e.event} ${int(e.count)} (${pct(e.share)})`).join(', ')}`,
  )

  lines.push('', report.problems.length === 0 ? 'problems: none' : `problems: ${report.problems.length}`)
  for (const p of report.problems) lines.push(`  [${p.check}] ${p.message}`)
  return lines
}
