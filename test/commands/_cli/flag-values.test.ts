import {describe, expect, it} from 'vitest'

import {parseDuration} from '../../../src/commands/_cli/flag-values.js'

describe('parseDuration', () => {
  it('reads a whole number and one unit as ms', () => {
    expect([parseDuration('250ms'), parseDuration('90s'), parseDuration('30m'), parseDuration('24h'), parseDuration('7d')]).toEqual([250, 90_000, 1_800_000, 86_400_000, 604_800_000])
  })

  it('refuses no unit, other units, fractions, zero, signs and sizes beyond 2^53 ms', () => {
    for (const text of ['24', '1w', '1.5h', '0m', '-1h', '+1h', 'h', '', '1 h', '999999999999999d']) expect(() => parseDuration(text), text).toThrow(/is not a duration such as 30m, 24h or 7d/)
  })
})
