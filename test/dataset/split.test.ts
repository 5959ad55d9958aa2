// Split invariants on seeded random interactions: per-user time order, counts, global cut-offs, ties.
import {describe, expect, it} from 'vitest'

import {toSplitRequest} from '../../src/lib/dataset/split-options.js'
import {assignSplit} from '../../src/lib/dataset/split.js'
import {TEST, TRAIN, VAL} from '../../src/lib/dataset/schema.js'
import {Rng} from '../../src/lib/random/rng.js'

/** 2,000 interactions of 150 users (1..40 each); timestamps drawn from 300 values so ties are common. */
function randomInteractions(seed: number): {userId: BigInt64Array; ts: Float64Array} {
  const rng = new Rng(seed)
  const users: bigint[] = []
  const ts: number[] = []
  for (let u = 0; u < 150; u++) {
    const n = 1 + rng.int(40)
    for (let k = 0; k < n; k++) {
      users.push(BigInt(u) + 2n ** 60n)
      ts.push(1_600_000_000_000 + 1000 * rng.int(300))
    }
  }
  // shuffle so that source order is not time order
  const order = users.map((_, i) => i)
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  return {userId: BigInt64Array.from(order, (i) => users[i]), ts: Float64Array.from(order, (i) => ts[i])}
}

function rowsByUser(userId: BigInt64Array): Map<bigint, number[]> {
  const rows = new Map<bigint, number[]>()
  userId.forEach((u, i) => rows.set(u, [...(rows.get(u) ?? []), i]))
  return rows
}

describe('leave-last-out', () => {
  it('keeps every train ts <= val ts <= test ts per user, and one val and one test for users with >= 3', () => {
    for (const seed of [1, 2, 3]) {
      const input = randomInteractions(seed)
      const {split} = assignSplit(input, {method: 'leave-last-out'})
      for (const rows of rowsByUser(input.userId).values()) {
        const of = (s: number) => rows.filter((r) => split[r] === s).map((r) => input.ts[r])
        const [train, val, test] = [of(TRAIN), of(VAL), of(TEST)]
        if (rows.length >= 3) {
          expect([val.length, test.length]).toEqual([1, 1])
          expect(Math.max(...train)).toBeLessThanOrEqual(val[0])
          expect(val[0]).toBeLessThanOrEqual(test[0])
        } else expect(train.length).toBe(rows.length)
      }
    }
  })

  it('breaks ties in time by source order: the later row is the later split', () => {
    const userId = BigInt64Array.from([7n, 7n, 7n, 7n])
    const ts = Float64Array.from([5, 5, 5, 5])
    expect(Array.from(assignSplit({userId, ts}, {method: 'leave-last-out'}).split)).toEqual([TRAIN, TRAIN, VAL, TEST])
  })
})

describe('temporal-global', () => {
  it('puts every row on the right side of the cut-offs and never splits a timestamp', () => {
    const input = randomInteractions(4)
    const request = toSplitRequest('temporal-global', 0.15, 0.2)
    const {split, spec} = assignSplit(input, request)
    const n = input.ts.length
    for (let i = 0; i < n; i++) {
      const expected = input.ts[i] >= spec.testStartMs! ? TEST : input.ts[i] >= spec.valStartMs! ? VAL : TRAIN
      expect(split[i]).toBe(expected)
    }
    // The cut-off is the ts of sorted row floor(n * (1 - frac)); rows tied with it join the later split,
    // so the later side holds at least n - floor(n * (1 - frac)) rows and only the tie makes it bigger.
    for (const [startMs, frac] of [[spec.testStartMs!, 0.2], [spec.valStartMs!, 0.35]] as const) {
      const share = n - Math.floor(n * (1 - frac))
      const atOrAfter = input.ts.filter((t) => t >= startMs).length
      const after = input.ts.filter((t) => t > startMs).length
      expect(atOrAfter).toBeGreaterThanOrEqual(share)
      expect(after).toBeLessThan(share)
    }
    expect(spec.valStartMs!).toBeLessThan(spec.testStartMs!)
  })
})

describe('toSplitRequest', () => {
  it('applies defaults and refuses fractions out of range or for leave-last-out', () => {
    expect(toSplitRequest('temporal-global')).toEqual({method: 'temporal-global', valFrac: 0.1, testFrac: 0.1})
    expect(toSplitRequest('temporal-global', '0', '0.3')).toEqual({method: 'temporal-global', valFrac: 0, testFrac: 0.3})
    expect(() => toSplitRequest('temporal-global', 0.5, 0.5)).toThrow(/sum < 1/)
    expect(() => toSplitRequest('temporal-global', -0.1, 0.1)).toThrow(/0 <= --val-frac/)
    expect(() => toSplitRequest('temporal-global', 'x')).toThrow(/--val-frac "x" is not a number/)
    expect(() => toSplitRequest('leave-last-out', 0.1)).toThrow(/only to the temporal-global split/)
  })
})
