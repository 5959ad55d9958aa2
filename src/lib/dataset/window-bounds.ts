// Time-window bounds as users write them (ISO time, epoch ms, or a quantile "q0.5") -> epoch ms.
import {RecError} from '../errors.js'
import {MAX_MS, parseIsoMs} from './import/timestamps.js'

/** One side of a window: an absolute time, or a quantile of the interaction times resolved against the data. */
export type TimeBound = {text: string; kind: 'time'; ms: number} | {text: string; kind: 'quantile'; q: number}

const EPOCH_MS = /^-?\d+$/
const QUANTILE = /^q(\d+(?:\.\d*)?|\.\d+)$/

const HOW = 'give an ISO date or time (2024-03-01, 2024-03-01T12:00:00Z; UTC unless an offset is given), epoch milliseconds (1709251200000) or a quantile of the interaction times (q0.5)'

/** Parses the text of `flag` (e.g. "--from"); throws INVALID_ARGUMENT with the accepted forms. */
export function parseTimeBound(text: string, flag: string): TimeBound {
  const trimmed = text.trim()
  const quantile = QUANTILE.exec(trimmed)
  if (quantile) {
    const q = Number(quantile[1])
    if (q > 1) throw new RecError('INVALID_ARGUMENT', `${flag} ${text}: a quantile lies between q0 and q1`)
    return {text, kind: 'quantile', q}
  }
  if (EPOCH_MS.test(trimmed) && Math.abs(Number(trimmed)) <= MAX_MS) return {text, kind: 'time', ms: Number(trimmed)}
  const ms = parseIsoMs(trimmed)
  if (ms === undefined) throw new RecError('INVALID_ARGUMENT', `${flag} ${JSON.stringify(text)} is not a time: ${HOW}`)
  return {text, kind: 'time', ms}
}

/** Refuses from >= until when both are of one kind, so the mistake is caught before the data is read. */
export function checkBoundOrder(from: TimeBound | undefined, until: TimeBound | undefined): void {
  if (!from || !until || from.kind !== until.kind) return
  const key = (bound: TimeBound) => (bound.kind === 'time' ? bound.ms : bound.q)
  if (key(from) >= key(until)) throw new RecError('INVALID_ARGUMENT', `--from ${from.text} is not before --until ${until.text}: the window from <= ts < until would be empty`)
}

/**
 * Epoch ms of `bound` given the interaction times `ts` and their time order. Quantile q is the time
 * of the interaction at position floor(q * n) in time order, so `< q` keeps the first ~q share and
 * `>= q` the rest (exactly, barring ties); q1 lies past the last interaction (+Infinity).
 */
export function resolveBound(bound: TimeBound, ts: Float64Array, order: Uint32Array): number {
  if (bound.kind === 'time') return bound.ms
  const at = Math.floor(bound.q * ts.length)
  return at >= ts.length ? Number.POSITIVE_INFINITY : ts[order[at]]
}
