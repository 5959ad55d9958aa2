// Bucketing: the configured split within 1 point over 100k ids, fixed values across processes, and a percent change moving only its range.
import {describe, expect, it} from 'vitest'

import {ExperimentRouter} from '../../src/lib/experiments/assign.js'
import {BUCKETS, bucketOf, bucketRanges, rangeOf} from '../../src/lib/experiments/bucket.js'
import {Rng} from '../../src/lib/random/rng.js'

const experiment = (percents: number[], salt = 's1') => ({id: 'home', salt, arms: percents.map((percent, i) => ({name: `arm${i}`, percent}))})

/** 100k sequential ids (a weak hash would show stripes on them) or 100k random 64-bit ids (cold users: in no dataset). */
const SEQUENTIAL = Array.from({length: 100_000}, (_, i) => BigInt(1000 + i))
const rng = new Rng(11)
const COLD = Array.from({length: 100_000}, () => BigInt.asIntN(64, (BigInt(rng.int(2 ** 32)) << 32n) | BigInt(rng.int(2 ** 32))))

/** Buckets per salt, hashed once: 300k hashes per split would be most of this file's time. */
const buckets = new Map<string, Uint16Array>()
function bucketsOf(ids: bigint[], salt: string): Uint16Array {
  const key = `${ids === COLD ? 'cold' : 'seq'}:${salt}`
  if (!buckets.has(key)) buckets.set(key, Uint16Array.from(ids, (id) => bucketOf(salt, 'home', id)))
  return buckets.get(key)!
}

/** Percent of `ids` in each arm. */
function shares(percents: number[], ids: bigint[], salt: string): number[] {
  const ranges = bucketRanges(percents)
  const counts = new Array<number>(percents.length).fill(0)
  for (const bucket of bucketsOf(ids, salt)) counts[rangeOf(ranges, bucket)]++
  return counts.map((count) => (100 * count) / ids.length)
}

describe('bucketing', () => {
  it.each([[[50, 50]], [[10, 90]], [[33.33, 33.33, 33.34]], [[1, 4, 95]], [[0, 100]]])('splits 100k ids as configured within 1 point: %j', (percents) => {
    for (const [ids, salt] of [[SEQUENTIAL, 's1'], [COLD, 's1'], [SEQUENTIAL, 'another salt']] as const) {
      const got = shares(percents, ids, salt)
      got.forEach((share, i) => expect(Math.abs(share - percents[i]), `${salt}: ${got.join(' / ')}`).toBeLessThan(1))
      // the router assigns by the same ranges
      const router = new ExperimentRouter(experiment(percents, salt))
      const ranges = bucketRanges(percents)
      for (const [i, id] of ids.slice(0, 2000).entries()) expect(router.assign(id)).toEqual({experiment: 'home', arm: `arm${rangeOf(ranges, bucketsOf(ids, salt)[i])}`, bucket: bucketsOf(ids, salt)[i]})
    }
  })

  it('gives every id the same bucket in every process: sha256("salt:id:user"), first 4 bytes big-endian, mod 10000', () => {
    // computed once with Python's hashlib (int.from_bytes(sha256(b"s1:home:1000").digest()[:4], "big") % 10000)
    const fixed: [bigint, number][] = [[0n, 6644], [1n, 4605], [1000n, 3919], [1001n, 770], [123456789012345678n, 8148], [9223372036854775807n, 3653], [-5n, 2316]]
    for (const [id, bucket] of fixed) expect(bucketOf('s1', 'home', id), String(id)).toBe(bucket)
    // a fresh router (a restarted server) assigns every id alike
    const [a, b] = [new ExperimentRouter(experiment([50, 50])), new ExperimentRouter(experiment([50, 50]))]
    for (const id of [...SEQUENTIAL.slice(0, 5000), ...COLD.slice(0, 5000)]) expect(b.assign(id)).toEqual(a.assign(id))
    // the salt and the experiment id both reshuffle
    const moved = (other: (id: bigint) => number) => SEQUENTIAL.slice(0, 10_000).filter((id) => other(id) !== bucketOf('s1', 'home', id)).length
    expect(moved((id) => bucketOf('s2', 'home', id))).toBeGreaterThan(9_900)
    expect(moved((id) => bucketOf('s1', 'search', id))).toBeGreaterThan(9_900)
  })

  it('raising one arm\'s percent moves only the users of the changed range, all to that arm', () => {
    const ids = [...SEQUENTIAL, ...COLD]
    const all = [...bucketsOf(SEQUENTIAL, 's1'), ...bucketsOf(COLD, 's1')]
    const compare = (before: number[], after: number[]) => {
      const [a, b] = [bucketRanges(before), bucketRanges(after)]
      const moves = new Map<string, number>()
      const outside: number[] = []
      for (const bucket of all) {
        const [from, to] = [rangeOf(a, bucket), rangeOf(b, bucket)]
        if (from === to) continue
        moves.set(`arm${from}->arm${to}`, (moves.get(`arm${from}->arm${to}`) ?? 0) + 1)
        if (bucket < 4000 || bucket >= 5000) outside.push(bucket)
      }
      expect(outside).toEqual([])
      return Object.fromEntries(moves)
    }
    // 50/50 -> 40/60: buckets 4000..4999 move from control to treatment, nobody else moves (~10% of users)
    const two = compare([50, 50], [40, 60])
    expect(Object.keys(two)).toEqual(['arm0->arm1'])
    expect(Math.abs((100 * two['arm0->arm1']) / ids.length - 10)).toBeLessThan(1)
    // 20/30/50 -> 20/20/60: the first arm keeps all its users; only the middle arm's top 10 points move, to the last arm
    const three = compare([20, 30, 50], [20, 20, 60])
    expect(Object.keys(three)).toEqual(['arm1->arm2'])
    expect(Math.abs((100 * three['arm1->arm2']) / ids.length - 10)).toBeLessThan(1)
  })

  it('maps percents to whole bucket ranges in arm order', () => {
    expect(bucketRanges([33.33, 33.33, 33.34])).toEqual([{start: 0, end: 3333}, {start: 3333, end: 6666}, {start: 6666, end: BUCKETS}])
    expect(bucketRanges([0, 100])).toEqual([{start: 0, end: 0}, {start: 0, end: BUCKETS}])
    const ranges = bucketRanges([0.01, 99.99])
    expect([0, 1, 9999].map((b) => rangeOf(ranges, b))).toEqual([0, 1, 1])
    expect(rangeOf(bucketRanges([50, 40]), 9500)).toBe(-1)
    expect(() => new ExperimentRouter(experiment([50, 40]))).toThrow(/percents must sum to 100/)
  })
})
