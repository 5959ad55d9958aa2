// CSR construction and validation.
import {describe, expect, it} from 'vitest'

import {checkCsr, csrFromLists, csrFromPairs, csrKeys, maxKey} from '../../src/lib/metrics/csr.js'

describe('csr', () => {
  it('builds the same CSR from lists and from (key, row) pairs, keeping pair order per key', () => {
    const fromLists = csrFromLists([[4, 1], [], [0, 0, 3]])
    expect(Array.from(fromLists.offsets)).toEqual([0, 2, 2, 5])
    expect(Array.from(fromLists.rows)).toEqual([4, 1, 0, 0, 3])
    expect(csrFromPairs([2, 0, 2, 0, 2], [0, 4, 0, 1, 3], 3)).toEqual(fromLists)
    expect(csrKeys(fromLists)).toBe(3)
  })

  it('rejects malformed CSRs, out-of-range rows and keys', () => {
    expect(() => csrFromPairs([0, 3], [1, 1], 3)).toThrow(/key 3 at position 1 is outside \[0, 3\)/)
    expect(() => checkCsr({offsets: Int32Array.from([0, 2, 1]), rows: Int32Array.from([0])}, 'targets', 1, 5)).toThrow(/offsets decrease at key 1/)
    expect(() => checkCsr({offsets: Int32Array.from([0, 2]), rows: Int32Array.from([0])}, 'targets', 1, 5)).toThrow(/end at rows.length/)
    expect(() => checkCsr(csrFromLists([[0, -1]]), 'exclude', 1, 5)).toThrow(/exclude: row -1 at position 1/)
    expect(() => maxKey(Int32Array.from([3, -2]), 'users')).toThrow(/users: row -2 at position 1 is negative/)
    expect(maxKey(new Int32Array(0), 'users')).toBe(-1)
  })
})
