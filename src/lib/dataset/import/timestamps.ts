// Timestamp cells -> ms since the epoch: unix seconds, unix ms or ISO-8601, detected once per column.
import {Growable} from './growable.js'
import {type Cell, isBlank, parseNumber} from './cells.js'

export const TS_FORMATS = ['auto', 'unix-s', 'unix-ms', 'iso'] as const
export type TsFormat = (typeof TS_FORMATS)[number]

/** Below this a numeric column is read as seconds (1e11 s is the year 5138; 1e11 ms is 1973-03-03). */
const SECONDS_LIMIT = 1e11
/** The range of a JavaScript Date: +-100,000,000 days around 1970. */
export const MAX_MS = 8.64e15
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i

/** ms for an ISO-8601 date or date-time; a value without a zone is UTC, so results do not depend on TZ. */
export function parseIsoMs(text: string): number | undefined {
  const m = ISO.exec(text.trim())
  if (!m) return undefined
  const [, y, mo, d, hh = '00', mi = '00', ss = '00', frac = '', zone = 'Z'] = m
  const daysInMonth = new Date(Date.UTC(Number(y), Number(mo), 0)).getUTCDate()
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > daysInMonth) return undefined
  if (Number(hh) > 23 || Number(mi) > 59 || Number(ss) > 60) return undefined
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone
  const ms = Date.parse(`${y}-${mo}-${d}T${hh}:${mi}:${ss}${frac.slice(0, 4)}${offset}`)
  return Number.isFinite(ms) ? ms : undefined
}

/**
 * Collects one timestamp column. In `auto` mode the first cell fixes the kind (number or ISO text)
 * and every later cell must match; a numeric column is seconds when its largest |value| < 1e11.
 */
export class TimestampColumn {
  private readonly values = new Growable(Float64Array)
  private kind: 'number' | 'iso' | undefined
  private maxAbs = 0

  /** `nativeMs`: the source column is already a timestamp type (Parquet), so numbers are ms. */
  constructor(
    private readonly format: TsFormat,
    nativeMs = false,
  ) {
    if (nativeMs) this.format = 'unix-ms'
    if (this.format === 'iso') this.kind = 'iso'
    else if (this.format !== 'auto') this.kind = 'number'
  }

  /** Adds one cell; returns why it does not parse, or undefined when it does. */
  add(cell: Cell): string | undefined {
    if (isBlank(cell)) return 'is empty: every interaction needs a timestamp'
    const number = parseNumber(cell)
    const kind = number === undefined ? 'iso' : 'number'
    if (this.kind === undefined) this.kind = kind
    if (kind !== this.kind) {
      return this.format === 'auto'
        ? `is ${kind === 'number' ? 'a number' : 'not a number'} but the first timestamp of the column was ${this.kind === 'number' ? 'a number' : 'an ISO-8601 date'}`
        : `does not match --ts-format ${this.format}`
    }
    const value = kind === 'number' ? number! : parseIsoMs(typeof cell === 'string' ? cell : '')
    if (value === undefined) return 'is not a number or an ISO-8601 date (YYYY-MM-DD[THH:MM[:SS[.sss]]][Z|+HH:MM])'
    this.maxAbs = Math.max(this.maxAbs, Math.abs(value))
    this.values.push(value)
    return undefined
  }

  /** The format actually applied; meaningful after the last add. */
  resolved(): Exclude<TsFormat, 'auto'> {
    if (this.kind === 'iso') return 'iso'
    if (this.format !== 'auto') return this.format
    return this.maxAbs < SECONDS_LIMIT ? 'unix-s' : 'unix-ms'
  }

  /** The column in ms, and the row of the first value outside the Date range (-1 when none). */
  finish(): {ms: Float64Array; format: Exclude<TsFormat, 'auto'>; firstOutOfRange: number} {
    const format = this.resolved()
    const ms = this.values.finish()
    const scale = format === 'unix-s' ? 1000 : 1
    let firstOutOfRange = -1
    for (let i = 0; i < ms.length; i++) {
      ms[i] = Math.round(ms[i] * scale)
      if (firstOutOfRange < 0 && Math.abs(ms[i]) > MAX_MS) firstOutOfRange = i
    }
    return {ms, format, firstOutOfRange}
  }
}
