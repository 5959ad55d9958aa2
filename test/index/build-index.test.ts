// buildIndex: exact-or-HNSW choice, normalisation, recall measurement and input validation.
import {describe, expect, it} from 'vitest'

import {buildIndex} from '../../src/lib/index/build-index.js'
import type {Reporter} from '../../src/lib/reporter.js'
import {bruteForce, itemIds, overlap, randomUnitRows} from './fixtures.js'

function recordingReporter(): Reporter & {warnings: string[]; ticks: number} {
  const out = {
    warnings: [] as string[],
    ticks: 0,
    info() {},
    warn(message: string) {
      out.warnings.push(message)
    },
    progress: () => ({
      tick: (n = 1) => {
        out.ticks += n
      },
      stop() {},
    }),
  }
  return out
}

describe('buildIndex', () => {
  const dim = 8
  const vectors = randomUnitRows(11, 600, dim)

  it('builds an exact index under exactBelow and HNSW at or above it', async () => {
    const small = await buildIndex(vectors, itemIds(600), {exactBelow: 601})
    expect(small.index.kind).toBe('exact')
    expect(small.stats.recall).toEqual({k: 10, value: 1, queries: 0, measuredOn: 'exact index'})
    expect(small.stats.hnsw).toBeNull()
    const large = await buildIndex(vectors, itemIds(600), {exactBelow: 600})
    expect(large.index.kind).toBe('hnsw')
    expect(large.stats.hnsw).toEqual({connectivity: 16, expansionAdd: 128, expansionSearch: 72, quantization: 'f16', threads: 1, seed: 0})
    expect((await buildIndex(vectors, itemIds(600))).index.kind).toBe('exact')
  })

  it('lets `exact` override the size rule both ways', async () => {
    expect((await buildIndex(vectors, itemIds(600), {exact: false})).index.kind).toBe('hnsw')
    expect((await buildIndex(vectors, itemIds(600), {exact: true, exactBelow: 0})).index.kind).toBe('exact')
  })

  it('normalises rows so scores are cosines, unless told not to', async () => {
    const scaled = vectors.map((x, i) => x * (1 + (Math.floor(i / dim) % 5)))
    const built = await buildIndex(scaled, itemIds(600))
    for (let row = 0; row < 600; row += 97) {
      const v = built.index.rowVector(row)
      expect(Math.hypot(...v)).toBeCloseTo(1, 5)
    }
    const query = vectors.subarray(0, dim)
    expect(Array.from(built.index.search(query, 10).rows)).toEqual(bruteForce(vectors, dim, query, 10))
    const raw = await buildIndex(scaled, itemIds(600), {normalize: false})
    expect(raw.stats.normalized).toBe(false)
    expect(Array.from(raw.index.search(query, 10).rows)).toEqual(bruteForce(scaled, dim, query, 10))
  })

  it('measures recall@10 of an HNSW index on the given queries and reports progress', async () => {
    const reporter = recordingReporter()
    const queries = randomUnitRows(12, 40, dim)
    const built = await buildIndex(vectors, itemIds(600), {exact: false, recallQueries: queries, recallQueriesSource: '40 random queries'}, reporter)
    expect(built.stats.recall?.queries).toBe(40)
    expect(built.stats.recall?.measuredOn).toBe('40 random queries')
    let sum = 0
    for (let i = 0; i < 40; i++) {
      const q = queries.subarray(i * dim, (i + 1) * dim)
      sum += overlap(built.index.search(q, 10).rows, bruteForce(vectors, dim, q, 10))
    }
    expect(built.stats.recall?.value).toBeCloseTo(sum / 40, 10)
    expect(built.stats.recall?.value).toBeGreaterThanOrEqual(0.95)
    expect(reporter.ticks).toBe(600 + 40)
    expect(reporter.warnings).toEqual([])
  })

  it('builds on several threads and answers batches with them', async () => {
    const queries = randomUnitRows(13, 20, dim)
    const built = await buildIndex(vectors, itemIds(600), {exact: false, threads: 2, recallQueries: queries})
    expect(built.stats.hnsw?.threads).toBe(2)
    expect(built.stats.recall?.value).toBeGreaterThanOrEqual(0.95)
    const batch = built.index.searchBatch(queries, 10)
    for (let i = 0; i < 20; i++) expect(Array.from(batch[i].rows)).toEqual(Array.from(built.index.search(queries.subarray(i * dim, (i + 1) * dim), 10).rows))
  })

  it('maps rows to item ids and back', async () => {
    const {index} = await buildIndex(vectors, itemIds(600))
    expect(index.lookupRow(1000n + 7n * 42n)).toBe(42)
    expect(Array.from(index.itemIds(Int32Array.from([0, 599])))).toEqual([1000n, 1000n + 7n * 599n])
    expect(() => index.lookupRow(999n)).toThrow(/item id 999 is not in the index/)
    const similar = index.similarTo(1000n, 5)
    expect(similar.rows.includes(0)).toBe(false)
    expect(similar.rows.length).toBe(5)
  })

  it('warns about all-zero rows', async () => {
    const reporter = recordingReporter()
    const withZeros = vectors.slice()
    withZeros.fill(0, 3 * dim, 5 * dim)
    await buildIndex(withZeros, itemIds(600), {}, reporter)
    expect(reporter.warnings).toEqual(['2 of 600 item vectors are all zeros: they score 0 against every query'])
  })

  it('rejects bad input with one line naming the problem', async () => {
    await expect(buildIndex(new Float32Array(0), new BigInt64Array(0))).rejects.toMatchObject({code: 'EMPTY'})
    await expect(buildIndex(vectors.subarray(0, 599 * dim + 3), itemIds(600))).rejects.toMatchObject({code: 'MISMATCH'})
    const nan = vectors.slice()
    nan[5 * dim + 2] = Number.POSITIVE_INFINITY
    await expect(buildIndex(nan, itemIds(600))).rejects.toThrow('vector row 5 has a non-finite value Infinity at dimension 2')
    const dup = itemIds(600)
    dup[9] = dup[4]
    await expect(buildIndex(vectors, dup)).rejects.toThrow(`item id ${dup[4]} appears at rows 4 and 9`)
    await expect(buildIndex(vectors, itemIds(600), {connectivity: 0})).rejects.toThrow('connectivity must be an integer in [2, 4096], got 0')
    await expect(buildIndex(vectors, itemIds(600), {exact: false, threads: 0})).rejects.toMatchObject({code: 'INVALID_ARGUMENT'})
  })
})
