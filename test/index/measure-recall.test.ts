// measureRecall: agreement with exact search, and a warning when recall is low.
import {describe, expect, it} from 'vitest'

import {ExactIndex} from '../../src/lib/index/exact-index.js'
import {HnswIndex} from '../../src/lib/index/hnsw-index.js'
import {measureRecall} from '../../src/lib/index/measure-recall.js'
import type {Reporter} from '../../src/lib/reporter.js'
import {randomUnitRows} from './fixtures.js'

const dim = 12
const matrix = randomUnitRows(21, 800, dim)
const queries = randomUnitRows(22, 30, dim)

function warnings(): Reporter & {seen: string[]} {
  const seen: string[] = []
  return {seen, info() {}, warn: (m) => seen.push(m), progress: () => ({tick() {}, stop() {}})}
}

describe('measureRecall', () => {
  it('is 1 for an exact index against itself', () => {
    const exact = new ExactIndex(matrix, dim)
    const reporter = warnings()
    expect(measureRecall(exact, exact, queries, 10, reporter)).toMatchObject({k: 10, recall: 1, queries: 30})
    expect(reporter.seen).toEqual([])
  })

  it('warns when an index misses most of the true neighbours', () => {
    // the same rows negated: its top 10 are the true bottom 10
    const reversed = new ExactIndex(matrix.map((x) => -x), dim)
    const reporter = warnings()
    const report = measureRecall(reversed, new ExactIndex(matrix, dim), queries, 10, reporter)
    expect(report.recall).toBe(0)
    expect(reporter.seen).toHaveLength(1)
    expect(reporter.seen[0]).toMatch(/^recall@10 0\.000 on 30 queries is under 0\.95: raise expansionSearch/)
  })

  it('scores a starved HNSW graph below a well-connected one', async () => {
    const exact = new ExactIndex(matrix, dim)
    const starved = await HnswIndex.build(matrix, dim, {connectivity: 2, expansionAdd: 1, expansionSearch: 1, quantization: 'f32'})
    const good = await HnswIndex.build(matrix, dim, {connectivity: 16, expansionAdd: 128, expansionSearch: 64, quantization: 'f32'})
    const low = measureRecall(starved, exact, queries).recall
    const high = measureRecall(good, exact, queries).recall
    expect(low).toBeLessThan(high)
    expect(high).toBeGreaterThanOrEqual(0.95)
  })

  it('refuses a non-exact reference or indexes over different rows', async () => {
    const exact = new ExactIndex(matrix, dim)
    const hnsw = await HnswIndex.build(matrix, dim, {connectivity: 8, expansionAdd: 32, expansionSearch: 32, quantization: 'f32'})
    expect(() => measureRecall(exact, hnsw, queries)).toThrow('recall must be measured against an exact index')
    expect(() => measureRecall(exact, new ExactIndex(matrix.subarray(0, 10 * dim), dim), queries)).toThrow(/hold different rows/)
  })
})
