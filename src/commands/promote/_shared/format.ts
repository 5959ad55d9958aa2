// Human text for promote commands: compact metrics and a plain aligned table.

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toPrecision(4))

/** "val.ndcg@10=0.1234 val.recall@50=0.4567", keys sorted; `only` picks and orders keys. */
export function formatMetrics(metrics: Record<string, number>, only?: string[]): string {
  const keys = only ?? Object.keys(metrics).sort()
  return keys.map((k) => `${k}=${metrics[k] === undefined ? '-' : fmt(metrics[k])}`).join(' ')
}

/** Metrics a one-line summary leads with, when the checkpoint has them. */
const HEADLINE = ['val.ndcg@10', 'val.recall@10', 'val.auc/mean']

/** "val.ndcg@10=0.1234 val.recall@10=0.0456 (+17 more in --json)": at most `max` metrics, headline ones first. */
export function formatMetricsShort(metrics: Record<string, number>, max = 2): string {
  const keys = Object.keys(metrics).sort()
  const chosen = [...HEADLINE.filter((k) => k in metrics), ...keys.filter((k) => !HEADLINE.includes(k))].slice(0, max)
  const more = keys.length - chosen.length
  return `${formatMetrics(metrics, chosen)}${more > 0 ? ` (+${more} more in --json)` : ''}`
}

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}

/** "production: version 2 -> 3 (/abs/ckpt)" or "production: already at version 3". */
export function describeMove(result: {alias: string; version: number; previous?: number; changed: boolean; entry: {path: string}}): string {
  if (!result.changed) return `${result.alias}: already at version ${result.version} (${result.entry.path})`
  const from = result.previous === undefined ? 'unset' : `version ${result.previous}`
  return `${result.alias}: ${from} -> version ${result.version} (${result.entry.path})`
}

/** "production: rolled back 3 -> 2 at 2024-06-01 10:00:00 (guardrail home/treatment: ...)": one line per recorded rollback, by alias then time. */
export function formatEvents(listing: {aliases: Record<string, {events?: {at: string; action: string; from: number; to: number; reason?: string}[]}>}): string[] {
  return Object.keys(listing.aliases)
    .sort()
    .flatMap((alias) => (listing.aliases[alias].events ?? []).map((e) => `${alias}: rolled back ${e.from} -> ${e.to} at ${e.at.slice(0, 19).replace('T', ' ')}${e.reason ? ` (${e.reason})` : ''}`))
}
