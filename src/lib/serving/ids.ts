// Caller ids in JSON and query strings: integers or decimal strings, parsed with BigInt (int64 ids beyond 2^53 as strings).
import {z} from 'zod'

import {RecError} from '../errors.js'

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** The rule an id field follows, as error messages state it. */
export const ID_RULE = 'must be an int64 id: an integer, or a decimal string for ids above 2^53'

/** An id field in a JSON body: a safe integer or a decimal string (range-checked by parseId). */
export const JSON_ID = z.union([z.number().int(), z.string().regex(/^-?[0-9]{1,19}$/)])

/** An id in a query string or path. */
export const TEXT_ID = z.string().regex(/^-?[0-9]{1,19}$/)

/** INVALID_ARGUMENT naming `field` for an unsafe number (precision already lost) or an out-of-range value. */
export function parseId(value: unknown, field: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RecError('INVALID_ARGUMENT', `${field} must be an exact integer (pass ids above 2^53 as decimal strings), got ${value}`)
    return BigInt(value)
  }
  if (typeof value === 'string' && /^-?[0-9]{1,19}$/.test(value)) {
    const id = BigInt(value)
    if (id >= INT64_MIN && id <= INT64_MAX) return id
  }
  throw new RecError('INVALID_ARGUMENT', `${field} ${ID_RULE}, got ${JSON.stringify(value)}`)
}
