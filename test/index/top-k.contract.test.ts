// One contract suite run against every TopK implementation, each checked against a naive brute force.
import {beforeAll, describe, expect, it} from 'vitest'

import {RecError} from '../../src/lib/errors.js'
import {ExactIndex} from '../../src/lib/index/exact-index.js'
import {HnswIndex} from '../../src/lib/index/hnsw-index.js'
import {DEFAULT_HNSW_PARAMS} from '../../src/lib/index/hnsw-params.js'
import type {TopK} from '../../src/lib/index/top-k.js'
import {bruteForce, dot, overlap, randomUnitRows} from './fixtures.js'

const N = 1500
const DIM = 16
const Q = 60
const matrix = randomUnitRows(1, N, DIM)
const queries = randomUnitRows(2, Q, DIM)
const query = (i: number): Float32Array => queries.subarray(i * DIM, (i + 1) * DIM)

// digits: decimal places to which scores match float64 dot products (f16 storage keeps about 3 significant)
const implementations: {name: string; make: () => Promise<TopK>; minRecall: number; digits: number}[] = [
  {name: 'ExactIndex', make: async () => new ExactIndex(matrix, DIM), minRecall: 1, digits: 5},
  {name: 'HnswIndex f32', make: () => HnswIndex.build(matrix, DIM, {...DEFAULT_HNSW_PARAMS, quantization: 'f32'}), minRecall: 0.95, digits: 5},
  {name: 'HnswIndex f16', make: () => HnswIndex.build(matrix, DIM, {...DEFAULT_HNSW_PARAMS, quantization: 'f16'}), minRecall: 0.95, digits: 2},
]

describe.each(implementations)('TopK contract: $name', ({make, minRecall, digits}) => {
  let index: TopK
  beforeAll(async () => {
    index = await make()
  })

  it('reports its shape and exactness', () => {
    expect(index.size).toBe(N)
    expect(index.dim).toBe(DIM)
    expect(index.isExact).toBe(index.kind === 'exact')
  })

  it(`finds the brute-force top 10 (recall@10 >= ${minRecall})`, () => {
    let sum = 0
    for (let i = 0; i < Q; i++) sum += overlap(index.search(query(i), 10).rows, bruteForce(matrix, DIM, query(i), 10))
    expect(sum / Q).toBeGreaterThanOrEqual(minRecall)
  })

  it('returns inner products, best first', () => {
    for (let i = 0; i < 10; i++) {
      const {rows, scores} = index.search(query(i), 25)
      expect(rows.length).toBe(25)
      for (let r = 0; r < rows.length; r++) {
        expect(scores[r]).toBeCloseTo(dot(query(i), matrix.subarray(rows[r] * DIM, (rows[r] + 1) * DIM)), digits)
        if (r > 0) expect(scores[r]).toBeLessThanOrEqual(scores[r - 1])
      }
      expect(new Set(rows).size).toBe(rows.length)
    }
  })

  it('scores an unnormalised query as a plain inner product', () => {
    const scaled = query(0).map((x) => 3 * x)
    const {rows, scores} = index.search(scaled, 5)
    expect(scores[0]).toBeCloseTo(3 * dot(query(0), matrix.subarray(rows[0] * DIM, (rows[0] + 1) * DIM)), digits - 1)
  })

  it('honours an exclusion set and still returns k rows', () => {
    const top = index.search(query(3), 20).rows
    const exclude = new Set(Array.from(top.subarray(0, 15)))
    const {rows} = index.search(query(3), 10, exclude)
    expect(rows.length).toBe(10)
    for (const row of rows) expect(exclude.has(row)).toBe(false)
    expect(overlap(rows, bruteForce(matrix, DIM, query(3), 10, (r) => exclude.has(r)))).toBeGreaterThanOrEqual(minRecall === 1 ? 1 : 0.8)
  })

  it('honours an exclusion predicate that removes most rows', () => {
    const odd = (row: number): boolean => row % 10 !== 0
    const {rows} = index.search(query(4), 10, odd)
    expect(rows.length).toBe(10)
    for (const row of rows) expect(row % 10).toBe(0)
  })

  it('returns every row left when k exceeds them', () => {
    expect(index.search(query(5), N + 50).rows.length).toBe(N)
    const keep = new Set([7, 70, 700])
    const {rows} = index.search(query(5), 10, (row) => !keep.has(row))
    expect(Array.from(rows).sort((a, b) => a - b)).toEqual([7, 70, 700])
  })

  it('answers a batch as it answers each query alone', () => {
    const batch = index.searchBatch(queries.subarray(0, 12 * DIM), 10)
    expect(batch.length).toBe(12)
    for (let i = 0; i < 12; i++) expect(Array.from(batch[i].rows)).toEqual(Array.from(index.search(query(i), 10).rows))
    const one = index.searchBatch(query(0), 10)
    expect(Array.from(one[0].rows)).toEqual(Array.from(index.search(query(0), 10).rows))
  })

  it('applies per-query exclusions in a batch', () => {
    const excludes = [new Set([index.search(query(0), 1).rows[0]]), undefined]
    const batch = index.searchBatch(queries.subarray(0, 2 * DIM), 5, excludes)
    expect(Array.from(batch[0].rows)).toEqual(Array.from(index.search(query(0), 5, excludes[0]).rows))
    expect(Array.from(batch[1].rows)).toEqual(Array.from(index.search(query(1), 5).rows))
  })

  it('rejects a query of the wrong length, a bad k and non-finite values', () => {
    expect(() => index.search(new Float32Array(DIM + 1), 10)).toThrow(RecError)
    expect(() => index.search(query(0), 0)).toThrow(/k must be a positive integer/)
    const bad = query(0).slice()
    bad[3] = Number.NaN
    expect(() => index.search(bad, 10)).toThrow(/non-finite value NaN at dimension 3/)
  })
})

describe('ExactIndex ties', () => {
  it('breaks equal scores by the smaller row', () => {
    const dim = 4
    // rows 1, 3 and 4 are identical, row 0 is the unique best, row 2 scores lower
    const m = new Float32Array([1, 0, 0, 0, 0.6, 0.8, 0, 0, 0, 1, 0, 0, 0.6, 0.8, 0, 0, 0.6, 0.8, 0, 0])
    const index = new ExactIndex(m, dim)
    const {rows} = index.search(new Float32Array([1, 0.25, 0, 0]), 5)
    expect(Array.from(rows)).toEqual([0, 1, 3, 4, 2])
    expect(Array.from(index.search(new Float32Array([1, 0.25, 0, 0]), 2, new Set([0])).rows)).toEqual([1, 3])
  })
})
