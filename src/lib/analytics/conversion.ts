// What counts as a conversion: an event from a list, by the same user on the same item, within a window after a click.
import {EVENTS} from '../dataset/schema.js'
import {RecError} from '../errors.js'

export interface ConversionSpec {
  /** Interaction events that convert a click (default like and share). */
  events: readonly string[]
  /** How long after the click a conversion counts, ms, inclusive (default 72 h). */
  windowMs: number
}

export const HOUR_MS = 3_600_000
export const DAY_MS = 24 * HOUR_MS

export const DEFAULT_CONVERSION: ConversionSpec = {events: ['like', 'share'], windowMs: 72 * HOUR_MS}

/** The spec with defaults filled in; INVALID_ARGUMENT for an unknown event, the click itself, or a window that is not a positive number of ms. */
export function resolveConversion(spec: Partial<ConversionSpec> = {}): ConversionSpec {
  const events = spec.events ?? DEFAULT_CONVERSION.events
  const windowMs = spec.windowMs ?? DEFAULT_CONVERSION.windowMs
  if (events.length === 0) throw new RecError('INVALID_ARGUMENT', 'conversion events: give at least one event', {hint: `e.g. like,share; events: ${EVENTS.join(', ')}`})
  for (const event of events) {
    if (!(EVENTS as readonly string[]).includes(event)) throw new RecError('INVALID_ARGUMENT', `conversion event "${event}" is not an event`, {hint: `events: ${EVENTS.join(', ')}`})
    if (event === 'click') throw new RecError('INVALID_ARGUMENT', 'conversion event "click": a conversion follows a click, so it must be another event', {hint: 'e.g. like,share'})
  }
  if (!(Number.isFinite(windowMs) && windowMs > 0)) throw new RecError('INVALID_ARGUMENT', `conversion window must be a positive number of hours (got ${windowMs / HOUR_MS})`)
  return {events: [...new Set(events)], windowMs}
}

/** The spec as reports state it. */
export function describeConversion(spec: ConversionSpec): {events: string[]; window_hours: number} {
  return {events: [...spec.events], window_hours: spec.windowMs / HOUR_MS}
}
