// Validates query strings, path parameters and bodies with zod; a failure is one sentence naming the field and its rule.
import type {z} from 'zod'

import {RecError} from '../errors.js'

/** A schema and, per field, the rule a bad value breaks ("must be an integer from 1 to 100"). */
export interface RequestShape<T> {
  schema: z.ZodType<T>
  rules: Record<string, string>
  /** What a key is called in "x is not a known <noun>": "query parameter", "field". */
  noun: string
}

/** `value` as the shape's type, or INVALID_ARGUMENT (400) such as `k must be an integer from 1 to 100, got "-3"`; `prefix` locates an array element. */
export function parseRequest<T>(shape: RequestShape<T>, value: unknown, prefix = ''): T {
  const result = shape.schema.safeParse(value, {reportInput: true})
  if (result.success) return result.data
  const issue = result.error.issues[0]
  if (issue.code === 'unrecognized_keys') {
    throw new RecError('INVALID_ARGUMENT', `${prefix}${issue.keys[0]} is not a known ${shape.noun} (known: ${Object.keys(shape.rules).join(', ')})`)
  }
  if (issue.path.length === 0) throw new RecError('INVALID_ARGUMENT', `${prefix}must be a JSON object, got ${shortJson(issue.input)}`)
  const field = String(issue.path[0])
  if (issue.input === undefined) throw new RecError('INVALID_ARGUMENT', `${prefix}${field} is required`)
  throw new RecError('INVALID_ARGUMENT', `${prefix}${field} ${shape.rules[field] ?? 'is invalid'}, got ${shortJson(issue.input)}`)
}

/** The offending value as JSON, cut to 40 characters: a message echoes it, not a 100 KB string. */
function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}
