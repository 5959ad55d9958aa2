import {describe, expect, it} from 'vitest'

import {RecError} from '../../../src/lib/errors.js'
import {DEFAULT_WORLD, resolveWorldParams} from '../../../src/lib/dataset/synthetic/params.js'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return error instanceof RecError ? error.code : 'not a RecError'
  }
  return undefined
}

describe('resolveWorldParams', () => {
  it('fills the quickstart defaults', () => {
    expect(resolveWorldParams({})).toEqual(DEFAULT_WORLD)
    expect(resolveWorldParams({users: 50, seed: 7})).toMatchObject({users: 50, seed: 7, items: DEFAULT_WORLD.items})
  })

  it('shrinks the default topics and follows to fit a small world, but not given values', () => {
    expect(resolveWorldParams({users: 5, items: 8})).toMatchObject({topics: 8, followsPerUser: 4})
    expect(() => resolveWorldParams({users: 5, followsPerUser: 20})).toThrow(/--follows/)
  })

  it.each([
    [{users: 0}, /--users must be an integer from 2/],
    [{users: 1.5}, /--users/],
    [{days: 0}, /--days/],
    [{days: -3}, /--days/],
    [{interactions: 0}, /--interactions/],
    [{interactions: 1e9}, /--interactions/],
    [{topics: 1}, /--topics/],
    [{topics: 5000}, /--topics must be an integer from 2 to 1000/],
    [{topics: 40, items: 30}, /--topics 40 exceeds --items 30/],
    [{items: 1}, /--items/],
    [{users: 10_000_000, topics: 100}, /interest weights/],
    [{followsPerUser: 10, users: 5}, /--follows/],
    [{unsafeFrac: 0.9}, /--unsafe-frac/],
    [{labelFrac: Number.NaN}, /--label-frac/],
    [{seed: -1}, /--seed/],
  ])('refuses %o with INVALID_ARGUMENT', (input, message) => {
    expect(codeOf(() => resolveWorldParams(input))).toBe('INVALID_ARGUMENT')
    expect(() => resolveWorldParams(input)).toThrow(message)
  })
})
