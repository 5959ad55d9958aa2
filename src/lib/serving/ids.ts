// Caller ids in JSON and query strings: integers or decimal strings, parsed with BigInt (int64 ids beyond 2^53 as strings).
import {RecError} from '../errors.js'

const INT64_MIN = -(2n ** 63n)
const INT64_MAX = 2n ** 63n - 1n

/** JSON schema for an id field: a safe integer or a decimal string. */
export const ID_SCHEMA = {anyOf: [{type: 'integer'}, {type: 'string', pattern: '^-?[0-9]{1,19}$'}]} as const

/** INVALID_ARGUMENT naming `field` for an unsafe number (precision already lost) or an out-of-range value. */
export function parseId(value: unknown, field: string): bigint {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RecError('INVALID_ARGUMENT', `${field}: ${value} is not an exact integer; pass ids above 2^53 as decimal strings`)
    return BigInt(value)
  }
  if (typeof value === 'string' && /^-?[0-9]{1,19}$/.test(value)) {
    const id = BigInt(value)
    if (id >= INT64_MIN && id <= INT64_MAX) return id
  }
  throw new RecError('INVALID_ARGUMENT', `${field}: ${JSON.stringify(value)} is not an int64 id`)
}
