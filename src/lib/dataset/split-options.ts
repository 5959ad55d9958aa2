// Split flags -> a checked SplitRequest (before any work), and split codes -> the stored dict column.
import {RecError} from '../errors.js'
import type {Column} from './columns.js'
import {SPLITS} from './schema.js'
import type {SplitRequest} from './split.js'

export const SPLIT_METHODS = ['leave-last-out', 'temporal-global'] as const
export type SplitMethod = (typeof SPLIT_METHODS)[number]

/** temporal-global defaults: the last 10% of interactions by time -> test, the 10% before -> val. */
export const DEFAULT_VAL_FRAC = 0.1
export const DEFAULT_TEST_FRAC = 0.1

function fraction(value: number | string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback
  const number = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value)
  if (!Number.isFinite(number)) throw new RecError('INVALID_ARGUMENT', `${flag} ${JSON.stringify(String(value))} is not a number`, {hint: 'e.g. 0.1'})
  return number
}

/**
 * Checks split flags before any work: fractions (numbers or flag text) must be numbers in range and
 * are refused for leave-last-out. `methodFlag` names the method flag in messages. Throws INVALID_ARGUMENT.
 */
export function toSplitRequest(method: SplitMethod, valFrac?: number | string, testFrac?: number | string, methodFlag = '--split'): SplitRequest {
  if (method === 'leave-last-out') {
    if (valFrac !== undefined || testFrac !== undefined) {
      throw new RecError('INVALID_ARGUMENT', '--val-frac and --test-frac apply only to the temporal-global split', {hint: `add ${methodFlag} temporal-global`})
    }
    return {method}
  }
  const val = fraction(valFrac, '--val-frac', DEFAULT_VAL_FRAC)
  const test = fraction(testFrac, '--test-frac', DEFAULT_TEST_FRAC)
  if (!(val >= 0 && test > 0 && val + test < 1)) {
    throw new RecError('INVALID_ARGUMENT', `temporal-global needs 0 <= --val-frac, 0 < --test-frac and their sum < 1 (got ${val} and ${test})`)
  }
  return {method, valFrac: val, testFrac: test}
}

/** The interactions.split column: codes 0/1/2 with the dictionary always ["train", "val", "test"]. */
export function splitColumn(split: Uint8Array): Extract<Column, {type: 'dict'}> {
  return {type: 'dict', codes: Int32Array.from(split), dictionary: [...SPLITS]}
}
