// Split flags -> a checked SplitRequest (before any work); split codes -> the stored dict column, none left empty.
import {z} from 'zod'

import {RecError} from '../errors.js'
import type {Column} from './columns.js'
import {SPLITS, VAL} from './schema.js'
import type {SplitRequest} from './split.js'

export const SPLIT_METHODS = ['leave-last-out', 'temporal-global'] as const
export type SplitMethod = (typeof SPLIT_METHODS)[number]

/** temporal-global defaults: the last 10% of interactions by time -> test, the 10% before -> val. */
export const DEFAULT_VAL_FRAC = 0.1
export const DEFAULT_TEST_FRAC = 0.1

/**
 * The --val-frac / --test-frac flags of every command that splits. No schema defaults: given with
 * leave-last-out they are refused, so absent must stay absent; toSplitRequest checks their sum.
 */
export const SplitFractionsSchema = z.object({
  'val-frac': z.number().min(0).lt(1).optional().describe(`temporal-global: share of interactions (by time) for val [default: ${DEFAULT_VAL_FRAC}].`),
  'test-frac': z.number().gt(0).lt(1).optional().describe(`temporal-global: share of the latest interactions for test [default: ${DEFAULT_TEST_FRAC}].`),
})

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

/**
 * Throws EMPTY when `split` leaves train, val or test without rows; val may be empty only when
 * temporal-global was asked for none (valFrac 0). `subject` opens the message ("re-splitting data/x").
 */
export function checkSplitsFilled(split: Uint8Array, request: SplitRequest, subject: string): void {
  const sizes = [0, 0, 0]
  for (const s of split) sizes[s]++
  const empty = SPLITS.findIndex((_, s) => sizes[s] === 0 && !(s === VAL && request.method === 'temporal-global' && request.valFrac === 0))
  if (empty < 0) return
  const hint =
    request.method === 'leave-last-out'
      ? 'leave-last-out gives val and test rows only to users with 3 or more interactions; the temporal-global split fills all three'
      : 'temporal-global cuts at interaction times, and rows sharing a cut-off time go to the later split: give more interactions or other --val-frac/--test-frac'
  throw new RecError('EMPTY', `${subject} leaves the ${SPLITS[empty]} split empty (${split.length} interactions: train ${sizes[0]}, val ${sizes[1]}, test ${sizes[2]})`, {hint})
}
