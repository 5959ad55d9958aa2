// The one grammar of numeric flag text (numbers, integers, integer lists, "auto" or a number): every command words a bad value alike.
import {Errors} from '@oclif/core'

import {DURATION_RULE, readDuration} from '../../lib/config/duration.js'

/** Bounds of a numeric value as the zod schema states them (JSON Schema keywords; exclusive bounds stay exclusive). */
export interface NumberRule {
  integer: boolean
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
}

// zod's .int() is a safe integer, so these bounds say nothing a user needs to read.
const isStated = (bound: number | undefined): bound is number => bound !== undefined && Math.abs(bound) < Number.MAX_SAFE_INTEGER

/** What `rule` accepts, in words: "a number > 0", "an integer from 1 to 10000", "a positive integer". */
export function describeRule(rule: NumberRule): string {
  const noun = rule.integer ? 'an integer' : 'a number'
  let low = isStated(rule.minimum) ? {value: rule.minimum, strict: false} : undefined
  let high = isStated(rule.maximum) ? {value: rule.maximum, strict: false} : undefined
  if (isStated(rule.exclusiveMinimum)) low = rule.integer ? {value: Math.floor(rule.exclusiveMinimum) + 1, strict: false} : {value: rule.exclusiveMinimum, strict: true}
  if (isStated(rule.exclusiveMaximum)) high = rule.integer ? {value: Math.ceil(rule.exclusiveMaximum) - 1, strict: false} : {value: rule.exclusiveMaximum, strict: true}
  if (rule.integer && low?.value === 1 && !high) return 'a positive integer'
  if (low && high && !low.strict && !high.strict) return `${noun} from ${low.value} to ${high.value}`
  const parts = [low && `${low.strict ? '>' : '>='} ${low.value}`, high && `${high.strict ? '<' : '<='} ${high.value}`].filter(Boolean)
  return parts.length ? `${noun} ${parts.join(' and ')}` : noun
}

/** `text` as a number within `rule`, or undefined: '' and whitespace, NaN, Infinity, 1.5 for an integer and out-of-range values all fail. */
function readNumber(text: string, rule: NumberRule): number | undefined {
  const trimmed = text.trim()
  // Number('') is 0, which is how `--weight-decay=` used to mean 0; integers take digits only (no 1e3, no 0x10).
  if (trimmed === '' || (rule.integer && !/^[+-]?\d+$/.test(trimmed))) return undefined
  const value = Number(trimmed)
  if (!Number.isFinite(value) || (rule.integer && !Number.isSafeInteger(value))) return undefined
  if (rule.minimum !== undefined && value < rule.minimum) return undefined
  if (rule.maximum !== undefined && value > rule.maximum) return undefined
  if (rule.exclusiveMinimum !== undefined && value <= rule.exclusiveMinimum) return undefined
  if (rule.exclusiveMaximum !== undefined && value >= rule.exclusiveMaximum) return undefined
  return value
}

// A CLIError, so that oclif prefixes "Parsing --<flag>" and RecCommand prints it as one line with exit 2.
const refuse = (text: string, accepted: string): never => {
  throw new Errors.CLIError(`${JSON.stringify(text)} is not ${accepted}`)
}

/** One number flag value; the message names the value and the whole accepted range, whatever was wrong with it. */
export function parseNumber(text: string, rule: NumberRule): number {
  return readNumber(text, rule) ?? refuse(text, describeRule(rule))
}

/** "128,32" -> [128, 32]; "" -> [] (a list may be empty unless the schema sets `minItems`). Each element is checked on its own. */
export function parseNumberList(text: string, rule: NumberRule, minItems = 0): number[] {
  const values = text.trim() === '' ? [] : text.split(',').map((part) => readNumber(part, rule) ?? refuse(part, describeRule(rule)))
  if (values.length < minItems) refuse(text, `a comma-separated list of at least ${minItems} (each ${describeRule(rule)})`)
  return values
}

/** One of `words` (e.g. "auto") as itself, else a number within `rule`. */
export function parseWordOrNumber(text: string, words: readonly string[], rule: NumberRule): number | string {
  if (words.includes(text)) return text
  return readNumber(text, rule) ?? refuse(text, `${words.map((word) => JSON.stringify(word)).join(', ')} or ${describeRule(rule)}`)
}

/** "30m" -> 1800000: the grammar of src/lib/config/duration.ts, refused in the flag's words. */
export function parseDuration(text: string): number {
  return readDuration(text) ?? refuse(text, DURATION_RULE)
}

/** "2024-05-01T00:00:00Z" (any ISO 8601 date or time) -> its ms since 1970; "now" -> the clock at parse time. */
export function parseTimestamp(text: string): number {
  if (text.trim() === 'now') return Date.now()
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text.trim()) ? Date.parse(text.trim()) : Number.NaN
  return Number.isFinite(ms) ? ms : refuse(text, 'a time such as 2024-05-01T12:00:00Z (ISO 8601) or "now"')
}

/** "title, description" -> ["title", "description"] (names trimmed, empty ones dropped); fewer than `minItems` names fail. */
export function parseNameList(text: string, minItems = 0): string[] {
  const names = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
  if (names.length < minItems) refuse(text, `a comma-separated list of at least ${minItems} name${minItems === 1 ? '' : 's'}`)
  return names
}
