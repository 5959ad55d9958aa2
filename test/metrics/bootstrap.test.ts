// Paired bootstrap: identical inputs, a clear shift, and the false-positive rate under the null.
import {describe, expect, it} from 'vitest'

import {pairedBootstrap} from '../../src/lib/metrics/bootstrap.js'
import {Rng} from '../../src/lib/random/rng.js'

describe('pairedBootstrap', () => {
  it('gives delta 0, CI [0, 0] and p = 1 for identical inputs', () => {
    const a = Float32Array.from({length: 300}, (_, i) => (i % 7) / 7)
    const result = pairedBootstrap(a, a.slice(), {seed: 1})
    expect(result).toMatchObject({delta: 0, ciLow: 0, ciHigh: 0, pValue: 1})
  })

  it('detects a clear shift with a CI around it, and is reproducible', () => {
    const rng = new Rng(3)
    const a = Float32Array.from({length: 500}, () => rng.next())
    const b = a.map((v) => v + 0.05 + (rng.next() - 0.5) * 0.1)
    const result = pairedBootstrap(a, b, {seed: 7})
    expect(result.delta).toBeCloseTo(0.05, 2)
    expect(result.ciLow).toBeGreaterThan(0)
    expect(result.ciLow).toBeLessThan(result.delta)
    expect(result.ciHigh).toBeGreaterThan(result.delta)
    expect(result.pValue).toBeCloseTo(2 / 1001, 10)
    expect(pairedBootstrap(a, b, {seed: 7})).toEqual(result)
    const swapped = pairedBootstrap(b, a, {seed: 7})
    expect(swapped.delta).toBeCloseTo(-result.delta, 6)
    expect(swapped.pValue).toBe(result.pValue)
  })

  it('calls about 5% of null comparisons significant at p < 0.05', () => {
    const rng = new Rng(5)
    let significant = 0
    let covered = 0
    for (let trial = 0; trial < 200; trial++) {
      const a = Float32Array.from({length: 100}, () => rng.int(2))
      const b = Float32Array.from({length: 100}, () => rng.int(2))
      const result = pairedBootstrap(a, b, {seed: trial, resamples: 400})
      if (result.pValue < 0.05) significant++
      if (result.ciLow <= 0 && result.ciHigh >= 0) covered++
    }
    // Binomial(200, 0.05): mean 10, sd 3.1.
    expect(significant).toBeGreaterThanOrEqual(2)
    expect(significant).toBeLessThanOrEqual(20)
    expect(covered).toBeGreaterThanOrEqual(180)
  })

  it('rejects unpaired or non-finite inputs', () => {
    expect(() => pairedBootstrap([1, 2], [1], {seed: 1})).toThrow(/2 values for A but 1 for B/)
    expect(() => pairedBootstrap([], [], {seed: 1})).toThrow(/no users/)
    expect(() => pairedBootstrap([1, NaN], [1, 2], {seed: 1})).toThrow(/user 1 has a non-finite value/)
  })
})
