// The chunk counter of data-parallel steps: each chunk is claimed once, and never by a thread still holding an older step.
import {describe, expect, it} from 'vitest'

import {chunkRows, claimChunk} from '../../src/lib/training/retrieval-replicas.js'
import type {RetrievalBatch} from '../../src/lib/training/retrieval-step.js'

describe('claimChunk', () => {
  it('hands out each chunk of a step once, then -1, and nothing to a stale step', () => {
    const counter = new Int32Array(new SharedArrayBuffer(4))
    expect([claimChunk(counter, 0, 3), claimChunk(counter, 0, 3), claimChunk(counter, 0, 3), claimChunk(counter, 0, 3)]).toEqual([0, 1, 2, -1])
    // The next step starts where the counter stands; a thread still holding step 0 gets nothing from it.
    expect(claimChunk(counter, 0, 3)).toBe(-1)
    expect(claimChunk(counter, 3, 2)).toBe(0)
    expect(claimChunk(counter, 0, 3)).toBe(-1)
    expect(claimChunk(counter, 3, 2)).toBe(1)
    expect(Atomics.load(counter, 0)).toBe(5)
  })
})

describe('chunkRows', () => {
  it('cuts the rows into contiguous parts that keep every column and the whole weight total', () => {
    const batch: RetrievalBatch = {
      users: Int32Array.from([0, 1, 2, 3, 4]),
      windows: Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
      weights: Float32Array.from([1, 2, 3, 4, 5]),
      columns: Int32Array.from([7, 8, 9]),
      counts: Float32Array.from([2, 2, 1]),
      positives: Int32Array.from([0, 1, 0, 1, 2]),
    }
    const parts = [0, 1].map((i) => chunkRows(batch, i, 2))
    expect(parts.map((p) => Array.from(p.users))).toEqual([[0, 1, 2], [3, 4]])
    expect(Array.from(parts[1].windows)).toEqual([6, 7, 8, 9])
    expect(Array.from(parts[1].positives)).toEqual([1, 2])
    for (const part of parts) {
      expect(part.columns).toBe(batch.columns)
      expect(part.weightTotal).toBe(15)
    }
  })
})
