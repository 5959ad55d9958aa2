// The time window a stats query covers, and the UTC days its per-day rows are cut into.
import {RecError} from '../errors.js'
import type {TimeRange} from '../store/types.js'
import {DAY_MS} from './conversion.js'

/** The largest `days` a query may ask for (ten years). */
export const MAX_DAYS = 3650

export interface StatsWindow {
  /** Inclusive start (ms); absent = from the first impression. */
  since?: number
  /** Inclusive end (ms): "now". */
  until: number
  days?: number
}

export interface WindowJson {
  since: string | null
  until: string
  days: number | null
}

/**
 * `days` N: impressions with ts in [now - N x 24 h, now] (a rolling window, not calendar days; the
 * per-day rows then cover the UTC days it touches, the first and last partly). No `days`: everything
 * up to now. INVALID_ARGUMENT unless days is an integer from 1 to MAX_DAYS.
 */
export function statsWindow(options: {days?: number; now: number}): StatsWindow {
  const {days, now} = options
  if (!Number.isFinite(now)) throw new RecError('INVALID_ARGUMENT', `now must be a time in ms (got ${now})`)
  if (days === undefined) return {until: now}
  if (!(Number.isInteger(days) && days >= 1 && days <= MAX_DAYS)) throw new RecError('INVALID_ARGUMENT', `days must be an integer from 1 to ${MAX_DAYS} (got ${days})`)
  return {since: now - days * DAY_MS, until: now, days}
}

/** The store range of the window's impressions (the store's `until` is exclusive). */
export function impressionRange(window: StatsWindow): TimeRange {
  return {...(window.since === undefined ? {} : {since: window.since}), until: window.until + 1}
}

/**
 * The store range of the interactions that can click or convert the window's impressions: from a day
 * before it (a client ts may trail the server's impression ts) and without an upper bound.
 */
export function interactionRange(window: StatsWindow): TimeRange {
  return window.since === undefined ? {} : {since: window.since - DAY_MS}
}

export function windowJson(window: StatsWindow): WindowJson {
  return {since: window.since === undefined ? null : new Date(window.since).toISOString(), until: new Date(window.until).toISOString(), days: window.days ?? null}
}

/** "2024-06-01": the UTC day of a time in ms. */
export function utcDate(ts: number): string {
  return new Date(ts).toISOString().slice(0, 10)
}

/** Every UTC day from the one holding `first` to the one holding `last`, in order (none when first > last). */
export function utcDays(first: number, last: number): string[] {
  const days: string[] = []
  for (let day = Math.floor(first / DAY_MS) * DAY_MS; day <= last; day += DAY_MS) days.push(utcDate(day))
  return days
}

/** The per-day rows of a window: its UTC days, or with no start, those from the first to the last impression. */
export function windowDays(window: StatsWindow, impressionTimes: Iterable<number>): string[] {
  if (window.since !== undefined) return utcDays(window.since, window.until)
  let first = Number.POSITIVE_INFINITY
  let last = Number.NEGATIVE_INFINITY
  for (const ts of impressionTimes) {
    if (ts < first) first = ts
    if (ts > last) last = ts
  }
  return first <= last ? utcDays(first, last) : []
}

/** A time as a flag gives it: ms since 1970 (digits) or an ISO date/time ("2024-06-10", "2024-06-10T12:00:00Z"); INVALID_ARGUMENT otherwise. */
export function parseTime(text: string, what?: string): number {
  const trimmed = text.trim()
  const ms = /^\d{1,15}$/.test(trimmed) ? Number(trimmed) : /^\d{4}-\d\d-\d\d([T ][\d:.]+(Z|[+-]\d\d:?\d\d)?)?$/.test(trimmed) ? Date.parse(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed) : Number.NaN
  if (!Number.isFinite(ms)) throw new RecError('INVALID_ARGUMENT', `${what ? `${what} ` : ''}"${text}" is not a time`, {hint: 'give ms since 1970 or an ISO time such as 2024-06-10T12:00:00Z'})
  return ms
}
