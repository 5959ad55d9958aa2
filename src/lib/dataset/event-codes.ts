// Events as one byte each (their index in EVENTS): per-entry event columns stay typed arrays, which cross threads cheaply.
import {EVENTS, type EventName} from './schema.js'

/** The code of an event name EVENTS does not list (a dataset's own event, or a session stored before events were kept). */
export const UNKNOWN_EVENT = 255

const CODES = new Map<string, number>(EVENTS.map((name, code) => [name, code]))

export function eventCode(name: string): number {
  return CODES.get(name) ?? UNKNOWN_EVENT
}

/** Undefined for UNKNOWN_EVENT. */
export function eventName(code: number): EventName | undefined {
  return EVENTS[code]
}
