// Wilson intervals, the pooled two-proportion z-test and the unpooled interval of a difference, against values worked by hand.
import {describe, expect, it} from 'vitest'

import {erfc, normalUpperTail, twoSidedP, Z95} from '../../src/lib/metrics/normal.js'
import {compareProportions, wilsonInterval} from '../../src/lib/metrics/proportions.js'

describe('normal tails', () => {
  it('erfc matches the tabulated values to ~15 digits, tiny tails included', () => {
    // erfc(x) as tabulated (Abramowitz & Stegun 7.1; the tails from the continued fraction's definition)
    const table: [number, number][] = [
      [0, 1],
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047265],
      [3, 2.2090496998585438e-5],
      [5, 1.5374597944280351e-12],
      [10, 2.088487583762545e-45],
    ]
    for (const [x, value] of table) expect(Math.abs(erfc(x) - value) / value, `erfc(${x})`).toBeLessThan(1e-13)
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 15)
    expect(erfc(30)).toBe(0)
  })

  it('1.96 standard errors leave 5% in the two tails, 5 leave 5.7e-7', () => {
    expect(twoSidedP(Z95)).toBeCloseTo(0.05, 14)
    expect(twoSidedP(-Z95)).toBeCloseTo(0.05, 14)
    expect(twoSidedP(0)).toBe(1)
    expect(Math.abs(twoSidedP(5) - 5.733031437583866e-7) / 5.733031437583866e-7).toBeLessThan(1e-12)
    expect(normalUpperTail(0)).toBe(0.5)
  })
})

describe('wilsonInterval', () => {
  it('45 of 100: (p + z²/2n ∓ z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)', () => {
    // p = 0.45, z²/n = 0.0384146: centre = (0.45 + 0.0192073) / 1.0384146 = 0.4518497,
    // half = 1.959964 / 1.0384146 * sqrt(0.002475 + 0.0000960) = 0.0957043
    const {low, high} = wilsonInterval(45, 100)
    expect(low).toBeCloseTo(0.3561453797951198, 12)
    expect(high).toBeCloseTo(0.5475539700255787, 12)
  })

  it('is not empty at 0 or n successes and stays inside [0, 1]', () => {
    // 0 of 10: centre = half = 0.1387664 -> [0, z²/(n + z²)] = [0, 3.8415 / 13.8415]
    expect(wilsonInterval(0, 10)).toEqual({low: 0, high: expect.closeTo(0.2775327998628892, 12)})
    expect(wilsonInterval(10, 10)).toEqual({low: expect.closeTo(0.7224672001371107, 12), high: 1})
    const third = wilsonInterval(1, 3)
    expect(third.low).toBeCloseTo(0.06149194472039615, 12)
    expect(third.high).toBeCloseTo(0.7923403991979523, 12)
  })

  it('no trials is the whole range; impossible counts are refused', () => {
    expect(wilsonInterval(0, 0)).toEqual({low: 0, high: 1})
    expect(() => wilsonInterval(3, 2)).toThrow(/0 <= successes <= trials/)
    expect(() => wilsonInterval(1.5, 2)).toThrow(/integers/)
  })
})

describe('compareProportions', () => {
  it('60/100 against 45/100: pooled z = 2.124, p = 0.0337; unpooled 95% interval of +0.15', () => {
    // pooled p = 105/200 = 0.525; se = sqrt(0.525 * 0.475 * (1/100 + 1/100)) = sqrt(0.0049875) = 0.0706222
    // z = 0.15 / 0.0706222 = 2.1239770; p = 2 (1 - Φ(2.1239770)) = 0.0336721
    // unpooled se = sqrt(0.45*0.55/100 + 0.6*0.4/100) = sqrt(0.004875) = 0.0698212; 0.15 ∓ 1.959964 * 0.0698212
    const r = compareProportions(45, 100, 60, 100)
    expect(r.diff).toBeCloseTo(0.15, 14)
    expect(r.z).toBeCloseTo(2.1239769762143657, 12)
    expect(r.pValue).toBeCloseTo(0.033672068856345855, 12)
    expect(r.low).toBeCloseTo(0.013152962213704239, 12)
    expect(r.high).toBeCloseTo(0.2868470377862957, 12)
  })

  it('is antisymmetric: A and B swapped flip the difference and keep the p-value', () => {
    const r = compareProportions(60, 100, 45, 100)
    expect(r.diff).toBeCloseTo(-0.15, 14)
    expect(r.z).toBeCloseTo(-2.1239769762143657, 12)
    expect(r.pValue).toBeCloseTo(0.033672068856345855, 12)
    expect(r.low).toBeCloseTo(-0.2868470377862957, 12)
  })

  it('equal rates, all-zero and all-one groups give p = 1; a group without trials is refused', () => {
    expect(compareProportions(5, 50, 10, 100).pValue).toBeCloseTo(1, 14)
    expect(compareProportions(0, 50, 0, 80)).toEqual({diff: 0, low: 0, high: 0, z: 0, pValue: 1})
    expect(compareProportions(7, 7, 9, 9)).toMatchObject({diff: 0, z: 0, pValue: 1})
    expect(() => compareProportions(0, 0, 1, 2)).toThrow(/both groups need trials/)
    // 1/3 against 1/1: 0.6667 +- 1.96 * 0.2722 = [0.1332, 1.2001], clipped at 1
    expect(compareProportions(1, 3, 1, 1)).toMatchObject({low: expect.closeTo(0.13323203596052124, 12), high: 1})
  })
})
