// The one grammar of durations ("250ms", "60s", "30m", "24h", "7d"): flags and config keys read them alike.

const UNITS_MS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

/** What readDuration accepts, in words, for error messages. */
export const DURATION_RULE = 'a duration such as 30m, 24h or 7d (a positive whole number, then ms, s, m, h or d)'

/** "30m" -> 1800000: a positive whole number and one unit (ms, s, m, h, d) as ms; undefined for anything else. */
export function readDuration(text: string): number | undefined {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim())
  const ms = match ? Number(match[1]) * UNITS_MS[match[2]] : 0
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined
}

/** A duration in the largest unit that divides it: 86400000 -> "1d", 90000 -> "90s". */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) if (ms >= UNITS_MS[unit] && ms % UNITS_MS[unit] === 0) return `${ms / UNITS_MS[unit]}${unit}`
  return `${ms}ms`
}
