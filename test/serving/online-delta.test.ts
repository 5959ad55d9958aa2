import {describe, expect, it} from 'vitest'

import {Rng} from '../../src/lib/random/rng.js'
import {stepNegative, stepPositive} from '../../src/lib/serving/online-delta.js'
import {TokenBuckets} from '../../src/lib/serving/rate-limit.js'
import {parseId} from '../../src/lib/serving/ids.js'

const DIM = 4
// rows 1..4 are the unit axes; row 0 (OOV) is zero
const vectors = Float32Array.from({length: 5 * DIM}, (_, i) => (i >= DIM && (i % DIM) === Math.floor(i / DIM) - 1 ? 1 : 0))
const options = {steps: 5, lr: 0.5, samples: 8, temperature: 0.1, l2: 0.01}
const score = (u: Float32Array, d: Float32Array, row: number) => u.reduce((s, x, j) => s + (x + d[j]) * vectors[row * DIM + j], 0)

describe('online delta', () => {
  it('a positive step raises the liked item above the others; shared vectors stay unchanged', () => {
    const user = Float32Array.of(1, 0, 0, 0)
    const delta = new Float32Array(DIM)
    const before = vectors.slice()
    stepPositive(user, delta, vectors, 3, 1, options, new Rng(1))
    expect(score(user, delta, 3)).toBeGreaterThan(score(user, delta, 2))
    expect(score(user, delta, 3)).toBeGreaterThan(0)
    expect(vectors).toEqual(before)
  })

  it('a negative step lowers the item score', () => {
    const user = Float32Array.of(0.5, 0.5, 0, 0)
    const delta = new Float32Array(DIM)
    stepNegative(user, delta, vectors, 2, 1, options)
    expect(score(user, delta, 2)).toBeLessThan(0.5)
  })
})

describe('token buckets', () => {
  it('allows a burst, then refills at the configured rate', () => {
    let now = 0
    const buckets = new TokenBuckets({perSecond: 2, burst: 2}, () => now)
    expect([buckets.take('a'), buckets.take('a')]).toEqual([0, 0])
    expect(buckets.take('a')).toBeCloseTo(0.5)
    expect(buckets.take('b')).toBe(0)
    now = 500
    expect(buckets.take('a')).toBe(0)
  })
})

describe('parseId', () => {
  it('keeps int64 strings exact and rejects numbers that lost precision', () => {
    expect(parseId('9223372036854775807', 'id')).toBe(9223372036854775807n)
    expect(parseId(42, 'id')).toBe(42n)
    expect(() => parseId(2 ** 53 + 2, 'id')).toThrow(/decimal strings/)
    expect(() => parseId('9223372036854775808', 'id')).toThrow(/int64/)
    expect(() => parseId('1e5', 'id')).toThrow(/int64/)
  })
})

describe('online delta, shared (--online global)', () => {
  it('a positive step moves the liked item row towards the user, keeps rows unit length, and leaves OOV row 0 alone', () => {
    const shared = vectors.slice()
    const user = Float32Array.of(1, 0, 0, 0)
    const delta = new Float32Array(DIM)
    const before = shared[3 * DIM] // item 3 is axis 2: its first coordinate starts at 0
    stepPositive(user, delta, shared, 3, 1, options, new Rng(1), true)
    expect(shared[3 * DIM]).toBeGreaterThan(before)
    for (let row = 1; row < 5; row++) expect(Math.hypot(...shared.subarray(row * DIM, (row + 1) * DIM))).toBeCloseTo(1, 5)
    expect([...shared.subarray(0, DIM)]).toEqual([0, 0, 0, 0])
  })

  it('a negative step moves the skipped item row away from the user', () => {
    const shared = vectors.slice()
    const user = Float32Array.of(0.5, 0.5, 0, 0)
    const delta = new Float32Array(DIM)
    const dot = () => user.reduce((s, x, j) => s + x * shared[2 * DIM + j], 0)
    const before = dot()
    stepNegative(user, delta, shared, 2, 1, options, true)
    expect(dot()).toBeLessThan(before)
  })
})
